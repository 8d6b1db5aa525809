// The θ1/θ2 values the grid stage tries (SPEC §6): the seed's ranges at their step, and quantiles of
// the out-of-sample probabilities — with a ~6 % AI1 base rate, calibrated probabilities rarely reach
// the seed's θ1 ≥ 0.60, so a grid only there may never trade.

/** `low, low + step, …` up to `high` (inclusive within 1e-9), rounded to the step's decimals. */
export function stepGrid(low: number, high: number, step: number): number[] {
  if (!(Number.isFinite(low) && Number.isFinite(high) && low <= high))
    throw new RangeError(`empty range [${low}, ${high}]`);
  if (!(step > 0)) throw new RangeError(`grid step ${step} is not positive`);
  const decimals = Math.max(0, Math.ceil(-Math.log10(step)) + 2);
  const out: number[] = [];
  for (let i = 0; low + i * step <= high + 1e-9; i++) out.push(Number((low + i * step).toFixed(decimals)));
  return out;
}

/** The q-quantile (0 ≤ q ≤ 1) of `sorted` (ascending, finite) by linear interpolation between order statistics. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of no values');
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * `count` thresholds at evenly spaced quantiles from `qLow` to `qHigh` of the finite values of
 * `probs` (e.g. 13 from the 50th to the 99th percentile), deduplicated, ascending.
 */
export function quantileGrid(probs: ArrayLike<number>, qLow: number, qHigh: number, count: number): number[] {
  if (!(qLow >= 0 && qHigh <= 1 && qLow <= qHigh)) throw new RangeError(`empty quantile range [${qLow}, ${qHigh}]`);
  if (!(Number.isInteger(count) && count >= 1))
    throw new RangeError(`quantile count ${count} is not a positive integer`);
  const finite = Float64Array.from(Array.from({ length: probs.length }, (_, i) => probs[i]!).filter(Number.isFinite));
  if (finite.length === 0) throw new RangeError('no finite probabilities to take quantiles of');
  finite.sort();
  const out = new Set<number>();
  for (let i = 0; i < count; i++) {
    const q = count === 1 ? qLow : qLow + ((qHigh - qLow) * i) / (count - 1);
    out.add(quantileSorted(finite, q));
  }
  return [...out].sort((a, b) => a - b);
}

export interface ThetaPoint {
  theta1: number;
  theta2: number;
}

/** Every (θ1, θ2) of two axes. */
export function gridPoints(theta1: readonly number[], theta2: readonly number[]): ThetaPoint[] {
  return theta1.flatMap((t1) => theta2.map((t2) => ({ theta1: t1, theta2: t2 })));
}
