// Expected calibration error over equal-width probability bins on [0, 1].
import { checkLabels, checkProbabilities } from './checkMetricInputs.js';

/** Bin of p among `bins` equal-width bins: floor(p · bins), with p = 1.0 in the last bin. */
export function eceBin(p: number, bins: number): number {
  return Math.min(Math.floor(p * bins), bins - 1);
}

/**
 * ECE = Σ_b (n_b / n) · |mean(p)_b − mean(y)_b| over bins b = [b/B, (b+1)/B) (the last bin is
 * closed, so p = 1.0 falls in it); empty bins contribute 0. NaN for no rows.
 */
export function ece(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): number {
  const n = probs.length;
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError(`ECE bins ${bins} is not an integer >= 1`);
  checkProbabilities(probs);
  checkLabels(labels, n);
  if (n === 0) return Number.NaN;
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const b = eceBin(probs[i]!, bins);
    count[b]! += 1;
    sumP[b]! += probs[i]!;
    sumY[b]! += labels[i]!;
  }
  let e = 0;
  for (let b = 0; b < bins; b++) {
    if (count[b]! > 0) e += Math.abs(sumP[b]! - sumY[b]!) / n; // (n_b/n)·|Σp/n_b − Σy/n_b|
  }
  return e;
}
