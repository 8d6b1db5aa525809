// pt features flags → typed options: the pairs (--pair or --all), the range, DQ on or off, where to write.
import type { PtConfig } from '../../config/schemas/index.js';
import type { FeaturesJobOptions } from '../../data/job/runFeaturesJob.js';
import { resolvePairs } from '../resolvePairs.js';
import {
  maybeDateRange,
  maybePath,
  maybeTimeframeOption,
  tableDefaulted,
  tableDefaultedPath,
  usageError,
  type RawOptions,
} from './cliOptions.js';

export function parseFeaturesOptions(raw: RawOptions, config: PtConfig): FeaturesJobOptions {
  const timeframe = maybeTimeframeOption(raw.timeframe, config);
  const pairs = resolvePairs(config, raw.pair, raw.all);
  if (raw.out && pairs.length > 1)
    throw usageError('--out takes one --pair; with --all the outputs go under data/features/');
  return {
    pairs,
    timeframe,
    ...maybeDateRange(raw),
    out: maybePath(raw.out || undefined),
    dq: raw.dq !== false,
    dataDir: tableDefaultedPath(raw, 'dataDir', '--data-dir'),
  };
}
