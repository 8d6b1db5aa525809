// When a symbol trades (SPEC §1.4): daily sessions in the leg's zone, the FX/metals weekly close
// (Fri 17:00 → Sun 17:00 America/New_York), and its market's holidays: closed trade dates and early
// closes. A bar is expected when its open time falls inside trading time, and an order may go out at
// an instant inside it. Everything is decided in New York wall time, so it stays right across daylight
// saving: the weekly close is 21:00 UTC in the northern summer and 22:00 UTC in winter.
import { ZoneClock } from '../../core/zoneClock.js';
import { holidaysInYear, type HolidayRule } from './marketHolidays.js';

export interface SessionWindow {
  /** Minutes after 00:00 in the session zone, start inclusive. */
  startMin: number;
  /** Minutes after 00:00, end exclusive (1440 = midnight). */
  endMin: number;
}

/** One market's holidays, as calendars.yaml gives them (New York times). */
export interface HolidaySpec {
  /** `MM-DD` trade dates closed every year. */
  closedDates: string[];
  closedRules: HolidayRule[];
  earlyCloseRules: HolidayRule[];
  /** `HH:MM` New York. */
  earlyCloseTime: string;
}

export interface MarketCalendar {
  sessions: SessionWindow[];
  /** Zone of the session times; undefined for UTC. */
  sessionZone?: ZoneClock;
  weeklyClose: boolean;
  holidays: HolidaySpec;
  /** month × 100 + day of closedDates. */
  closedMonthDays: Set<number>;
  earlyCloseMin: number;
  /** Per year: yyyymmdd of closed trade dates and of early-close dates (built on first use). */
  closedByYear: Map<number, Set<number>>;
  earlyByYear: Map<number, Set<number>>;
}

const SAT = 6;
const FRI = 5;
const SUN = 0;
/** The FX week closes Friday and opens Sunday at 17:00 New York time; the FX trade date rolls then too. */
const DAY_ROLL_MIN = 17 * 60;
const DAY_ROLL_MS = (24 * 60 - DAY_ROLL_MIN) * 60_000;
const NEW_YORK = ZoneClock.of('America/New_York');

export const FX_HOLIDAYS: HolidaySpec = {
  closedDates: ['12-25', '01-01'],
  closedRules: [],
  earlyCloseRules: [],
  earlyCloseTime: '13:00',
};

export function parseHourMinute(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return h! * 60 + m!;
}

export function makeCalendar(
  options: {
    sessions?: Array<{ start: string; end: string }>;
    weeklyClose?: boolean;
    holidays?: HolidaySpec;
    timezone?: string;
  } = {},
): MarketCalendar {
  const sessions = (options.sessions ?? [{ start: '00:00', end: '24:00' }]).map((s) => ({
    startMin: parseHourMinute(s.start),
    endMin: parseHourMinute(s.end),
  }));
  const zone =
    options.timezone && options.timezone.toUpperCase() !== 'UTC' ? ZoneClock.of(options.timezone) : undefined;
  const holidays = options.holidays ?? FX_HOLIDAYS;
  return {
    sessions,
    sessionZone: zone,
    weeklyClose: options.weeklyClose ?? true,
    holidays,
    closedMonthDays: new Set(holidays.closedDates.map((md) => Number(md.slice(0, 2)) * 100 + Number(md.slice(3, 5)))),
    earlyCloseMin: parseHourMinute(holidays.earlyCloseTime),
    closedByYear: new Map(),
    earlyByYear: new Map(),
  };
}

/** The default calendar for FX: 24 h sessions, the New York weekly close, Christmas and New Year closed. */
export const FX_CALENDAR = makeCalendar();

function datesOf(cache: Map<number, Set<number>>, rules: HolidayRule[], year: number): Set<number> {
  let set = cache.get(year);
  if (!set) {
    set = new Set([...holidaysInYear(rules, year).keys()].map((d) => Number(d.replaceAll('-', ''))));
    cache.set(year, set);
  }
  return set;
}

/** True when `tsMs` falls inside the FX/metals weekly close (Fri 17:00 → Sun 17:00 New York); false when the calendar has none. */
export function isInWeeklyClose(calendar: MarketCalendar, tsMs: number): boolean {
  if (!calendar.weeklyClose) return false;
  const ny = new Date(NEW_YORK.toWall(tsMs));
  const dow = ny.getUTCDay();
  const nyMinute = ny.getUTCHours() * 60 + ny.getUTCMinutes();
  return dow === SAT || (dow === FRI && nyMinute >= DAY_ROLL_MIN) || (dow === SUN && nyMinute < DAY_ROLL_MIN);
}

