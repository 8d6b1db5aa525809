// The Deflated Sharpe Ratio (Bailey & López de Prado, 2014): the probability that the selected trial's true
// Sharpe exceeds the Sharpe the best of N skill-less trials would show, corrected for skew and fat tails.
import { mean, sampleStd } from '../../core/sampleStats.js';
import { inverseNormalCdf } from './inverseNormalCdf.js';
import { normalCdf } from './normalCdf.js';

/** The Euler–Mascheroni constant γ. */
export const EULER_MASCHERONI = 0.5772156649015329;

/** Per-period moments of one return series; every Sharpe here is per period, never annualised. */
export interface ReturnMoments {
  /** mean / std (ddof = 1), per period. */
  srHat: number;
  /** Sample skewness m3 / m2^1.5 (central moments with divisor T). */
  skew: number;
  /** Sample kurtosis m4 / m2², not excess: 3 for normal returns. */
  kurt: number;
  /** Number of returns. */
  t: number;
}

export interface DeflatedSharpeResult {
  /** Φ((SR̂ − SR0)·√(T − 1) / √(1 − γ3·SR̂ + (γ4 − 1)/4·SR̂²)). */
  dsr: number;
  /** The same with benchmark 0: the Probabilistic Sharpe Ratio PSR(0). */
  psr: number;
  /** Expected maximum per-period Sharpe of N skill-less trials; 0 when N = 1. */
  sr0: number;
  srHat: number;
  n: number;
  v: number;
  t: number;
  skew: number;
  kurt: number;
}

/**
 * Per-period Sharpe, skewness and (non-excess) kurtosis of a return series. NaN moments below two
 * returns or for a constant series (the Sharpe is then undefined, as in `sharpeRatio`).
 */
export function returnMoments(returns: ArrayLike<number>): ReturnMoments {
  const t = returns.length;
  const nan = { srHat: Number.NaN, skew: Number.NaN, kurt: Number.NaN, t };
  if (t < 2) return nan;
  const m = mean(returns);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < t; i++) {
    const d = returns[i]! - m;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= t;
  m3 /= t;
  m4 /= t;
  const s = sampleStd(returns);
  // Same "constant series" rule as sharpeRatio: a spread of rounding noise is no spread.
  if (!(s > 0) || s <= 1e-9 * Math.abs(m)) return nan;
  return { srHat: m / s, skew: m3 / Math.pow(m2, 1.5), kurt: m4 / (m2 * m2), t };
}

/**
 * E[max of N trial Sharpes] under no skill: √V·((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))).
 * N = 1 means no selection: 0 (the formula would give −∞ there). V must be in the per-period units of
 * the Sharpe it is compared with (an annualised variance is periodsPerYear times too large).
 */
export function expectedMaxSharpe(n: number, v: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`number of trials must be an integer ≥ 1, got ${n}`);
  if (n === 1) return 0;
  if (!(v >= 0) || !Number.isFinite(v))
    throw new RangeError(`variance of the trials' Sharpe ratios must be finite and ≥ 0, got ${v}`);
  const g = EULER_MASCHERONI;
  return Math.sqrt(v) * ((1 - g) * inverseNormalCdf(1 - 1 / n) + g * inverseNormalCdf(1 - 1 / (n * Math.E)));
}

/**
 * PSR(SR*) = Φ((SR̂ − SR*)·√(T − 1) / √(1 − γ3·SR̂ + (γ4 − 1)/4·SR̂²)), all Sharpes per period. NaN when
 * the moments are NaN, T < 2, or the variance term is not positive (it is ≥ 0 for any sample's moments,
 * since kurtosis ≥ skew² + 1, and 0 only for degenerate two-valued series).
 */
export function probabilisticSharpe(moments: ReturnMoments, benchmark: number): number {
  const { srHat, skew, kurt, t } = moments;
  if (!(t >= 2)) return Number.NaN;
  const varianceTerm = 1 - skew * srHat + ((kurt - 1) / 4) * srHat * srHat;
  if (!(varianceTerm > 0)) return Number.NaN;
  return normalCdf(((srHat - benchmark) * Math.sqrt(t - 1)) / Math.sqrt(varianceTerm));
}

/**
 * The Deflated Sharpe Ratio of the selected trial, given its per-period returns or their moments, the
 * number of trials N actually run, and V, the variance of the trials' per-period Sharpe ratios (use
 * `trialSharpeVariance`). With N = 1, SR0 = 0 and DSR = PSR(0).
 */
export function deflatedSharpe(
  selected: ArrayLike<number> | ReturnMoments,
  trials: { n: number; v: number },
): DeflatedSharpeResult {
  const moments = isMoments(selected) ? selected : returnMoments(selected);
  const sr0 = expectedMaxSharpe(trials.n, trials.v);
  return {
    dsr: probabilisticSharpe(moments, sr0),
    psr: probabilisticSharpe(moments, 0),
    sr0,
    srHat: moments.srHat,
    n: trials.n,
    v: trials.v,
    t: moments.t,
    skew: moments.skew,
    kurt: moments.kurt,
  };
}

/**
 * V for `deflatedSharpe`: the sample variance (ddof = 1) of the trials' Sharpe ratios, converted to per
 * period. Pass annualised Sharpes with their `periodsPerYear` (SR_period = SR_annual / √periodsPerYear,
 * so V_period = V_annual / periodsPerYear). Non-finite Sharpes (trials without a defined Sharpe) are
 * skipped; NaN with fewer than two finite ones.
 */
export function trialSharpeVariance(sharpes: ArrayLike<number>, periodsPerYear = 1): number {
  const finite: number[] = [];
  for (let i = 0; i < sharpes.length; i++) if (Number.isFinite(sharpes[i])) finite.push(sharpes[i]!);
  const s = sampleStd(finite);
  return (s * s) / periodsPerYear;
}

function isMoments(x: ArrayLike<number> | ReturnMoments): x is ReturnMoments {
  return typeof (x as ReturnMoments).srHat === 'number' && typeof (x as ReturnMoments).t === 'number';
}
