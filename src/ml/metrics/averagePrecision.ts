// Average precision (PR-AUC) as in scikit-learn: Σ (R_n − R_{n−1}) P_n over distinct thresholds.
import { checkLabels, checkScores, checkWeights, sortedIndex } from './checkMetricInputs.js';

/**
 * Thresholds are the distinct scores, highest first; at threshold s every row with score ≥ s is
 * predicted positive, so tied rows enter together. P_n and R_n are the (weighted) precision and
 * recall there, R_0 = 0. No step interpolation (scikit-learn's `average_precision_score`). NaN when
 * there is no positive (positive-weight) row.
 */
export function averagePrecision(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): number {
  const n = scores.length;
  checkScores(scores);
  checkLabels(labels, n);
  checkWeights(weights, n);
  let totalPos = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) totalPos += weights ? weights[i]! : 1;
  if (totalPos === 0) return Number.NaN;
  const idx = sortedIndex(scores, true);
  let tp = 0;
  let fp = 0;
  let prevRecall = 0;
  let ap = 0;
  for (let a = 0; a < n; ) {
    const s = scores[idx[a]!]!;
    let b = a;
    for (; b < n && scores[idx[b]!]! === s; b++) {
      const i = idx[b]!;
      const w = weights ? weights[i]! : 1;
      if (labels[i] === 1) tp += w;
      else fp += w;
    }
    const recall = tp / totalPos;
    if (recall > prevRecall) ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
    a = b;
  }
  return ap;
}
