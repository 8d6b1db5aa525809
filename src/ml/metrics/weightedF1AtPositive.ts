// F1 of class 1 with sample weights (SPEC §4 "weighted F1 at risk=1").
import { checkLabels, checkWeights } from './checkMetricInputs.js';

/**
 * F1 = 2·TP / (2·TP + FP + FN), each a sum of sample weights, for class 1 only (not scikit-learn's
 * average='weighted' over classes). `preds` are 0/1 decisions. NaN when TP + FP + FN = 0 (no
 * predicted and no actual positive).
 */
export function weightedF1AtPositive(
  preds: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): number {
  const n = preds.length;
  checkLabels(preds, n, 'prediction');
  checkLabels(labels, n);
  checkWeights(weights, n);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    if (preds[i] === 1) {
      if (labels[i] === 1) tp += w;
      else fp += w;
    } else if (labels[i] === 1) fn += w;
  }
  const denom = 2 * tp + fp + fn;
  return denom > 0 ? (2 * tp) / denom : Number.NaN;
}
