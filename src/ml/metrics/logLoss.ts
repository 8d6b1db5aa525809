// Binary log-loss (cross-entropy) with probabilities clipped to [eps, 1 − eps].
import { checkLabels, checkProbabilities, checkWeights } from './checkMetricInputs.js';

/** −Σ w (y ln p + (1 − y) ln(1 − p)) / Σ w with p clipped to [eps, 1 − eps]; NaN for no weight. */
export function logLoss(
  probs: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
  eps = 1e-15,
): number {
  const n = probs.length;
  if (!(eps > 0 && eps < 0.5)) throw new RangeError(`log-loss eps ${eps} is not in (0, 0.5)`);
  checkProbabilities(probs);
  checkLabels(labels, n);
  checkWeights(weights, n);
  let sum = 0;
  let wSum = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    const p = Math.min(Math.max(probs[i]!, eps), 1 - eps);
    sum -= w * (labels[i] === 1 ? Math.log(p) : Math.log1p(-p));
    wSum += w;
  }
  return wSum > 0 ? sum / wSum : Number.NaN;
}
