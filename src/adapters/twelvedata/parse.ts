// Pure TwelveData payload handling: symbol and interval mapping, /time_series JSON → canonical bars.
import { PtError } from '../../core/ptError.js';
import { timeframeMs, type Timeframe } from '../../core/time.js';
import type { CanonicalBar } from '../../model/bar.js';
import { barChecksum } from '../../model/barChecksum.js';

export const PROVIDER_VERSION_REST = 'twelvedata-rest-v1';
export const PROVIDER_VERSION_WS = 'twelvedata-ws-v1';

export const TD_INTERVAL: Record<Timeframe, string> = { '15m': '15min', '1h': '1h', '4h': '4h' };

/** `XAUUSD` → `XAU/USD`: six-letter FX and metal codes get a slash; anything else is sent as is. */
export function toProviderSymbol(symbol: string): string {
  const s = symbol.toUpperCase();
  return /^[A-Z]{6}$/.test(s) ? `${s.slice(0, 3)}/${s.slice(3)}` : s;
}

/** `XAU/USD` → `XAUUSD`: upper case, separators removed. */
export function fromProviderSymbol(sourceSymbol: string): string {
  return sourceSymbol.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** TwelveData `datetime` (`YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD`) read as UTC, which is what `timezone=UTC` asks for. */
export function parseTdDatetime(value: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value.trim());
  if (!m) return NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
}

/** UTC ms → `YYYY-MM-DDTHH:MM:SS` for start_date / end_date. */
export function formatTdDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

export interface TdErrorBody {
  status: 'error';
  code: number;
  message: string;
}

export function isTdErrorBody(payload: unknown): payload is TdErrorBody {
  return typeof payload === 'object' && payload !== null && (payload as { status?: unknown }).status === 'error';
}

/** TwelveData answers an empty date range with code 400 rather than an empty list. */
export function isNoDataError(body: TdErrorBody): boolean {
  return body.code === 400 && /no data is available/i.test(String(body.message ?? ''));
}

export interface ParseContext {
  symbol: string;
  timeframe: Timeframe;
  /** Bars still forming at this instant (ts + timeframe > now) are dropped. */
  nowMs: number;
  ingestRunId: string;
  sourceLatencyMs: number | null;
  /** Gives the next ingest_seq; called in ascending ts order. */
  nextSeq: () => number;
  /** Keeps only startMs <= ts < endMs when given. */
  startMs?: number;
  endMs?: number;
  /**
   * Zones accepted in `meta.exchange_timezone` besides UTC (the leg's zone in universe.yaml).
   * pt asks for `timezone=UTC`, so datetimes are UTC whatever the exchange; a zone outside this
   * list means the answer is for another instrument than the one configured.
   */
  exchangeTimezones?: readonly string[];
  /** Counts bars dropped for inconsistent OHLC or a non-positive price (added to, never reset). */
  dropped?: { invalid: number };
}

/** Zone names that mean UTC. */
const UTC_NAMES = new Set(['UTC', 'ETC/UTC', 'GMT', 'ETC/GMT', 'Z', 'UNIVERSAL', 'ZULU', 'ETC/UNIVERSAL', 'ETC/ZULU']);

/** A bar whose prices cannot be a bar: high below open/close, low above them, or any price ≤ 0 (SPEC §1.4). */
export function isConsistentOhlc(o: number, h: number, l: number, c: number): boolean {
  return o > 0 && h > 0 && l > 0 && c > 0 && h >= Math.max(o, c, l) && l <= Math.min(o, c);
}

function malformed(message: string, details: Record<string, unknown> = {}): PtError {
  return new PtError('DATA_API_MALFORMED', `twelvedata: ${message}`, {
    source: 'twelvedata',
    details: { ...details, retryable: false },
  });
}

function num(row: Record<string, unknown>, field: string, index: number): number {
  const raw = row[field];
  const v = typeof raw === 'string' ? (raw.trim() === '' ? NaN : Number(raw)) : typeof raw === 'number' ? raw : NaN;
  if (!Number.isFinite(v)) throw malformed(`values[${index}].${field} is not a number`, { index, field });
  return v;
}

/**
 * A `/time_series` success body → closed canonical bars, ascending and unique by ts.
 * Throws DATA_API_MALFORMED when the body is not the documented shape. Does not validate
 * against the canonical schema (the caller does, once pages are stitched).
 */
