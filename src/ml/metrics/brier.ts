// Brier score: the (weighted) mean of (p − y)².
import { checkLabels, checkProbabilities, checkWeights } from './checkMetricInputs.js';

/** Σ w (p − y)² / Σ w; probabilities must be in [0, 1]; NaN for no rows or zero total weight. */
export function brier(probs: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const n = probs.length;
  checkProbabilities(probs);
  checkLabels(labels, n);
  checkWeights(weights, n);
  let sum = 0;
  let wSum = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    const d = probs[i]! - labels[i]!;
    sum += w * d * d;
    wSum += w;
  }
  return wSum > 0 ? sum / wSum : Number.NaN;
}
