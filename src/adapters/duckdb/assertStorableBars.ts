// The store's own check of incoming bars: the canonical schema's rules written out, without a second ajv pass.
import { PtError } from '../../core/ptError.js';
import { timeframeMs, type Timeframe } from '../../core/time.js';
import { QUALITY_FLAGS, type CanonicalBar } from '../../model/bar.js';
import type { BarBatch } from '../../model/barBatch.js';
import { STORE_SOURCE } from './storageError.js';

const FLAGS = new Set<string>(QUALITY_FLAGS);
const BAR_KEYS = 12;

function optional(value: unknown, type: 'string' | 'number'): boolean {
  return value === undefined || typeof value === type;
}

/** The first rule of CANONICAL_BAR_SCHEMA a bar breaks, as `field: rule`, or undefined. */
function schemaBreak(b: CanonicalBar): string | undefined {
  const ts = b.ts_utc as unknown;
  // As ajv's `integer`: a number with no fractional part (ajv lets Infinity through too).
  if (!(typeof ts === 'number' && !(ts % 1) && !Number.isNaN(ts) && ts >= 0)) return 'ts_utc: must be an integer >= 0';
  if (!(typeof b.open === 'number' && b.open > 0)) return 'open: must be > 0';
  if (!(typeof b.high === 'number' && b.high > 0)) return 'high: must be > 0';
  if (!(typeof b.low === 'number' && b.low > 0)) return 'low: must be > 0';
  if (!(typeof b.close === 'number' && b.close > 0)) return 'close: must be > 0';
  const v = b.volume as unknown;
  if (v !== null && !(typeof v === 'number' && v >= 0)) return 'volume: must be null or >= 0';
  if (!FLAGS.has(b.quality_flag)) return 'quality_flag: must be one of the quality flags';
  if (typeof b.source_id !== 'string' || b.source_id.length === 0) return 'source_id: must be a non-empty string';
  if (typeof b.ingest_run_id !== 'string' || b.ingest_run_id.length === 0)
    return 'ingest_run_id: must be a non-empty string';
  const m = b.metadata as unknown as Record<string, unknown> | null;
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return 'metadata: must be an object';
  if (typeof m.ingest_seq !== 'number') return 'metadata.ingest_seq: must be a number';
  if (
    !optional(m.symbol_source, 'string') ||
    !optional(m.provider_version, 'string') ||
    !optional(m.checksum, 'string')
  )
    return 'metadata: symbol_source, provider_version and checksum must be strings';
  if (m.source_latency_ms !== null && !optional(m.source_latency_ms, 'number'))
    return 'metadata.source_latency_ms: must be a number or null';
  // Every required key is present (checked above), so more keys means one the schema does not allow.
  if (Object.keys(b).length !== BAR_KEYS) return '(bar): must not have additional properties';
  return undefined;
}

/**
 * DATA_SCHEMA_BAR for a bar off its timeframe's UTC grid: every stored bar is keyed by an open time
 * that is a multiple of the timeframe since the epoch, so two legs of a pair can align.
 */
function offGrid(i: number, symbol: string, timeframe: Timeframe, ts: number): PtError {
  const off = ts % timeframeMs(timeframe);
  return new PtError(
    'DATA_SCHEMA_BAR',
    `${STORE_SOURCE}: bar ${i} (${symbol} ${new Date(ts).toISOString()}) is off the ${timeframe} UTC grid by ${off / 60_000} min; a stored bar opens at a multiple of ${timeframe} since 1970-01-01 UTC`,
    { source: STORE_SOURCE, details: { index: i, ts_utc: ts, offset_ms: off } },
  );
}

/**
 * Throws DATA_SCHEMA_BAR naming the first bar that is not of `symbol`/`timeframe`, breaks a rule of
 * the canonical schema, has inconsistent OHLC or sits off the timeframe's UTC grid. Adapters already validate their output with the
 * full ajv schema (assertCanonicalBars); running ajv again here cost as much as staging the rows, so
 * the store checks the same rules by hand instead.
 */
