// When a symbol trades: the FX/metals weekly close (Fri 22:00 → Sun 22:00 UTC), daily sessions and
// closed holidays (SPEC §1.4). A bar is expected when its open time falls inside trading time.
// Sessions are wall times in the leg's `timezone`, so a daily break that follows New York's 17:00
// (metals) stays right across daylight saving; the weekly close is in UTC as SPEC fixes it.
import { ZoneClock } from '../../core/zoneClock.js';

export interface SessionWindow {
  /** Minutes after 00:00 UTC, start inclusive. */
  startMin: number;
  /** Minutes after 00:00 UTC, end exclusive (1440 = midnight). */
  endMin: number;
}

export interface MarketCalendar {
  sessions: SessionWindow[];
  /** Zone of the session times; undefined for UTC. */
  sessionZone?: ZoneClock;
  weeklyClose: boolean;
  /** Closed whole UTC days, as `MM-DD`. */
  closedDays: Set<string>;
}

const DAY_MS = 86_400_000;
const FRI = 5;
const SAT = 6;
const SUN = 0;
const WEEKLY_CLOSE_MIN = 22 * 60;

/** Calendars by `holidays_calendar` name; Christmas and New Year's Day are closed in both. */
const HOLIDAYS: Record<string, string[]> = { FX: ['12-25', '01-01'], US: ['12-25', '01-01'], NONE: [] };

export function parseHourMinute(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return h! * 60 + m!;
}

export function makeCalendar(options: { sessions?: Array<{ start: string; end: string }>; weeklyClose?: boolean; holidaysCalendar?: string; timezone?: string } = {}): MarketCalendar {
  const sessions = (options.sessions ?? [{ start: '00:00', end: '24:00' }]).map((s) => ({ startMin: parseHourMinute(s.start), endMin: parseHourMinute(s.end) }));
  const zone = options.timezone && options.timezone.toUpperCase() !== 'UTC' ? ZoneClock.of(options.timezone) : undefined;
  return {
    sessions,
    sessionZone: zone,
    weeklyClose: options.weeklyClose ?? true,
    closedDays: new Set(HOLIDAYS[options.holidaysCalendar ?? 'FX'] ?? HOLIDAYS.FX!),
  };
}

/** The default calendar for FX and metals: 24 h sessions, weekly close, Christmas and New Year closed. */
export const FX_CALENDAR = makeCalendar();

/** True when a bar opening at `tsMs` (UTC) is inside trading time. */
export function isTradingTime(calendar: MarketCalendar, tsMs: number): boolean {
  const d = new Date(tsMs);
  const dow = d.getUTCDay();
  const minute = d.getUTCHours() * 60 + d.getUTCMinutes();
  if (calendar.weeklyClose) {
    if (dow === SAT) return false;
    if (dow === FRI && minute >= WEEKLY_CLOSE_MIN) return false;
    if (dow === SUN && minute < WEEKLY_CLOSE_MIN) return false;
  }
  if (calendar.closedDays.size > 0) {
    const md = `${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
    if (calendar.closedDays.has(md)) return false;
  }
  let sessionMinute = minute;
  if (calendar.sessionZone) {
    const wall = new Date(calendar.sessionZone.toWall(tsMs));
    sessionMinute = wall.getUTCHours() * 60 + wall.getUTCMinutes();
  }
  for (const s of calendar.sessions) if (sessionMinute >= s.startMin && sessionMinute < s.endMin) return true;
  return false;
}

/** Number of expected bar opens in [fromMs, toMs) stepping by `stepMs`. */
export function countExpectedBars(calendar: MarketCalendar, fromMs: number, toMs: number, stepMs: number): number {
  let n = 0;
  for (let t = fromMs; t < toMs; t += stepMs) if (isTradingTime(calendar, t)) n++;
  return n;
}

export { DAY_MS };
