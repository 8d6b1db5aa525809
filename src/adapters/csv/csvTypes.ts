// Option and result types shared by the csv adapter's reader and provider.
import type { Timeframe } from '../../core/time.js';
import type { CanonicalBar } from '../../model/bar.js';
import type { BarBatch } from '../../model/barBatch.js';

/** What to do with the newest bar of a file, which an export may have written while it was still open. */
export type LastBarPolicy = 'auto' | 'keep' | 'drop';

export interface CsvReadOptions {
  symbol: string;
  timeframe: Timeframe;
  /** IANA zone of the file's clock (`UTC`, `EET`, `America/New_York`, `Etc/GMT-2` …); default UTC. */
  tz?: string;
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
