// The flags pt cv and pt train share → the group to learn from (--group or --pairs), range, seed and store.
import type { PtConfig } from '../../config/schemas/index.js';
import { pairsByIds } from '../../config/pairsByIds.js';
import { pairsOfGroup } from '../../train/loadGroup.js';
import type { GroupJobOptions } from '../../train/job/loadGroupJob.js';
import { pairIdList } from '../resolvePairs.js';
import {
  maybeDateRange,
  maybeSeed,
  maybeTimeframeOption,
  tableDefaultedPath,
  usageError,
  type RawOptions,
} from './cliOptions.js';

export interface GroupOptions extends GroupJobOptions {
  seed: number;
}

export function parseGroupOptions(raw: RawOptions, config: PtConfig): GroupOptions {
  const timeframe = maybeTimeframeOption(raw.timeframe, config);
  if (!raw.group && !raw.pairs)
    throw usageError('--group or --pairs is required (a group of universe.yaml, e.g. --group metals)');
  const group = raw.group ? String(raw.group) : 'custom';
  const pairs =
    raw.pairs === undefined ? pairsOfGroup(config, group) : pairsByIds(config, pairIdList(String(raw.pairs)));
  return {
    group,
    pairs,
    timeframe,
    ...maybeDateRange(raw),
    seed: maybeSeed(raw.seed, config),
    dataDir: tableDefaultedPath(raw, 'dataDir', '--data-dir'),
  };
}
