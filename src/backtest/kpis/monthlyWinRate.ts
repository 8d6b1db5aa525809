// Share of calendar months (UTC) whose equity return is positive.
import type { DailyEquity } from './dailyEquity.js';

/** Months with a positive return, months counted (only months with at least one daily close). */
export interface MonthlyWins {
  positive: number;
  months: number;
  rate: number;
}

/**
 * A month's return is its last daily close over the previous counted month's last close (the first
 * month over the initial capital) minus 1. Zero is not a win. A month with no daily close is not
 * counted. `rate` is NaN with no months.
 */
export function monthlyWinRate(daily: DailyEquity, initialCapitalUsd: number): MonthlyWins {
  let positive = 0;
  let months = 0;
  let base = initialCapitalUsd;
  const n = daily.dayMs.length;
  for (let i = 0; i < n; i++) {
    const d = new Date(daily.dayMs[i]!);
    const key = d.getUTCFullYear() * 12 + d.getUTCMonth();
    const next = i + 1 < n ? new Date(daily.dayMs[i + 1]!) : undefined;
    const lastOfMonth = next === undefined || next.getUTCFullYear() * 12 + next.getUTCMonth() !== key;
    if (!lastOfMonth) continue;
    const close = daily.equity[i]!;
    months++;
    if (close / base - 1 > 0) positive++;
    base = close;
  }
  return { positive, months, rate: months === 0 ? Number.NaN : positive / months };
}
