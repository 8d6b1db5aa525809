// Maps a score through an isotonic step table (plain step, clipped outside the fitted range).
import type { IsotonicTable } from './isotonicTable.js';

/**
 * How far above its edge x[b] a score still belongs to block b. onnxruntime serves the
 * probability as a float32 computed with a float sigmoid, up to about 1e-7 from pt's native double
 * probability of the same row (SPEC §5 bounds the gap by 1e-6), so a row scored exactly on an edge
 * natively may come back from onnxruntime an ulp or two above it. The tolerance keeps both in block b.
 */
export const ISOTONIC_EDGE_TOLERANCE = 1e-6;

/** Upper bound of block b < last: x[b] plus the tolerance, but never past half-way to the next edge. */
function upperBound(x: Float64Array, b: number): number {
  return x[b]! + Math.min(ISOTONIC_EDGE_TOLERANCE, (x[b + 1]! - x[b]!) / 2);
}

/**
 * y[b] for the first block b with score ≤ x[b] + min(1e-6, (x[b+1] − x[b]) / 2) (binary search;
 * the bounds increase with b); a score above the last bound gets the last y, one below the first
 * edge gets the first y. A score in the gap between two blocks' training scores takes the upper
 * block's value once it is past the tolerance: block b owns (x[b−1] + tol, x[b] + tol]. NaN maps to
 * NaN. Tables fitted by `fitCalibration` have edges more than 2e-6 apart, so the tolerance is the
 * full 1e-6 there.
 */
export function applyIsotonic(table: IsotonicTable, score: number): number {
  if (Number.isNaN(score)) return Number.NaN;
  const { x, y } = table;
  // The last block takes everything above the one before it, so only bounds of b < last are read.
  let lo = 0;
  let hi = x.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (score <= upperBound(x, mid)) hi = mid;
    else lo = mid + 1;
  }
  return y[lo]!;
}

/** `applyIsotonic` over an array, into a new Float64Array. */
export function applyIsotonicAll(table: IsotonicTable, scores: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = applyIsotonic(table, scores[i]!);
  return out;
}
