// pt ingest flags → typed options: the source and its settings, the range, the store.
import type { PtConfig } from '../../config/schemas/index.js';
import type { IngestJobOptions } from '../../data/job/runIngestJob.js';
import {
  maybeDateRange,
  maybePath,
  maybePositiveNumber,
  maybeSymbols,
  maybeTimeframeOption,
  maybeClock,
  ignoreOffsetsOption,
  tableDefaulted,
  tableDefaultedPath,
  usageError,
  type RawOptions,
} from './cliOptions.js';

export const INGEST_SOURCES = ['twelvedata', 'csv', 'synthetic'] as const;
export type IngestSourceName = (typeof INGEST_SOURCES)[number];

export interface IngestOptions extends IngestJobOptions {
  source: IngestSourceName;
  /** Canonical symbols asked for; empty lets a csv folder name them. */
  symbols: string[];
  /** csv: a file or a folder of files, as given. */
  path?: string;
  /** csv: the file's clock as --tz gives it (`EET`, `NY+7`, `file`); undefined when not given. */
  tz?: string;
  /** csv: divide prices by this. */
  priceScale?: number;
  /** csv: move MT4's hh:05-style rows down onto the timeframe grid. */
  /** csv: drop the offsets written in the timestamps and read their wall times in --tz. */
  ignoreOffsets: boolean;
  snap: boolean;
  /** csv: always drop the newest bar of each file (else only when it was still forming). */
  dropLast: boolean;
  /** synthetic: the random seed (retrain_policy.yaml's when undefined). */
  seed?: number;
  /** csv: read the file, propose its clock, write nothing. */
  detectClock: boolean;
  /** Absolute path of a Prometheus textfile to write after the run. */
  metricsFile?: string;
}

export function parseIngestOptions(raw: RawOptions, config: PtConfig): IngestOptions {
  const source = String(raw.source);
  if (!(INGEST_SOURCES as readonly string[]).includes(source))
    throw usageError(`unknown --source "${source}" (expected twelvedata, csv or synthetic)`);
  const detectClock = Boolean(raw.detectClock);
  if (detectClock && (source !== 'csv' || raw.path === undefined))
    throw usageError('--detect-clock reads a csv file: pass --source csv --path FILE');
  if (detectClock && raw.tz !== undefined) throw usageError('--detect-clock proposes the clock: leave out --tz');
  if (detectClock && raw.ignoreOffsets)
    throw usageError(
      '--detect-clock reads the wall times and ignores written offsets already: leave out --ignore-offsets',
    );
  return {
    source: source as IngestSourceName,
    symbols: maybeSymbols(raw.symbols, false),
    timeframe: maybeTimeframeOption(raw.timeframe, config),
    ...maybeDateRange(raw),
    path: raw.path === undefined ? undefined : String(raw.path),
    tz: maybeClock(raw.tz),
    priceScale: maybePositiveNumber(raw.priceScale, '--price-scale'),
    detectClock,
    ignoreOffsets: ignoreOffsetsOption(raw, maybeClock(raw.tz)),
    snap: Boolean(raw.snap),
    dropLast: Boolean(raw.dropLast),
    full: Boolean(raw.full),
    noWait: raw.wait === false,
    forceRevise: Boolean(raw.forceRevise),
    allowPriceJump: Boolean(raw.allowPriceJump),
    seed: maybePositiveNumber(raw.seed, '--seed'),
    metricsFile: maybePath(raw.metricsFile),
    dataDir: tableDefaultedPath(raw, 'dataDir', '--data-dir'),
  };
}
