// Fits the calibration table pt stores with a model: isotonic on the float32 scores onnxruntime serves.
import { fitIsotonic } from './fitIsotonic.js';
import { ISOTONIC_EDGE_TOLERANCE } from './applyIsotonic.js';
import type { IsotonicTable } from './isotonicTable.js';

/**
 * The scores the table is fitted on: each probability rounded to float32 (the type onnxruntime
 * returns), then every run of sorted values whose neighbours lie within 2 × the edge tolerance
 * (2e-6) moved to the run's largest value. The table's edges are then float32 values more than
 * 2e-6 apart, so `applyIsotonic` can give every edge its full 1e-6 tolerance and a row scored on an
 * edge lands in the same block whether it is scored natively (double) or by onnxruntime (float32).
 * Pooling scores this close loses nothing an isotonic fit could use.
 */
export function calibrationScores(probabilities: ArrayLike<number>): Float64Array {
  const n = probabilities.length;
  const out = Float64Array.from({ length: n }, (_, i) => Math.fround(probabilities[i]!));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => out[a]! - out[b]!);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && out[order[end]!]! - out[order[end - 1]!]! <= 2 * ISOTONIC_EDGE_TOLERANCE) end++;
    const top = out[order[end - 1]!]!;
    for (let k = start; k < end; k++) out[order[k]!] = top;
    start = end;
  }
  return out;
}

/** The isotonic table of `labels` against the uncalibrated `probabilities` (see calibrationScores). */
export function fitCalibration(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): IsotonicTable {
  return fitIsotonic(calibrationScores(probabilities), labels, weights);
}
