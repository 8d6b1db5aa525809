// Daily simple returns and daily P&L from daily closes, the first day measured against initial capital.
import type { DailyEquity } from './dailyEquity.js';

/**
 * r_0 = E_0 / C − 1, r_i = E_i / E_{i−1} − 1. The curve starts at the initial capital C before the
 * first bar, so the first day's P&L counts and a single day still has one return.
 */
export function dailyReturns(daily: DailyEquity, initialCapitalUsd: number): Float64Array {
  const e = daily.equity;
  const out = new Float64Array(e.length);
  let prev = initialCapitalUsd;
  for (let i = 0; i < e.length; i++) {
    out[i] = e[i]! / prev - 1;
    prev = e[i]!;
  }
  return out;
}

/** Daily P&L in USD: E_i − E_{i−1}, with E_{−1} = C. */
export function dailyPnlUsd(daily: DailyEquity, initialCapitalUsd: number): Float64Array {
  const e = daily.equity;
  const out = new Float64Array(e.length);
  let prev = initialCapitalUsd;
  for (let i = 0; i < e.length; i++) {
    out[i] = e[i]! - prev;
    prev = e[i]!;
  }
  return out;
}
