// ROC AUC as the (weighted) Mann–Whitney statistic; tied scores count one half.
import { checkLabels, checkScores, checkWeights, sortedIndex } from './checkMetricInputs.js';

/**
 * ROC AUC = Σ_{i: y=1} Σ_{j: y=0} w_i w_j ([s_i > s_j] + ½[s_i = s_j]) / (W_1 W_0), which without
 * weights is the average-rank (Mann–Whitney U / (n_1 n_0)) formula. O(n log n). NaN when one class
 * has no (positive-weight) rows. Scores may be ±Infinity; NaN scores or labels other than 0/1 throw.
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const n = scores.length;
  checkScores(scores);
  checkLabels(labels, n);
  checkWeights(weights, n);
  const idx = sortedIndex(scores);
  let negBelow = 0; // weight of negatives with a strictly lower score
  let sum = 0;
  let wPos = 0;
  for (let a = 0; a < n; ) {
    const s = scores[idx[a]!]!;
    let pos = 0;
    let neg = 0;
    let b = a;
    for (; b < n && scores[idx[b]!]! === s; b++) {
      const i = idx[b]!;
      const w = weights ? weights[i]! : 1;
      if (labels[i] === 1) pos += w;
      else neg += w;
    }
    sum += pos * (negBelow + 0.5 * neg);
    negBelow += neg;
    wPos += pos;
    a = b;
  }
  if (wPos === 0 || negBelow === 0) return Number.NaN;
  return sum / (wPos * negBelow);
}
