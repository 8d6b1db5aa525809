// Recall of the low-risk class by the low-risk band (SPEC §4 "recall in the low-risk band (score < θ2)").
import { checkLabels, checkScores, checkWeights } from './checkMetricInputs.js';

/**
 * Σ w [y = 0 ∧ score < upper] / Σ w [y = 0]: the share of truly low-risk rows (label 0) that the
 * model places in the band `score < upper` (strict), i.e. the recall of class 0 when the band is the
 * prediction "low risk". NaN when there is no label-0 weight.
 */
export function recallInBand(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  upper: number,
  weights?: ArrayLike<number>,
): number {
  const n = scores.length;
  if (Number.isNaN(upper)) throw new RangeError('band upper bound is NaN');
  checkScores(scores);
  checkLabels(labels, n);
  checkWeights(weights, n);
  let inBand = 0;
  let negatives = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== 0) continue;
    const w = weights ? weights[i]! : 1;
    negatives += w;
    if (scores[i]! < upper) inBand += w;
  }
  return negatives > 0 ? inBand / negatives : Number.NaN;
}
