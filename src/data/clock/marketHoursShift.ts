// The ingest-time guard against a wrong --tz: weeks whose converted bars sit a whole number of hours
// (1 to 12) away from the market's hours: a weekly close that lands N h after (or before) Friday
// 17:00 New York, a weekly open N h away from Sunday 17:00 (18:00 for metals), or metals daily
// breaks N h off 17:00 New York. An EET reading of a "New York + 7" file is 1 h late in every
// US-only DST week; a UTC reading of an EET file is 2–3 h late in every week.
//
// What stays silent, so that right readings never warn: a first bar up to an hour late
// (MetaTrader servers start the week at server midnight, see marketClockEvents); a weekly close or
// open that no shift of up to 12 h puts on a Friday/Sunday (holidays, gaps in the data); and single
// one-hour holes in a metals week (missing bars): a week counts by its daily breaks only when most of
// them agree on the same shift; a close an hour early (a missing last bar) says nothing; and a shift
// of 2 h or more counts only when most weeks have one (a holiday closes early on some Fridays). A
// week is judged by its close first, then its breaks, then its open.
import {
  DAILY_BREAK_NY_MIN,
  endsAtWeeklyClose,
  fitsWeeklyOpen,
  holdsWeeklyOpen,
  nyMinuteOf,
  WEEKEND_GAP_MS,
  type ClockMarket,
} from './marketClockEvents.js';
import { ZoneClock } from '../../core/zoneClock.js';

const HOUR_MS = 3_600_000;
/** The largest shift looked for, in hours, either way. */
export const MAX_SHIFT_HOURS = 12;

export type ShiftKind = 'earlyOpen' | 'lateOpen' | 'earlyClose' | 'lateClose' | 'dailyBreak';

export interface MarketHoursShift {
  /** Weeks seen (a weekend gap before or after them, or a daily break in them). */
  weeks: number;
  /** Of those, weeks whose bars sit a whole number of hours away from the market's hours. */
  shiftedWeeks: number;
  /** The smallest and largest shift shared by at least a tenth of those weeks, in hours (positive: bars later than the market). */
  minShift: number;
  maxShift: number;
  /** The first shifted week's event: what, the UTC instant (bar open, or the break's start), and its shift. */
  first?: { kind: ShiftKind; ts: number; hours: number };
}

const WEEK_MS = 7 * 86_400_000;
/** Weeks counted from Sunday 00:00 UTC. */
const weekOf = (ts: number) => Math.floor((ts + 4 * 86_400_000) / WEEK_MS);

const NEW_YORK = ZoneClock.of('America/New_York');
/** Day of the week in New York (0 = Sunday) of a UTC instant. */
const nyDay = (utc: number) => new Date(NEW_YORK.toWall(utc)).getUTCDay();

/** Shifts tried, smallest first: 1, -1, 2, -2, … 12, -12. */
const SHIFTS = Array.from({ length: 2 * MAX_SHIFT_HOURS }, (_, i) => (i % 2 === 0 ? 1 : -1) * (Math.floor(i / 2) + 1));

/** Hours the week's last bar (opening at `prev`) sits after the Friday close; 0 when on time, null when no shift explains it. */
function closeShift(prev: number, tfMs: number): number | null {
  if (endsAtWeeklyClose(prev, tfMs)) return 0;
  for (const k of SHIFTS) {
    const open = prev - k * HOUR_MS;
    // A week ending an hour early is most often a missing last bar: the open and breaks decide it.
    if (endsAtWeeklyClose(open, tfMs) && nyDay(open) === 5) return k === -1 ? null : k;
  }
  return null;
}

/** Hours the week's first bar (opening at `next`) sits after the Sunday open, beyond the server-midnight hour. */
function openShift(next: number, tfMs: number, market: ClockMarket): number | null {
  if (fitsWeeklyOpen(next, tfMs, market)) return 0;
  for (const k of SHIFTS) {
    const open = next - k * HOUR_MS;
    if (holdsWeeklyOpen(open, tfMs, market) && nyDay(open) === 0) return k;
  }
  return null;
}

