// Option and result types shared by the csv adapter's reader and provider.
import type { Timeframe } from '../../core/time.js';
import type { CanonicalBar } from '../../model/bar.js';
import type { BarBatch } from '../../model/barBatch.js';

/** What to do with the newest bar of a file, which an export may have written while it was still open. */
export type LastBarPolicy = 'auto' | 'keep' | 'drop';

export interface CsvReadOptions {
  symbol: string;
  timeframe: Timeframe;
  /**
   * The file's clock: an IANA zone (`UTC`, `EET`, `Etc/GMT-2` …), a shifted one (`NY+7`,
   * `Europe/London@+1`), or `file` (trust the offset every timestamp carries). Undefined reads wall
   * times as UTC, except in a MetaTrader layout, which is then refused.
   */
  tz?: string;
  /**
   * Read timestamps as the wall times written, offsets dropped and no zone applied (`ts_utc` then
   * holds the wall time): what `pt ingest --detect-clock` looks at. Ignores `tz`.
   */
  wallClock?: boolean;
  /** Prices are integer points: divide by this power of ten and round to log10(N) decimals. */
  priceScale?: number;
  ingestRunId: string;
  /** Keep bars with `fromMs <= ts_utc < toMs`. */
  fromMs?: number;
  toMs?: number;
  /**
   * `auto` (default) drops the newest bar when the file's last line has no line terminator (an
   * export cut while that bar was forming); `drop` always drops it; `keep` never does.
   */
  lastBar?: LastBarPolicy;
}

export interface CsvReadStats {
  /** Physical lines in the file, header and blank lines included. */
  lines: number;
  /** Data rows parsed into a timestamp and prices. */
  parsed: number;
  /** Zero/negative prices or inconsistent high/low (SPEC §1.4). */
  droppedInvalid: number;
  /** Rows replaced by a later line with the same timestamp. */
  duplicates: number;
  /** Rows older than a row above them (the output is sorted). */
  outOfOrder: number;
  /** Wall times inside a spring-forward gap, shifted forward by the gap. */
  skippedHourShifted: number;
  /** 1 when the newest bar was dropped as still open, else 0. */
  droppedOpenBar: number;
  /** Bars outside `[fromMs, toMs)`. */
  outsideRange: number;
}

export interface CsvReadResult {
  bars: CanonicalBar[];
  stats: CsvReadStats;
  /** Detected layout, e.g. `header:comma`, `mt5:tab`, `histdata:semicolon`. */
  format: string;
}

/** `CsvReadResult` with the bars as columns (a null volume is NaN). */
export interface CsvBatchResult {
  batch: BarBatch;
  stats: CsvReadStats;
  format: string;
}