/** True when `tsMs` falls on one of the calendar's closed trade dates (a trade date runs 17:00 → 17:00 New York). */
export function isOnClosedTradeDate(calendar: MarketCalendar, tsMs: number): boolean {
  const h = calendar.holidays;
  if (calendar.closedMonthDays.size === 0 && h.closedRules.length === 0) return false;
  const trade = new Date(NEW_YORK.toWall(tsMs) + DAY_ROLL_MS);
  const md = (trade.getUTCMonth() + 1) * 100 + trade.getUTCDate();
  if (calendar.closedMonthDays.has(md)) return true;
  const year = trade.getUTCFullYear();
  return h.closedRules.length > 0 && datesOf(calendar.closedByYear, h.closedRules, year).has(year * 10_000 + md);
}

/** True when `tsMs` (UTC) is inside trading time: a bar opening then is expected, an order then may go out. */
export function isTradingTime(calendar: MarketCalendar, tsMs: number): boolean {
  const nyWall = NEW_YORK.toWall(tsMs);
  const ny = new Date(nyWall);
  const nyMinute = ny.getUTCHours() * 60 + ny.getUTCMinutes();
  if (calendar.weeklyClose) {
    const dow = ny.getUTCDay();
    if (dow === SAT) return false;
    if (dow === FRI && nyMinute >= DAY_ROLL_MIN) return false;
    if (dow === SUN && nyMinute < DAY_ROLL_MIN) return false;
  }
  const h = calendar.holidays;
  if (calendar.closedMonthDays.size > 0 || h.closedRules.length > 0) {
    // The trade date: after 17:00 New York it is already the next day's.
    const trade = new Date(nyWall + DAY_ROLL_MS);
    const md = (trade.getUTCMonth() + 1) * 100 + trade.getUTCDate();
    if (calendar.closedMonthDays.has(md)) return false;
    const year = trade.getUTCFullYear();
    if (h.closedRules.length > 0 && datesOf(calendar.closedByYear, h.closedRules, year).has(year * 10_000 + md))
      return false;
  }
  if (h.earlyCloseRules.length > 0 && nyMinute >= calendar.earlyCloseMin && nyMinute < DAY_ROLL_MIN) {
    const year = ny.getUTCFullYear();
    const ymd = year * 10_000 + (ny.getUTCMonth() + 1) * 100 + ny.getUTCDate();
    if (datesOf(calendar.earlyByYear, h.earlyCloseRules, year).has(ymd)) return false;
  }
  let sessionMinute: number;
  if (!calendar.sessionZone) {
    const d = new Date(tsMs);
    sessionMinute = d.getUTCHours() * 60 + d.getUTCMinutes();
  } else if (calendar.sessionZone === NEW_YORK) {
    sessionMinute = nyMinute;
  } else {
    const wall = new Date(calendar.sessionZone.toWall(tsMs));
    sessionMinute = wall.getUTCHours() * 60 + wall.getUTCMinutes();
  }
  for (const s of calendar.sessions) if (sessionMinute >= s.startMin && sessionMinute < s.endMin) return true;
  return false;
}

// Closures, breaks and sessions start and end on quarter-hour marks in UTC (17:00 and 13:00 New
// York, session times like 09:30), so a bar's open and every quarter-hour mark inside it find any
// change of state inside the bar.
const QUARTER_MS = 15 * 60_000;

/** True when `test` holds at the bar's open or at any UTC quarter-hour mark inside [tsMs, tsMs + stepMs). */
export function someBarInstant(tsMs: number, stepMs: number, test: (instantMs: number) => boolean): boolean {
  if (test(tsMs)) return true;
  const end = tsMs + stepMs;
  for (let t = Math.floor(tsMs / QUARTER_MS) * QUARTER_MS + QUARTER_MS; t < end; t += QUARTER_MS)
    if (test(t)) return true;
  return false;
}

/**
 * True when any instant of the bar [tsMs, tsMs + stepMs) is inside trading time. A 4h bar opening
 * Sunday 20:00 UTC holds the 21:00/22:00 UTC weekly open: it is real, so DQ does not list it
 * `in_closure`, although (by its open instant) it is not an expected bar. For 1h and 15m bars on the
 * bundled calendars, whose boundaries are whole hours, this equals `isTradingTime(calendar, tsMs)`.
 */
export function isBarInTradingTime(calendar: MarketCalendar, tsMs: number, stepMs: number): boolean {
  return someBarInstant(tsMs, stepMs, (t) => isTradingTime(calendar, t));
}

/** Number of expected bar opens in [fromMs, toMs) stepping by `stepMs`. */
export function countExpectedBars(calendar: MarketCalendar, fromMs: number, toMs: number, stepMs: number): number {
  let n = 0;
  for (let t = fromMs; t < toMs; t += stepMs) if (isTradingTime(calendar, t)) n++;
  return n;
}
