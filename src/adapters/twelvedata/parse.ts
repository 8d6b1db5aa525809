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
  const body = payload as { status?: unknown; values?: unknown; meta?: { symbol?: unknown } };
  if (body.status !== undefined && body.status !== 'ok')
    throw malformed(`unexpected status ${JSON.stringify(body.status)}`);
  if (!Array.isArray(body.values)) throw malformed('the /time_series body has no values array');
  const sourceSymbol = typeof body.meta?.symbol === 'string' ? body.meta.symbol : toProviderSymbol(ctx.symbol);
  if (fromProviderSymbol(sourceSymbol) !== fromProviderSymbol(ctx.symbol)) {
    throw malformed(`answer is for ${sourceSymbol}, not ${toProviderSymbol(ctx.symbol)}`);
  }
  const tfMs = timeframeMs(ctx.timeframe);
  const rows: Array<{ ts: number; o: number; h: number; l: number; c: number; v: number | null }> = [];
  body.values.forEach((item: unknown, i: number) => {
    if (typeof item !== 'object' || item === null) throw malformed(`values[${i}] is not an object`, { index: i });
    const row = item as Record<string, unknown>;
    const ts = typeof row.datetime === 'string' ? parseTdDatetime(row.datetime) : NaN;
    if (!Number.isFinite(ts)) throw malformed(`values[${i}].datetime is not a date`, { index: i });
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

export function isPriceEvent(msg: unknown): msg is TdPriceEvent {
  if (typeof msg !== 'object' || msg === null) return false;
  const m = msg as Record<string, unknown>;
  return (
    m.event === 'price' &&
    typeof m.symbol === 'string' &&
    typeof m.timestamp === 'number' &&
    Number.isFinite(m.timestamp) &&
    typeof m.price === 'number' &&
    Number.isFinite(m.price) &&
    m.price > 0
  );
}

/** Monotone ingest_seq: µs-scaled wall clock, so later runs also sort after earlier ones, +1 within a burst. */
export function createSeq(now: () => number): () => number {
  let last = 0;
  return () => {
    last = Math.max(last + 1, Math.floor(now()) * 1000);
    return last;
  };
}
