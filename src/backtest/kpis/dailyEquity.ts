// Per-bar equity resampled to daily closes at the 00:00 UTC day boundary (SPEC §0, §7).

import { DAY_MS, utcDayStart } from '../../core/time.js';

export { DAY_MS, utcDayStart };

/** Daily closes: `dayMs[i]` is 00:00 UTC of the day, `equity[i]` the equity of its last bar. */
export interface DailyEquity {
  dayMs: Float64Array;
  equity: Float64Array;
}

/**
 * Resamples a per-bar equity curve (UTC ms bar times, non-decreasing; equity in USD) to daily closes.
 * A day's close is its last bar's equity; days without bars are absent, never forward-filled, so a
 * weekend does not add zero-return days that would flatten σ.
 */
export function dailyEquity(timesMs: ArrayLike<number>, equity: ArrayLike<number>): DailyEquity {
  const n = timesMs.length;
  if (equity.length !== n) throw new RangeError(`dailyEquity: ${n} times but ${equity.length} equity values`);
  const days: number[] = [];
  const closes: number[] = [];
  let prevT = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t = timesMs[i]!;
    const e = equity[i]!;
    if (!Number.isFinite(t) || !Number.isFinite(e)) throw new RangeError(`dailyEquity: non-finite value at bar ${i}`);
    if (t < prevT) throw new RangeError(`dailyEquity: bar times must not decrease (bar ${i})`);
    prevT = t;
    const d = utcDayStart(t);
    if (days.length > 0 && days[days.length - 1] === d) closes[closes.length - 1] = e;
    else {
      days.push(d);
      closes.push(e);
    }
  }
  return { dayMs: Float64Array.from(days), equity: Float64Array.from(closes) };
}
