// Increasing isotonic regression by pool-adjacent-violators, returning a step table.
import type { IsotonicTable } from './isotonicTable.js';

/**
 * Fits the non-decreasing step function minimising Σ w (f(s) − y)². Rows are sorted by score and
 * rows with equal scores are pooled first (one block per distinct score); then adjacent blocks are
 * merged while the left mean is ≥ the right mean (so the output means are strictly increasing).
 * Rows with weight 0 are ignored. Scores must be finite, labels finite (0/1 for calibration),
 * weights finite and ≥ 0; at least one row with positive weight.
 */
export function fitIsotonic(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): IsotonicTable {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`labels have length ${labels.length}, expected ${n}`);
  if (weights && weights.length !== n) throw new RangeError(`weights have length ${weights.length}, expected ${n}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i]!)) throw new RangeError(`score ${scores[i]} at ${i} is not finite`);
    if (!Number.isFinite(labels[i]!)) throw new RangeError(`label ${labels[i]} at ${i} is not finite`);
    if (weights && !(weights[i]! >= 0 && weights[i]! < Infinity))
      throw new RangeError(`weight ${weights[i]} at ${i} is not finite and >= 0`);
  }
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (!weights || weights[i]! > 0) idx.push(i);
  if (idx.length === 0) throw new RangeError('isotonic fit needs at least one row with positive weight');
  idx.sort((a, b) => scores[a]! - scores[b]! || a - b);

  // Stack of blocks: upper bound, Σw, Σw·y (sums, so merged means do not accumulate rounding).
  const bx = new Float64Array(idx.length);
  const bw = new Float64Array(idx.length);
  const bwy = new Float64Array(idx.length);
  let top = -1;
  for (let a = 0; a < idx.length; ) {
    const s = scores[idx[a]!]!;
    let w = 0;
    let wy = 0;
    let b = a;
    for (; b < idx.length && scores[idx[b]!]! === s; b++) {
      const i = idx[b]!;
      const wi = weights ? weights[i]! : 1;
      w += wi;
      wy += wi * labels[i]!;
    }
    a = b;
    while (top >= 0 && bwy[top]! / bw[top]! >= wy / w) {
      w += bw[top]!;
      wy += bwy[top]!;
      top--;
    }
    top++;
    bx[top] = s;
    bw[top] = w;
    bwy[top] = wy;
  }
  const y = new Float64Array(top + 1);
  for (let j = 0; j <= top; j++) y[j] = bwy[j]! / bw[j]!;
  return { x: bx.slice(0, top + 1), y };
}
