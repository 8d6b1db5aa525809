// The ingest-time guard against a wrong --tz: weeks where the converted bars sit an hour outside the
// market's hours, which no broker session explains: a first bar an hour before the weekly open, a
// last bar ending an hour after the weekly close, or (metals) a daily break an hour off 17:00 New
// York. An EET reading of a "New York + 7" file does this in every US-only DST week. A first bar an
// hour late is not counted: MetaTrader servers start the week at server midnight (see marketClockEvents).
import {
  endsAtWeeklyClose,
  holdsWeeklyOpen,
  nyMinuteOf,
  startsDailyBreak,
  WEEKEND_GAP_MS,
  DAILY_BREAK_NY_MIN,
  type ClockMarket,
} from './marketClockEvents.js';

const HOUR_MS = 3_600_000;

export type ShiftKind = 'earlyOpen' | 'lateClose' | 'dailyBreak';

export interface MarketHoursShift {
  /** Weeks seen (a weekend gap before or after them, or a daily break in them). */
  weeks: number;
  /** Of those, weeks with at least one of the shifts above. */
  shiftedWeeks: number;
  /** The first shift found: what, and the UTC instant (bar open, or the break's start). */
  first?: { kind: ShiftKind; ts: number };
}

const WEEK_MS = 7 * 86_400_000;
/** Weeks counted from Sunday 00:00 UTC. */
const weekOf = (ts: number) => Math.floor((ts + 4 * 86_400_000) / WEEK_MS);

/** `ts` ascending UTC bar opens. */
export function marketHoursShift(
  ts: ArrayLike<number>,
  count: number,
  tfMs: number,
  market: ClockMarket,
): MarketHoursShift {
  const seen = new Set<number>();
  const shifted = new Set<number>();
  let first: MarketHoursShift['first'];
  const flag = (kind: ShiftKind, at: number) => {
    shifted.add(weekOf(at));
    first ??= { kind, ts: at };
  };
  for (let i = 1; i < count; i++) {
    const prev = ts[i - 1]!;
    const next = ts[i]!;
    const gap = next - (prev + tfMs);
    if (gap >= WEEKEND_GAP_MS) {
      seen.add(weekOf(prev));
      seen.add(weekOf(next));
      if (!endsAtWeeklyClose(prev, tfMs) && endsAtWeeklyClose(prev - HOUR_MS, tfMs)) flag('lateClose', prev);
      if (!holdsWeeklyOpen(next, tfMs, market) && holdsWeeklyOpen(next + HOUR_MS, tfMs, market))
        flag('earlyOpen', next);
    } else if (market === 'metals' && tfMs <= HOUR_MS && gap === HOUR_MS) {
      const start = prev + tfMs;
      seen.add(weekOf(start));
      const m = nyMinuteOf(start);
      if (!startsDailyBreak(start) && Math.abs(m - DAILY_BREAK_NY_MIN) === 60) flag('dailyBreak', start);
    }
  }
  return { weeks: seen.size, shiftedWeeks: shifted.size, first };
}
