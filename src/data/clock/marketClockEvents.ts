// Where the FX/metals market says a file's bars must stop and start, in New York time: the weekly
// close (Friday 17:00), the weekly open (Sunday 17:00 for FX, 18:00 for metals) and the metals daily
// break (17:00–18:00, Monday to Thursday). A file read in the right clock has its weekly close and
// its one-hour gaps exactly there, whatever the season. The weekly open may come up to an hour late:
// a MetaTrader server starts its week at server midnight, so an EET broker opens at 18:00 New York
// in the weeks when the US is already on summer time and the EU not yet (the bundled EET samples do).
import { ZoneClock } from '../../core/zoneClock.js';

export type ClockMarket = 'fx' | 'metals';

const HOUR_MS = 3_600_000;
const DAY_MIN = 1440;
/** A gap at least this long between a bar's close and the next bar's open is a weekend. */
export const WEEKEND_GAP_MS = 40 * HOUR_MS;
export const WEEKLY_CLOSE_NY_MIN = 17 * 60;
export const DAILY_BREAK_NY_MIN = 17 * 60;

const NEW_YORK = ZoneClock.of('America/New_York');

/** Gold, silver, platinum and palladium reopen an hour after FX and pause every day; the rest is FX. */
export function clockMarketOf(symbol: string): ClockMarket {
  return /^(XAU|XAG|XPT|XPD)/.test(symbol.toUpperCase()) ? 'metals' : 'fx';
}

export function weeklyOpenNyMin(market: ClockMarket): number {
  return market === 'metals' ? 18 * 60 : 17 * 60;
}

/** Minutes after New York midnight of a UTC instant. */
export function nyMinuteOf(utcMs: number): number {
  const wall = NEW_YORK.toWall(utcMs);
  return Math.round((((wall % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
}

/** True when the bar opening at `openUtc` holds the market's weekly open. */
export function holdsWeeklyOpen(openUtc: number, tfMs: number, market: ClockMarket): boolean {
  const d = (((weeklyOpenNyMin(market) - nyMinuteOf(openUtc)) % DAY_MIN) + DAY_MIN) % DAY_MIN;
  return d < tfMs / 60_000;
}

/** True when the week's first bar holds the market's open, or comes at most an hour after it (server midnight). */
export function fitsWeeklyOpen(openUtc: number, tfMs: number, market: ClockMarket): boolean {
  return holdsWeeklyOpen(openUtc, tfMs, market) || holdsWeeklyOpen(openUtc - HOUR_MS, tfMs, market);
}

/** True when the bar opening at `openUtc` is the last one before the weekly close. */
export function endsAtWeeklyClose(openUtc: number, tfMs: number): boolean {
  const d = (((WEEKLY_CLOSE_NY_MIN - nyMinuteOf(openUtc)) % DAY_MIN) + DAY_MIN) % DAY_MIN;
  return d > 0 && d <= tfMs / 60_000;
}

/** True when a gap starting at `gapStartUtc` (a bar's close) is the metals daily break. */
export function startsDailyBreak(gapStartUtc: number): boolean {
  return nyMinuteOf(gapStartUtc) === DAILY_BREAK_NY_MIN;
}

/**
 * Indexes of the rows that open a week: the first bar after a gap of `WEEKEND_GAP_MS` or more
 * (times ascending; they may be wall times or UTC).
 */
export function weekOpenRows(ts: ArrayLike<number>, count: number, tfMs: number): number[] {
  const out: number[] = [];
  for (let i = 1; i < count; i++) if (ts[i]! - (ts[i - 1]! + tfMs) >= WEEKEND_GAP_MS) out.push(i);
  return out;
}
