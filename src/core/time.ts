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

/** Parses `2023-01-01` or an RFC 3339 instant as UTC milliseconds; throws a usage error otherwise. */
export function parseUtcMs(value: string, what = 'date'): number {
  const v = value.trim();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(iso);
  const ms = Date.parse(hasZone ? iso : `${iso}Z`);
  if (!Number.isFinite(ms))
    throw new PtError('CORE_CLI_USAGE', `invalid ${what} "${value}" (expected YYYY-MM-DD or an RFC 3339 time)`, {
      exitCode: 2,
    });
  return ms;
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
