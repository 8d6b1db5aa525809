// Diebold–Mariano test of equal performance of two strategies on aligned (weekly) returns, Newey–West variance.
import { normalCdf } from './normalCdf.js';

export interface DieboldMarianoResult {
  /** DM = d̄ / √(σ̂²_NW / T); negative when the new strategy earns more. */
  statistic: number;
  /** Two-sided p-value 2·(1 − Φ(|DM|)) under the normal approximation. */
  pValue: number;
  /** Mean loss differential d̄ = mean(r_old − r_new). */
  meanDiff: number;
  /** Newey–West long-run variance of d with Bartlett weights. */
  longRunVariance: number;
  lag: number;
  n: number;
}

/** The default Newey–West lag floor(4·(T/100)^(2/9)). */
export function neweyWestLag(n: number): number {
  return Math.floor(4 * Math.pow(n / 100, 2 / 9));
}

/**
 * σ̂² = γ̂_0 + 2·Σ_{k=1..L} (1 − k/(L+1))·γ̂_k with γ̂_k = (1/T)·Σ_{t=k..T−1} (d_t − d̄)(d_{t−k} − d̄).
 * Dividing by T (not T − k) with Bartlett weights keeps the estimate non-negative.
 */
export function neweyWestVariance(d: ArrayLike<number>, lag: number): number {
  const n = d.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += d[i]!;
  m /= n;
  const gamma = (k: number): number => {
    let s = 0;
    for (let t = k; t < n; t++) s += (d[t]! - m) * (d[t - k]! - m);
    return s / n;
  };
  let v = gamma(0);
  for (let k = 1; k <= lag; k++) v += 2 * (1 - k / (lag + 1)) * gamma(k);
  return v;
}

/**
 * Loss is the negative return, so d_t = loss_new − loss_old = r_old,t − r_new,t. `lag` defaults to
 * neweyWestLag(T) and is capped at T − 1. NaN statistic and p-value below two observations or when
 * d has no variance (identical strategies).
 */
export function dieboldMariano(
  rNew: ArrayLike<number>,
  rOld: ArrayLike<number>,
  opts: { lag?: number } = {},
): DieboldMarianoResult {
  const n = rNew.length;
  if (rOld.length !== n) throw new RangeError(`dieboldMariano: series lengths differ (${n} vs ${rOld.length})`);
  if (opts.lag !== undefined && (!Number.isInteger(opts.lag) || opts.lag < 0))
    throw new RangeError(`lag must be a non-negative integer, got ${opts.lag}`);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = rOld[i]! - rNew[i]!;
  const lag = n < 2 ? 0 : Math.min(opts.lag ?? neweyWestLag(n), n - 1);
  let meanDiff = 0;
  for (let i = 0; i < n; i++) meanDiff += d[i]!;
  meanDiff = n > 0 ? meanDiff / n : Number.NaN;
  if (n < 2) return { statistic: Number.NaN, pValue: Number.NaN, meanDiff, longRunVariance: Number.NaN, lag, n };
  const longRunVariance = neweyWestVariance(d, lag);
  if (!(longRunVariance > 0)) return { statistic: Number.NaN, pValue: Number.NaN, meanDiff, longRunVariance, lag, n };
  const statistic = meanDiff / Math.sqrt(longRunVariance / n);
  // 2·(1 − Φ(|z|)) written as 2·Φ(−|z|) keeps small p-values exact instead of rounding to 0.
  return { statistic, pValue: 2 * normalCdf(-Math.abs(statistic)), meanDiff, longRunVariance, lag, n };
}
