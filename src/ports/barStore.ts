// The BarStore port: canonical bars persisted per timeframe × symbol × month (SPEC §1.2).
import type { Timeframe } from '../core/time.js';
import type { AlignedPair, BarColumns, CanonicalBar } from '../model/bar.js';
import type { BarBatch } from '../model/barBatch.js';

export interface Watermark {
  /** Open time (UTC ms) of the newest stored bar. */
  last_ts: number;
  last_refreshed_ts: string;
  source: string;
  window_params: Record<string, unknown>;
  dq_counters: Record<string, number>;
}

export interface UpsertResult {
  /** Rows whose key was not stored before. */
  inserted: number;
  /** Rows that replaced a stored row with different content (quality_flag becomes `revised`). */
  updated: number;
  /** Rows dropped as duplicates: same key within the input, or identical to the stored row. */
  deduped: number;
  /** Month partitions rewritten. */
  partitionsWritten: number;
}

export interface BarStore {
  /**
   * Upserts bars of one symbol and timeframe (objects, or the same as columns), latest_wins by
   * metadata.ingest_seq, rewriting each touched month partition atomically, then advancing the
   * watermark. `onPartition(0, total)` comes once the rows are handed to the writer, then
   * `onPartition(done, total)` as month partitions are written.
   */
  upsert(
    symbol: string,
    timeframe: Timeframe,
    bars: readonly CanonicalBar[] | BarBatch,
    source: string,
    onPartition?: (done: number, total: number) => void,
  ): Promise<UpsertResult>;
  /**
   * The watermark, undefined when there is none. A corrupt one is DATA_STORAGE_CORRUPT naming the
   * file; with `rebuildIfCorrupt` (ingest --full) it is rebuilt from the newest stored bar instead,
   * with a warning, under the symbol's writer lock.
   */
  readWatermark(
    symbol: string,
    timeframe: Timeframe,
    options?: { rebuildIfCorrupt?: boolean },
  ): Promise<Watermark | undefined>;
  /** Bars with fromMs <= ts < toMs (whole history when omitted), ascending. */
  readBars(symbol: string, timeframe: Timeframe, fromMs?: number, toMs?: number): Promise<BarColumns>;
  /** Both legs inner-joined on ts. */
  readAlignedPair(
    symbolA: string,
    symbolB: string,
    timeframe: Timeframe,
    fromMs?: number,
    toMs?: number,
  ): Promise<AlignedPair>;
  listSymbols(timeframe: Timeframe): Promise<string[]>;
  close(): Promise<void>;
}

/** How a store's writers share it with other processes, and where its warnings go. */
export interface BarStoreOptions {
  /**
   * An upsert holds an exclusive lock on its symbol and timeframe from reading the stored months to
   * writing the watermark; when another process holds it, fail at once with DATA_STORAGE_LOCKED
   * instead of waiting.
   */
  noWait?: boolean;
  /** Told once per wait, when another process holds the lock an upsert needs (one line, for stderr). */
  onLockWait?: (message: string) => void;
  /** Something was repaired on the way (a corrupt watermark rebuilt by an upsert); one line, for stderr. */
  onWarning?: (message: string) => void;
}

/** Opens (creating when absent) the bar store under a data folder; the caller closes it. */
export type OpenBarStore = (dataDir: string, options?: BarStoreOptions) => Promise<BarStore>;
