// Deterministic canonical bars for the bar-store tests and the crash child (plain ESM: the child runs without a TS loader).
import { createHash } from 'node:crypto';

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const RUN_ID = 'run-fixture-0001';
export const SOURCE = 'synthetic';

/** FX-style week: closed from Friday 22:00 to Sunday 22:00 UTC. */
export function isFxOpen(ts) {
  const d = new Date(ts);
  const dow = d.getUTCDay();
  const h = d.getUTCHours();
  if (dow === 6) return false;
  if (dow === 5 && h >= 22) return false;
  if (dow === 0 && h < 22) return false;
  return true;
}

/** Open times of the 1h bars in [fromMs, toMs) that fall in the FX week. */
export function hourlyTimes(fromMs, toMs) {
  const out = [];
  for (let ts = Math.ceil(fromMs / HOUR) * HOUR; ts < toMs; ts += HOUR) if (isFxOpen(ts)) out.push(ts);
  return out;
}

function hashString(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A uniform number in [0, 1) fixed by (symbol, ts, salt). */
export function hash01(symbol, ts, salt) {
  let x = (hashString(symbol) ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0;
  x = (x ^ (ts / HOUR)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  return x / 4294967296;
}

/** Seeded PRNG (mulberry32). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round6 = (x) => Math.round(x * 1e6) / 1e6;

/**
 * The OHLCV of a bar; version 1 is a revision of version 0 (close moved by 1e-4 relative).
 * Symbols ending in "USD" except metals carry null volume, like FX.
 */
export function barValues(symbol, ts, version = 0) {
  const i = ts / HOUR;
  const base = 10 + (hashString(symbol) % 2000);
  const phase = hash01(symbol, 0, 1) * 6.28;
  const logp =
    Math.log(base) +
    0.05 * Math.sin(i / 700 + phase) +
    0.01 * Math.sin(i / 31 + 2 * phase) +
    0.004 * (hash01(symbol, ts, 2) - 0.5);
  let close = round6(Math.exp(logp));
  if (version === 1) close = round6(close * 1.0001);
  const open = round6(close * (1 + 0.002 * (hash01(symbol, ts, 3) - 0.5)));
  const high = round6(Math.max(open, close) * (1 + 0.001 * hash01(symbol, ts, 4)) + 1e-6);
  const low = round6(Math.min(open, close) * (1 - 0.001 * hash01(symbol, ts, 5)) - 1e-6);
  const volume =
    symbol.startsWith('X') || !symbol.endsWith('USD') ? Math.round(1 + 5000 * hash01(symbol, ts, 6)) : null;
  return { open, high, low, close, volume };
}

export function makeBar(
  symbol,
  ts,
  { version = 0, seq = 0, runId = RUN_ID, source = SOURCE, quality = 'ok', timeframe = '1h' } = {},
) {
  const v = barValues(symbol, ts, version);
  const checksum = createHash('sha256')
    .update(`${ts}|${v.open}|${v.high}|${v.low}|${v.close}|${v.volume ?? ''}`)
    .digest('hex')
    .slice(0, 16);
  return {
    ts_utc: ts,
    symbol,
    timeframe,
    ...v,
    quality_flag: quality,
    source_id: source,
    ingest_run_id: runId,
    metadata: {
      symbol_source: symbol,
      source_latency_ms: null,
      provider_version: 'fixture-1',
      ingest_seq: seq,
      checksum,
    },
  };
}

/** The crash-test ingest: 4 symbols × 3 years of 1h bars, fed in 12-day chunks. */
export const CRASH_PLAN = {
  symbols: ['XAUUSD', 'XAGUSD', 'EURUSD', 'GBPUSD'],
  start: Date.UTC(2021, 0, 1),
  end: Date.UTC(2024, 0, 1),
  chunkDays: 12,
};

export function crashChunkCount(plan = CRASH_PLAN) {
  return Math.ceil((plan.end - plan.start) / (plan.chunkDays * DAY));
}

export function crashChunkTimes(i, plan = CRASH_PLAN) {
  const from = plan.start + i * plan.chunkDays * DAY;
  return hourlyTimes(from, Math.min(plan.end, from + plan.chunkDays * DAY));
}

/**
 * Chunk i of a symbol: its bars, then revisions of the previous chunk's last 2 bars (higher
 * ingest_seq), and a stale copy of its first bar with a lower ingest_seq placed last, which must lose.
 */
export function crashChunkBars(symbol, i, plan = CRASH_PLAN) {
  const times = crashChunkTimes(i, plan);
  const bars = times.map((ts, k) => makeBar(symbol, ts, { seq: i * 100_000 + k }));
  if (i > 0) {
    const prev = crashChunkTimes(i - 1, plan);
    for (const [k, ts] of prev.slice(-2).entries())
      bars.push(makeBar(symbol, ts, { version: 1, seq: i * 100_000 + 50_000 + k }));
  }
  if (times.length > 0) bars.push(makeBar(symbol, times[0], { version: 1, seq: i * 100_000 - 1 }));
  return bars;
}

/** Timestamps that end up revised: the last 2 bars of every chunk but the final one. */
export function crashRevisedTimes(plan = CRASH_PLAN) {
  const out = new Set();
  const n = crashChunkCount(plan);
  for (let i = 0; i < n - 1; i++) for (const ts of crashChunkTimes(i, plan).slice(-2)) out.add(ts);
  return out;
}
