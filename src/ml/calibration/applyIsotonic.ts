// Maps a score through an isotonic step table (plain step, clipped outside the fitted range).
import type { IsotonicTable } from './isotonicTable.js';

/**
 * y[b] for the first block b with score ≤ x[b] (binary search); a score above the last upper bound
 * gets the last y, one below the first gets the first y. A score in the gap between two blocks'
 * training scores takes the upper block's value (the table is right-continuous in that sense: block
 * b owns (x[b−1], x[b]]). NaN maps to NaN.
 */
export function applyIsotonic(table: IsotonicTable, score: number): number {
  if (Number.isNaN(score)) return Number.NaN;
  const { x, y } = table;
  let lo = 0;
  let hi = x.length - 1;
  if (score >= x[hi]!) return y[hi]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (score <= x[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return y[lo]!;
}

/** `applyIsotonic` over an array, into a new Float64Array. */
export function applyIsotonicAll(table: IsotonicTable, scores: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = applyIsotonic(table, scores[i]!);
  return out;
}