export function assertStorableBars(bars: readonly CanonicalBar[], symbol: string, timeframe: Timeframe): void {
  const step = timeframeMs(timeframe);
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i]!;
    if (b.symbol !== symbol || b.timeframe !== timeframe) {
      throw new PtError(
        'DATA_SCHEMA_BAR',
        `bar store: bar ${i} is ${b.symbol} ${b.timeframe}, upsert is for ${symbol} ${timeframe}`,
        { source: STORE_SOURCE, details: { index: i } },
      );
    }
    const broken = schemaBreak(b);
    if (broken !== undefined) {
      throw new PtError(
        'DATA_SCHEMA_BAR',
        `${STORE_SOURCE}: bar ${i} (${b.symbol} ${b.ts_utc}) breaks the canonical schema: ${broken}`,
        { source: STORE_SOURCE, details: { index: i } },
      );
    }
    if (b.high < Math.max(b.open, b.close) || b.low > Math.min(b.open, b.close)) {
      throw new PtError(
        'DATA_SCHEMA_BAR',
        `${STORE_SOURCE}: bar ${i} (${b.symbol} ${new Date(b.ts_utc).toISOString()}) has inconsistent OHLC`,
        { source: STORE_SOURCE, details: { index: i } },
      );
    }
    if (b.ts_utc % step !== 0) throw offGrid(i, symbol, timeframe, b.ts_utc);
  }
}

/** The first rule of CANONICAL_BAR_SCHEMA row i of a batch breaks, as `field: rule`, or undefined. */
function batchRowBreak(b: BarBatch, i: number): string | undefined {
  const ts = b.ts[i]!;
  if (!(!(ts % 1) && !Number.isNaN(ts) && ts >= 0)) return 'ts_utc: must be an integer >= 0';
  if (!(b.open[i]! > 0)) return 'open: must be > 0';
  if (!(b.high[i]! > 0)) return 'high: must be > 0';
  if (!(b.low[i]! > 0)) return 'low: must be > 0';
  if (!(b.close[i]! > 0)) return 'close: must be > 0';
  const v = b.volume[i]!;
  if (!Number.isNaN(v) && !(v >= 0)) return 'volume: must be null or >= 0';
  if (!(b.quality[i]! < QUALITY_FLAGS.length)) return 'quality_flag: must be one of the quality flags';
  if (b.sourceId(i).length === 0) return 'source_id: must be a non-empty string';
  if (b.ingestRunId(i).length === 0) return 'ingest_run_id: must be a non-empty string';
  return undefined;
}

/**
 * `assertStorableBars` for a batch: the same rules and messages, read from the columns. Metadata is
 * the batch's own text (a source builds it from a metadata object), so it is not parsed again here.
 */
export function assertStorableBatch(batch: BarBatch, symbol: string, timeframe: Timeframe): void {
  if (batch.length > 0 && (batch.symbol !== symbol || batch.timeframe !== timeframe)) {
    throw new PtError(
      'DATA_SCHEMA_BAR',
      `bar store: bar 0 is ${batch.symbol} ${batch.timeframe}, upsert is for ${symbol} ${timeframe}`,
      { source: STORE_SOURCE, details: { index: 0 } },
    );
  }
  const step = timeframeMs(timeframe);
  for (let i = 0; i < batch.length; i++) {
    const broken = batchRowBreak(batch, i);
    if (broken !== undefined) {
      throw new PtError(
        'DATA_SCHEMA_BAR',
        `${STORE_SOURCE}: bar ${i} (${symbol} ${batch.ts[i]}) breaks the canonical schema: ${broken}`,
        { source: STORE_SOURCE, details: { index: i } },
      );
    }
    const o = batch.open[i]!,
      h = batch.high[i]!,
      l = batch.low[i]!,
      c = batch.close[i]!;
    if (h < Math.max(o, c) || l > Math.min(o, c)) {
      throw new PtError(
        'DATA_SCHEMA_BAR',
        `${STORE_SOURCE}: bar ${i} (${symbol} ${new Date(batch.ts[i]!).toISOString()}) has inconsistent OHLC`,
        { source: STORE_SOURCE, details: { index: i } },
      );
    }
    if (batch.ts[i]! % step !== 0) throw offGrid(i, symbol, timeframe, batch.ts[i]!);
  }
}
