// pt resample flags → typed options: the symbols, the source and target timeframes, the range, the store.
import type { PtConfig } from '../../config/schemas/index.js';
import { maybeTimeframe } from '../../core/time.js';
import type { ResampleJobOptions } from '../../data/job/runResampleJob.js';
import { canResample } from '../../data/resample/resampleBars.js';
import {
  maybeDateRange,
  maybeSymbols,
  maybeTimeframeOption,
  tableDefaultedPath,
  usageError,
  type RawOptions,
} from './cliOptions.js';

export function parseResampleOptions(raw: RawOptions, config: PtConfig): ResampleJobOptions {
  if (raw.sourceTimeframe === undefined)
    throw usageError('--source-timeframe is required (e.g. --source-timeframe 1h)');
  const sourceTimeframe = maybeTimeframe(String(raw.sourceTimeframe));
  const timeframe = maybeTimeframeOption(raw.timeframe, config);
  if (!canResample(sourceTimeframe, timeframe))
    throw usageError(
      `cannot resample ${sourceTimeframe} into ${timeframe}: --source-timeframe must be shorter than --timeframe and divide it (15m→1h, 15m→4h, 1h→4h)`,
    );
  return {
    symbols: maybeSymbols(raw.symbols),
    sourceTimeframe,
    timeframe,
    ...maybeDateRange(raw),
    full: Boolean(raw.full),
    noWait: raw.wait === false,
    forceRevise: Boolean(raw.forceRevise),
    dataDir: tableDefaultedPath(raw, 'dataDir', '--data-dir'),
  };
}
