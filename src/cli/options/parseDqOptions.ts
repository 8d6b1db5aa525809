// pt dq flags → typed options: which symbols, the range, the store and the report's path.
import type { PtConfig } from '../../config/schemas/index.js';
import type { DqJobOptions } from '../../data/job/runDqJob.js';
import {
  maybeDateRange,
  maybePath,
  maybeSymbols,
  maybeTimeframeOption,
  tableDefaulted,
  tableDefaultedPath,
  type RawOptions,
} from './cliOptions.js';

export interface DqOptions extends DqJobOptions {
  /** --metrics-file: the run's metrics for node_exporter's textfile collector. */
  metricsFile?: string;
}

export function parseDqOptions(raw: RawOptions, config: PtConfig): DqOptions {
  return {
    symbols: raw.symbols === undefined ? undefined : maybeSymbols(raw.symbols),
    timeframe: maybeTimeframeOption(raw.timeframe, config),
    ...maybeDateRange(raw),
    dataDir: tableDefaultedPath(raw, 'dataDir', '--data-dir'),
    reportPath: maybePath(raw.report),
    noWait: raw.wait === false,
    ...(raw.metricsFile !== undefined ? { metricsFile: maybePath(raw.metricsFile)! } : {}),
  };
}
