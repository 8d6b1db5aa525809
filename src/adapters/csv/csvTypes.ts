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
  /**
   * With a `tz` zone: an offset written in a timestamp is dropped and its wall time read in `tz`,
   * for files whose offsets are wrong (MT5 Python exports that label broker time `+00:00`).
   */
  ignoreOffsets?: boolean;
  /** Prices are integer points: divide by this power of ten and round to log10(N) decimals. */
  priceScale?: number;
  ingestRunId: string;
  /** Keep bars with `fromMs <= ts_utc < toMs`. */
  fromMs?: number;
  toMs?: number;
  /**
   * `auto` (default) drops the newest bar when it was still forming: the file's last line has no
   * line terminator (an export cut mid-bar), or the bar closes (`ts + timeframe`) after
   * `exportTimeMs`. `drop` always drops it; `keep` never does.
   */
  lastBar?: LastBarPolicy;
  /**
   * When the file was written (epoch ms). `readCsvBars`/`readCsvBatch` take the file's modification
   * time when this is not given (none of the layouts pt reads carries an export time); the
   * in-memory parsers use only what is given.
   */
  exportTimeMs?: number;
  /**
   * Move rows 1–5 whole minutes after a grid point (MT4's `hh:05` stamps) down to it. Any other
   * off-grid row is an error either way.
   */
  snap?: boolean;
}

/** Why the newest bar was dropped as still forming. */
export interface DroppedOpenBar {
  tsUtc: number;
  /** `unterminated` last line, closes after the `export-time`, or `forced` by lastBar `drop`. */
  reason: 'unterminated' | 'export-time' | 'forced';
  /** The export time it was compared with, when known. */
  exportTimeMs?: number;
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
  /**
   * Rows moved down onto the timeframe grid by `snap` (MT4 `hh:05` stamps); in a wall-clock read,
   * every row off the grid of its own wall time (detection needs no --snap).
   */
  snapped: number;
}

/** Offsets written in a file's timestamps, row by row in file order (wall-clock reads only). */
export interface WrittenOffsets {
  count: number;
  /** The wall time written (as if UTC). */
  wall: Float64Array;
  /** The offset written after it, ms east of UTC; NaN when the row has none. */
  offset: Float64Array;
}

export interface CsvReadResult {
  bars: CanonicalBar[];
  stats: CsvReadStats;
  /** Detected layout, e.g. `header:comma`, `mt5:tab`, `histdata:semicolon`. */
  format: string;
  /** Set when the newest bar was dropped as still forming (stats.droppedOpenBar is 1). */
  droppedOpenBar?: DroppedOpenBar;
  /** Wall-clock reads (`wallClock`) only. */
  writtenOffsets?: WrittenOffsets;
}

/** `CsvReadResult` with the bars as columns (a null volume is NaN). */
export interface CsvBatchResult {
  batch: BarBatch;
  stats: CsvReadStats;
  format: string;
  droppedOpenBar?: DroppedOpenBar;
}
