// Binary log-loss objective: gradients and hessians from scores, labels and sample weights; it never sees a tree.
import type { Objective } from './objective.js';

/** Hessian floor: keeps G²/(H+λ) finite when λ is 0 and predictions saturate. */
const MIN_HESSIAN = 1e-16;

export class BinaryLogloss implements Objective {
  readonly name = 'binary';

  /** `labels` are 0/1; `weights` (optional, ≥ 0, one per row) scale each row's gradient and hessian. */
  constructor(
    private readonly labels: Uint8Array,
    private readonly weights?: Float64Array,
  ) {
    checkLabels(labels, weights);
  }

  /** Log-odds of the weighted mean label; throws a RangeError when one class has no weight. */
  baseScore(): number {
    const { labels, weights } = this;
    let pos = 0;
    let all = 0;
    for (let i = 0; i < labels.length; i++) {
      const w = weights === undefined ? 1 : weights[i]!;
      pos += labels[i]! * w;
      all += w;
    }
    if (!(pos > 0 && pos < all))
      throw new RangeError(`binary objective: both classes need positive weight (positive ${pos} of ${all})`);
    const mean = pos / all;
    return Math.log(mean / (1 - mean));
  }

  gradients(scores: Float64Array, grad: Float64Array, hess: Float64Array): void {
    const { labels, weights } = this;
    const n = labels.length;
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-scores[i]!));
      const h = p * (1 - p);
      const w = weights === undefined ? 1 : weights[i]!;
      grad[i] = (p - labels[i]!) * w;
      hess[i] = (h > MIN_HESSIAN ? h : MIN_HESSIAN) * w;
    }
  }
}

/**
 * binaryLoglossOf(scores, labels, weights), returned, and the gradients at `scores`, written, in one pass:
 * bit-identical to the two calls. Both need exp(−|s|) (the gradient's exp(−s) is that same value when
 * s ≥ 0), so a row costs one exp fewer; the booster computes the next round's gradients with the loss.
 */
export function binaryLossAndGradients(
  scores: Float64Array,
  labels: Uint8Array,
  weights: Float64Array | undefined,
  grad: Float64Array,
  hess: Float64Array,
): number {
  let sum = 0;
  let all = 0;
  for (let i = 0; i < labels.length; i++) {
    const s = scores[i]!;
    const e = Math.exp(s > 0 ? -s : s);
    const z = labels[i] === 1 ? -s : s;
    const loss = z > 0 ? z + Math.log1p(e) : Math.log1p(e);
    const p = 1 / (1 + (s >= 0 ? e : Math.exp(-s)));
    const h = p * (1 - p);
    const w = weights === undefined ? 1 : weights[i]!;
    grad[i] = (p - labels[i]!) * w;
    hess[i] = (h > MIN_HESSIAN ? h : MIN_HESSIAN) * w;
    sum += loss * w;
    all += w;
  }
  return sum / all;
}

/** Weighted mean log-loss of margins `scores` against 0/1 `labels` (the booster's eval metric). */
export function binaryLoglossOf(scores: Float64Array, labels: Uint8Array, weights?: Float64Array): number {
  let sum = 0;
  let all = 0;
  for (let i = 0; i < labels.length; i++) {
    const s = scores[i]!;
    // −log p = softplus(−s) for y = 1, −log(1 − p) = softplus(s) for y = 0; never log(0).
    const z = labels[i] === 1 ? -s : s;
    const loss = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    const w = weights === undefined ? 1 : weights[i]!;
    sum += loss * w;
    all += w;
  }
  return sum / all;
}

function checkLabels(labels: Uint8Array, weights?: Float64Array): void {
  for (let i = 0; i < labels.length; i++)
    if (labels[i]! > 1) throw new RangeError(`label ${labels[i]} at row ${i}: labels must be 0 or 1`);
  if (weights === undefined) return;
  if (weights.length !== labels.length) throw new RangeError(`${weights.length} weights for ${labels.length} labels`);
  for (let i = 0; i < weights.length; i++)
    if (!(weights[i]! >= 0 && Number.isFinite(weights[i]!)))
      throw new RangeError(`weight ${weights[i]} at row ${i}: weights must be finite and >= 0`);
}