export function parseTimeSeries(payload: unknown, ctx: ParseContext): CanonicalBar[] {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw malformed('the /time_series body is not a JSON object');
  const body = payload as {
    status?: unknown;
    values?: unknown;
    meta?: { symbol?: unknown; interval?: unknown; exchange_timezone?: unknown };
  };
  if (body.status !== undefined && body.status !== 'ok')
    throw malformed(`unexpected status ${JSON.stringify(body.status)}`);
  if (!Array.isArray(body.values)) throw malformed('the /time_series body has no values array');
  const sourceSymbol = typeof body.meta?.symbol === 'string' ? body.meta.symbol : toProviderSymbol(ctx.symbol);
  if (fromProviderSymbol(sourceSymbol) !== fromProviderSymbol(ctx.symbol)) {
    throw malformed(`answer is for ${sourceSymbol}, not ${toProviderSymbol(ctx.symbol)}`);
  }
  const asked = TD_INTERVAL[ctx.timeframe];
  const interval = body.meta?.interval;
  if (interval !== undefined && interval !== asked) {
    throw malformed(`answer has interval ${JSON.stringify(interval)}, but ${asked} was asked (${ctx.timeframe} bars)`, {
      metaInterval: interval,
      asked,
    });
  }
  const zone = body.meta?.exchange_timezone;
  if (zone !== undefined && zone !== null && zone !== '') {
    const ok =
      typeof zone === 'string' &&
      (UTC_NAMES.has(zone.toUpperCase()) || (ctx.exchangeTimezones ?? []).some((z) => z === zone));
    if (!ok) {
      const allowed = ['UTC', ...(ctx.exchangeTimezones ?? []).filter((z) => !UTC_NAMES.has(z.toUpperCase()))];
      throw malformed(
        `answer has exchange_timezone ${JSON.stringify(zone)}, expected ${allowed.join(' or ')} for ${toProviderSymbol(ctx.symbol)}: ` +
          'the answer is for another instrument than the one configured (check the symbol in universe.yaml)',
        { exchangeTimezone: zone, allowed },
      );
    }
  }
  const tfMs = timeframeMs(ctx.timeframe);
  const rows: Array<{ ts: number; o: number; h: number; l: number; c: number; v: number | null }> = [];
  body.values.forEach((item: unknown, i: number) => {
    if (typeof item !== 'object' || item === null) throw malformed(`values[${i}] is not an object`, { index: i });
    const row = item as Record<string, unknown>;
    const ts = typeof row.datetime === 'string' ? parseTdDatetime(row.datetime) : NaN;
    if (!Number.isFinite(ts)) throw malformed(`values[${i}].datetime is not a date`, { index: i });
    if (ts % tfMs !== 0) {
      throw malformed(
        `values[${i}].datetime ${String(row.datetime)} is not on the UTC ${ctx.timeframe} grid (bars open at multiples of ${ctx.timeframe} from 00:00 UTC)`,
        { index: i, datetime: row.datetime },
      );
    }
    const v = row.volume === undefined || row.volume === null || row.volume === '' ? null : num(row, 'volume', i);
    rows.push({
      ts,
      o: num(row, 'open', i),
      h: num(row, 'high', i),
      l: num(row, 'low', i),
      c: num(row, 'close', i),
      v,
    });
  });
  // Newest-first on the wire; a stable sort keeps the later duplicate last so it wins below.
  rows.sort((a, b) => a.ts - b.ts);
  const byTs = new Map<number, (typeof rows)[number]>();
  for (const r of rows) {
    if (r.ts + tfMs > ctx.nowMs) continue;
    if (ctx.startMs !== undefined && r.ts < ctx.startMs) continue;
    if (ctx.endMs !== undefined && r.ts >= ctx.endMs) continue;
    if (!isConsistentOhlc(r.o, r.h, r.l, r.c)) {
      if (ctx.dropped) ctx.dropped.invalid++;
      continue;
    }
    byTs.set(r.ts, r);
  }
  return [...byTs.values()].map((r) => ({
    ts_utc: r.ts,
    symbol: fromProviderSymbol(ctx.symbol),
    timeframe: ctx.timeframe,
    open: r.o,
    high: r.h,
    low: r.l,
    close: r.c,
    volume: r.v,
    quality_flag: 'ok' as const,
    source_id: 'twelvedata',
    ingest_run_id: ctx.ingestRunId,
    metadata: {
      symbol_source: sourceSymbol,
      source_latency_ms: ctx.sourceLatencyMs,
      provider_version: PROVIDER_VERSION_REST,
      ingest_seq: ctx.nextSeq(),
      checksum: barChecksum(r.ts, r.o, r.h, r.l, r.c, r.v),
    },
  }));
}

/** A WebSocket `price` event, as documented (timestamp in UNIX seconds, price a JSON number). */
export interface TdPriceEvent {
  event: 'price';
  symbol: string;
  timestamp: number;
  price: number;
  day_volume?: number;
}

/** A documented price event, exactly (number timestamp in seconds or ms, positive number price). */
export function isPriceEvent(msg: unknown): msg is TdPriceEvent {
  const r = readPriceEvent(msg);
  return r !== null && r.kind === 'tick' && typeof (msg as TdPriceEvent).price === 'number';
}

/** A price event read leniently: a tick, or the reason it cannot be one. */
export type PriceEventReading =
  | { kind: 'tick'; symbol: string; tsMs: number; price: number }
  | { kind: 'bad_price' | 'bad_timestamp'; symbol: string; value: unknown };

/** Timestamps above this are milliseconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const MS_THRESHOLD = 1e11;

function finiteNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v.trim());
  return NaN;
}

/**
 * `{"event":"price",…}` → a tick in epoch ms. Prices may come as numeric strings (as REST values
 * do); timestamps in seconds (documented) or milliseconds (> 1e11). Returns null for other events.
 */
export function readPriceEvent(msg: unknown): PriceEventReading | null {
  if (typeof msg !== 'object' || msg === null) return null;
  const m = msg as Record<string, unknown>;
  if (m.event !== 'price' || typeof m.symbol !== 'string') return null;
  const price = finiteNumber(m.price);
  if (!Number.isFinite(price) || price <= 0) return { kind: 'bad_price', symbol: m.symbol, value: m.price };
  const t = finiteNumber(m.timestamp);
  if (!Number.isFinite(t) || t <= 0) return { kind: 'bad_timestamp', symbol: m.symbol, value: m.timestamp };
  const tsMs = t > MS_THRESHOLD ? Math.floor(t) : Math.floor(t * 1000);
  return { kind: 'tick', symbol: m.symbol, tsMs, price };
}

/** Monotone ingest_seq: µs-scaled wall clock, so later runs also sort after earlier ones, +1 within a burst. */
export function createSeq(now: () => number): () => number {
  let last = 0;
  return () => {
    last = Math.max(last + 1, Math.floor(now()) * 1000);
    return last;
  };
}
