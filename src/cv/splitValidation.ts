// Splits a train set into train and a purged, later-in-time validation set.
import { indicesWhere, type SampleBars } from './eventSamples.js';

export interface ValidationSplit {
  train: Uint32Array;
  valid: Uint32Array;
  /** Train samples dropped because their [t0, t1] reaches the validation purge window. */
  validationPurged: number;
  /** First bar of the validation window (the bar of the earliest validation t0); −1 when there is no validation set. */
  validStartBar: number;
}

/**
 * Validation = the last `fraction` of `trainIdx` in time: sort by t0 bar, take
 * nv = clamp(round(fraction · n), 1, n − 1) samples from the end, then widen to every sample whose
 * t0 bar equals the earliest one taken (a bar is never split). The validation set is then treated
 * like a test block that runs from its first bar vs to the end: the remaining train samples (all
 * with t0 bar < vs) whose [t0, t1] meets [vs − purgeBars, …] (t1 bar ≥ vs − purgeBars) are dropped.
 * No embargo is needed, nothing in train lies after the validation set. With fewer than 2 samples
 * there is no validation set.
 */
export function splitValidation(
  bars: SampleBars,
  trainIdx: Uint32Array,
  fraction: number,
  purgeBars: number,
): ValidationSplit {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`validationFraction=${fraction} is not in (0, 1)`);
  const n = trainIdx.length;
  if (n < 2) return { train: trainIdx.slice(), valid: new Uint32Array(0), validationPurged: 0, validStartBar: -1 };
  const { bar0, bar1 } = bars;
  const byTime = Array.from(trainIdx).sort((a, b) => bar0[a]! - bar0[b]! || a - b);
  const nv = Math.min(Math.max(Math.round(fraction * n), 1), n - 1);
  const vs = bar0[byTime[n - nv]!]!;
  const purgeStart = vs - purgeBars;
  const inValid = new Uint8Array(bar0.length);
  const inTrain = new Uint8Array(bar0.length);
  let validationPurged = 0;
  for (const i of byTime) {
    if (bar0[i]! >= vs) inValid[i] = 1;
    else if (bar1[i]! >= purgeStart) validationPurged++;
    else inTrain[i] = 1;
  }
  return { train: indicesWhere(inTrain), valid: indicesWhere(inValid), validationPurged, validStartBar: vs };
}
