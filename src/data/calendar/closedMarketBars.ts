// Bars that lie wholly inside a market's whole-day closures: the FX/metals weekly close (Fri 17:00 →
// Sun 17:00 New York, SPEC §1.4) and its closed holiday trade dates. Providers such as TwelveData
// serve FX and metals through the weekend; such bars are no trades at all. Session breaks (the metals
// daily 17:00-18:00 pause) and holiday early closes are not whole-day closures and never count here.
import { isInWeeklyClose, isOnClosedTradeDate, someBarInstant, type MarketCalendar } from './marketCalendar.js';

export type ClosureKind = 'weekly_close' | 'holiday';

/**
 * The whole-day closure `tsMs` falls in, or null when the market is not closed for the day then;
 * `holidays: false` looks at the weekly close only.
 */
export function closureAt(calendar: MarketCalendar, tsMs: number, holidays = true): ClosureKind | null {
  if (isInWeeklyClose(calendar, tsMs)) return 'weekly_close';
  if (holidays && isOnClosedTradeDate(calendar, tsMs)) return 'holiday';
  return null;
}

export interface ClosedMarketBars {
  /** 1 where the bar at that index lies wholly inside the weekly close or a closed holiday, else 0. */
  mask: Uint8Array;
  /** Number of 1s in `mask`. */
  count: number;
  /** Of those, inside the weekly close (the rest are on closed holidays). */
  weeklyClose: number;
  holiday: number;
}

/** The whole-day closure the bar [tsMs, tsMs + stepMs) lies in entirely, or null when any instant of it trades. */
export function barClosure(
  calendar: MarketCalendar,
  tsMs: number,
  stepMs: number,
  holidays = true,
): ClosureKind | null {
  // A bar spanning the weekly close and an adjoining holiday is reported as weekly close.
  let weekly = false;
  const trades = someBarInstant(tsMs, stepMs, (t) => {
    const kind = closureAt(calendar, t, holidays);
    if (kind === 'weekly_close') weekly = true;
    return kind === null;
  });
  if (trades) return null;
  return weekly ? 'weekly_close' : 'holiday';
}

/**
 * Which of the bars opening at `ts` (UTC ms, any order) lie wholly inside the market's weekly close
 * or on a closed holiday, for bars `stepMs` long. A bar that touches trading time at any instant is
 * kept: a 4h bar opening Sunday 20:00 UTC in summer holds the 21:00 weekly open and is real.
 * Pure; `calendar` comes from `calendarForSymbol(config, symbol)` (FX 24x5 for unlisted symbols).
 * `holidays: false` marks the weekly close only: real broker files do hold FX bars on 25 Dec and
 * 1 Jan (thin markets, but trades), which a caller may want to keep.
 */
export function closedMarketBars(
  calendar: MarketCalendar,
  ts: ArrayLike<number>,
  stepMs: number,
  options: { holidays?: boolean } = {},
): ClosedMarketBars {
  const holidays = options.holidays ?? true;
  const mask = new Uint8Array(ts.length);
  let weeklyClose = 0;
  let holiday = 0;
  for (let i = 0; i < ts.length; i++) {
    const kind = barClosure(calendar, ts[i]!, stepMs, holidays);
    if (kind === null) continue;
    mask[i] = 1;
    if (kind === 'weekly_close') weeklyClose++;
    else holiday++;
  }
  return { mask, count: weeklyClose + holiday, weeklyClose, holiday };
}
