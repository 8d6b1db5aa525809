// Timeframes and UTC time helpers shared by every layer (SPEC §0).
import { PtError } from './ptError.js';

export const TIMEFRAMES = ['15m', '1h', '4h'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

const TIMEFRAME_MS: Record<Timeframe, number> = { '15m': 900_000, '1h': 3_600_000, '4h': 14_400_000 };

export function isTimeframe(value: string): value is Timeframe {
  return (TIMEFRAMES as readonly string[]).includes(value);
}

/** Normalises `1h`, `H1`, `60min`, `1H` … to a Timeframe, or throws a usage error. */
export function maybeTimeframe(value: string): Timeframe {
  const v = value.trim().toLowerCase();
  const aliases: Record<string, Timeframe> = {
    '15m': '15m',
    '15min': '15m',
    m15: '15m',
    '1h': '1h',
    '60m': '1h',
    '60min': '1h',
    h1: '1h',
    '1hour': '1h',
    '4h': '4h',
    '240m': '4h',
    '240min': '4h',
    h4: '4h',
    '4hour': '4h',
  };
  const tf = aliases[v];
  if (!tf)
    throw new PtError('CORE_CLI_USAGE', `unknown timeframe "${value}" (expected one of ${TIMEFRAMES.join(', ')})`, {
      exitCode: 2,
    });
  return tf;
}

export function timeframeMs(tf: Timeframe): number {
  return TIMEFRAME_MS[tf];
}

/** Bars in one 24 h trading day (15m: 96, 1h: 24, 4h: 6). */
export function barsPerDay(tf: Timeframe): number {
  return 86_400_000 / TIMEFRAME_MS[tf];
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return MONTH_DAYS[month - 1]! + (month === 2 && leap ? 1 : 0);
}

/** A 4-digit year (1000–9999) and a month 1–12, else undefined. */
export function checkedYearMonth(year: number, month: number): boolean {
  return Number.isInteger(year) && year >= 1000 && year <= 9999 && Number.isInteger(month) && month >= 1 && month <= 12;
}

// `YYYY-MM-DD`, optionally `T` or a space, `HH:MM[:SS[.fff…]]`, optionally `Z` or `±HH[:]MM`.
const DATE_TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Parses `2023-01-01` or an RFC 3339 time (no zone means UTC) as UTC milliseconds. Every field is
 * range-checked, so `2024-02-30` or month 13 is a usage error, never rolled over into the next
 * month as `Date.parse` would.
 */
export function parseUtcMs(value: string, what = 'date'): number {
  const bad = (why: string) =>
    new PtError('CORE_CLI_USAGE', `invalid ${what} "${value}": ${why} (expected YYYY-MM-DD or an RFC 3339 time)`, {
      exitCode: 2,
    });
  const m = DATE_TIME_RE.exec(value.trim());
  if (!m) throw bad('not a date');
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!checkedYearMonth(year, month)) throw bad(`no month ${m[2]}`);
  if (day < 1 || day > daysInMonth(year, month)) throw bad(`${m[1]}-${m[2]} has no day ${m[3]}`);
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) throw bad(`no time ${m[4]}:${m[5]}${m[6] ? `:${m[6]}` : ''}`);
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  let offsetMs = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(-2));
    if (oh > 18 || om > 59) throw bad(`no UTC offset ${zone}`);
    offsetMs = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMs;
}

/** Milliseconds in a UTC day (SPEC §0: the day boundary is 00:00 UTC). */
export const DAY_MS = 86_400_000;
/** The average Gregorian month, for counting months of history. */
export const MONTH_MS = 30.436875 * DAY_MS;

/** 00:00 UTC of the day holding `ms`. */
export function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** `YYYY-MM` (UTC) of the month holding `ms`. */
export function utcMonthKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}