interface WeekEvents {
  close?: { ts: number; hours: number };
  open?: { ts: number; hours: number };
  breaks: Array<{ ts: number; hours: number }>;
}

/** `ts` ascending UTC bar opens. */
export function marketHoursShift(
  ts: ArrayLike<number>,
  count: number,
  tfMs: number,
  market: ClockMarket,
): MarketHoursShift {
  const weeks = new Map<number, WeekEvents>();
  const week = (at: number) => {
    const w = weekOf(at);
    let e = weeks.get(w);
    if (!e) weeks.set(w, (e = { breaks: [] }));
    return e;
  };
  for (let i = 1; i < count; i++) {
    const prev = ts[i - 1]!;
    const next = ts[i]!;
    const gap = next - (prev + tfMs);
    if (gap >= WEEKEND_GAP_MS) {
      const c = closeShift(prev, tfMs);
      const wc = week(prev);
      if (c !== null) wc.close ??= { ts: prev, hours: c };
      const o = openShift(next, tfMs, market);
      const wo = week(next);
      if (o !== null) wo.open ??= { ts: next, hours: o };
    } else if (market === 'metals' && tfMs <= HOUR_MS && gap === HOUR_MS) {
      const start = prev + tfMs;
      let hours = (nyMinuteOf(start) - DAILY_BREAK_NY_MIN) / 60;
      if (hours > MAX_SHIFT_HOURS) hours -= 24;
      else if (hours < -MAX_SHIFT_HOURS) hours += 24;
      if (Number.isInteger(hours)) week(start).breaks.push({ ts: start, hours });
    }
  }
  const judged = [...weeks.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, e]) => judge(e))
    .filter((j) => j !== undefined);
  // A shift of 2 h or more must hold in most weeks: a single one is a holiday's early close.
  const large = judged.filter((j) => Math.abs(j.hours) >= 2).length;
  const counts = (h: number) => (large * 2 > judged.length ? h !== 0 : Math.abs(h) === 1);
  let shiftedWeeks = 0;
  let first: MarketHoursShift['first'];
  const tally = new Map<number, number>();
  for (const j of judged) {
    if (!counts(j.hours)) continue;
    shiftedWeeks++;
    tally.set(j.hours, (tally.get(j.hours) ?? 0) + 1);
    first ??= j;
  }
  // The shifts named: those of at least a tenth of the shifted weeks (EET read as UTC: 2 and 3 h),
  // not a holiday week's odd one.
  const common = [...tally.entries()].filter(([, n]) => n * 10 >= shiftedWeeks).map(([h]) => h);
  const minShift = common.length > 0 ? Math.min(...common) : 0;
  const maxShift = common.length > 0 ? Math.max(...common) : 0;
  return { weeks: weeks.size, shiftedWeeks, minShift, maxShift, first };
}

/** The week's shift: by its close, else the shift most of its daily breaks share, else its open. */
function judge(e: WeekEvents): MarketHoursShift['first'] | undefined {
  if (e.close) return { kind: e.close.hours >= 0 ? 'lateClose' : 'earlyClose', ...e.close };
  if (e.breaks.length > 0) {
    const tally = new Map<number, number>();
    for (const b of e.breaks) tally.set(b.hours, (tally.get(b.hours) ?? 0) + 1);
    const [hours, n] = [...tally.entries()].sort((a, b) => b[1] - a[1] || Math.abs(a[0]) - Math.abs(b[0]))[0]!;
    // One odd hole is a missing bar, not a clock: a shift needs two breaks and a majority.
    if (hours === 0 || n * 2 <= e.breaks.length || n < 2) return { kind: 'dailyBreak', ts: e.breaks[0]!.ts, hours: 0 };
    return { kind: 'dailyBreak', ts: e.breaks.find((b) => b.hours === hours)!.ts, hours };
  }
  if (e.open) return { kind: e.open.hours >= 0 ? 'lateOpen' : 'earlyOpen', ...e.open };
  return undefined;
}
