// Annualised Sharpe ratio of a return series: mean / std (ddof = 1) × √periodsPerYear.
import { mean, sampleStd } from '../../core/sampleStats.js';

/**
 * A spread this small relative to the mean is rounding noise of a constant-return series (returns
 * recomputed from a compounding curve differ in the last bits); dividing by it would report a huge
 * finite Sharpe instead of "undefined".
 */
const RELATIVE_NOISE = 1e-9;

/** NaN (never ±Infinity) below two returns, or when the returns are constant. */
export function sharpeRatio(returns: ArrayLike<number>, periodsPerYear = 252): number {
  if (returns.length < 2) return Number.NaN;
  const m = mean(returns);
  const s = sampleStd(returns);
  if (!(s > 0) || s <= RELATIVE_NOISE * Math.abs(m)) return Number.NaN;
  return (m / s) * Math.sqrt(periodsPerYear);
}
