// pt store verify|repair flags → typed options: the timeframe, the symbols, the store, and repair's source.
import type { PtConfig } from '../../config/schemas/index.js';
import type { Timeframe } from '../../core/time.js';
import {
  maybeChoice,
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
import { INGEST_SOURCES } from './parseIngestOptions.js';

export interface StoreVerifyOptions {
  timeframe: Timeframe;
  /** Every symbol folder of the timeframe when undefined. */
  symbols?: string[];
  /** Absolute path of the data folder. */
  dataDir: string;
}

export const REPAIR_SOURCES = ['quarantine', ...INGEST_SOURCES] as const;

export interface StoreRepairOptions extends StoreVerifyOptions {
  /** `quarantine`: move bad months out only; else re-ingest them from this source afterwards. */
  source: (typeof REPAIR_SOURCES)[number];
  /** The re-ingest source's settings, as pt ingest takes them. */
  path?: string;
  /** csv: the file's clock as --tz gives it (`EET`, `NY+7`, `file`); undefined when not given. */
  tz?: string;
  priceScale?: number;
  /** csv: drop the offsets written in the timestamps and read their wall times in --tz. */
  ignoreOffsets: boolean;
  snap: boolean;
  dropLast: boolean;
  seed?: number;
  noWait: boolean;
}

export function parseStoreVerifyOptions(raw: RawOptions, config: PtConfig): StoreVerifyOptions {
  return {
    timeframe: maybeTimeframeOption(raw.timeframe, config),
    symbols: raw.symbols === undefined ? undefined : maybeSymbols(raw.symbols),
    dataDir: tableDefaultedPath(raw, 'dataDir', '--data-dir'),
  };
}

export function parseStoreRepairOptions(raw: RawOptions, config: PtConfig): StoreRepairOptions {
  const source = maybeChoice(tableDefaulted(raw, 'source', '--source'), '--source', REPAIR_SOURCES);
  const base = parseStoreVerifyOptions(raw, config);
  if (source !== 'quarantine' && base.symbols === undefined)
    throw usageError(`--source ${source} re-ingests the bad months of the symbols named: give --symbols`);
  if (source === 'quarantine' && raw.path !== undefined)
    throw usageError('--path is for a re-ingest source: add --source csv');
  return {
    ...base,
    source,
    path: raw.path === undefined ? undefined : String(raw.path),
    tz: maybeClock(raw.tz),
    priceScale: maybePositiveNumber(raw.priceScale, '--price-scale'),
    ignoreOffsets: ignoreOffsetsOption(raw, maybeClock(raw.tz)),
    snap: Boolean(raw.snap),
    dropLast: Boolean(raw.dropLast),
    seed: maybePositiveNumber(raw.seed, '--seed'),
    noWait: raw.wait === false,
  };
}
