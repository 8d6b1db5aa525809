// Daily returns compounded within ISO weeks (Monday 00:00 UTC to Sunday 24:00 UTC).
import { DAY_MS } from './dailyEquity.js';

export interface WeeklyReturns {
  /** Monday 00:00 UTC of each ISO week with at least one daily return. */
  weekStartMs: Float64Array;
  returns: Float64Array;
}

/** Monday 00:00 UTC of the ISO week holding `ms` (1970-01-01, epoch day 0, was a Thursday). */
export function isoWeekStart(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  const sinceMonday = (((day + 3) % 7) + 7) % 7;
  return (day - sinceMonday) * DAY_MS;
}

/** Π(1 + r_d) − 1 over the days of each ISO week; `dayMs` must increase. Weeks without days are absent. */
export function weeklyReturns(dayMs: ArrayLike<number>, dailyReturns: ArrayLike<number>): WeeklyReturns {
  if (dayMs.length !== dailyReturns.length) throw new RangeError('weeklyReturns: dayMs and returns lengths differ');
  const weeks: number[] = [];
  const growth: number[] = [];
  for (let i = 0; i < dayMs.length; i++) {
    if (i > 0 && !(dayMs[i]! > dayMs[i - 1]!)) throw new RangeError(`weeklyReturns: days must increase (day ${i})`);
    const w = isoWeekStart(dayMs[i]!);
    if (weeks.length > 0 && weeks[weeks.length - 1] === w) growth[growth.length - 1]! *= 1 + dailyReturns[i]!;
    else {
      weeks.push(w);
      growth.push(1 + dailyReturns[i]!);
    }
  }
  return { weekStartMs: Float64Array.from(weeks), returns: Float64Array.from(growth, (g) => g - 1) };
}
