// The canonical bar (SPEC §1.1) and its columnar form used on hot paths.
import type { Timeframe } from '../core/time.js';

export const QUALITY_FLAGS = ['ok', 'missing', 'outlier', 'resampled', 'conflict', 'stale', 'revised'] as const;
export type QualityFlag = (typeof QUALITY_FLAGS)[number];

/** Provenance stored as JSON text in the `metadata` column. */
export interface BarMetadata {
  symbol_source?: string;
  source_latency_ms?: number | null;
  provider_version?: string;
  /** Order of arrival within a source; the larger wins on a duplicate key (latest_wins). */
  ingest_seq: number;
  /** SHA-256 (hex, 16 chars) of `ts_utc|open|high|low|close|volume`. */
  checksum?: string;
}

/**
 * One OHLCV bar keyed by (symbol, timeframe, ts_utc), ts_utc being the bar's open time in UTC ms.
 * `volume` is null when unknown (FX, indices), never 0 for unknown.
 */
export interface CanonicalBar {
  ts_utc: number;
  symbol: string;
  timeframe: Timeframe;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number | null;
  quality_flag: QualityFlag;
  source_id: string;
  ingest_run_id: string;
  metadata: BarMetadata;
}

/** Bars of one symbol as columns, sorted by ts, no duplicates. Null volume is NaN. */
export interface BarColumns {
  symbol: string;
  timeframe: Timeframe;
  length: number;
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** Index into QUALITY_FLAGS. */
  quality: Uint8Array;
}

/** Two legs inner-joined on ts (SPEC §1.4 pair alignment). */
export interface AlignedPair {
  pairId: string;
  timeframe: Timeframe;
  length: number;
  ts: Float64Array;
  a: Omit<BarColumns, 'ts' | 'length' | 'timeframe'>;
  b: Omit<BarColumns, 'ts' | 'length' | 'timeframe'>;
  /** Bars present in one leg only, dropped by the join. */
  droppedA: number;
  droppedB: number;
}

export function emptyColumns(symbol: string, timeframe: Timeframe, n: number): BarColumns {
  return {
    symbol,
    timeframe,
    length: n,
    ts: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    quality: new Uint8Array(n),
  };
}
