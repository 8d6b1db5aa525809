// pt label flags → typed options: the pairs, which labels, the range, DQ on or off, where to write.
import type { PtConfig } from '../../config/schemas/index.js';
import type { LabelJobOptions, LabelKind } from '../../data/job/runLabelJob.js';
import { resolvePairs } from '../resolvePairs.js';
import {
  maybeChoice,
  maybeDateRange,
  maybePath,
  maybeTimeframeOption,
  tableDefaulted,
  tableDefaultedPath,
  usageError,
  type RawOptions,
} from './cliOptions.js';

const KINDS: readonly LabelKind[] = ['ai1', 'ai2', 'all'];

export function parseLabelOptions(raw: RawOptions, config: PtConfig): LabelJobOptions {
  const timeframe = maybeTimeframeOption(raw.timeframe, config);
  const pairs = resolvePairs(config, raw.pair, raw.all);
  if ((raw.outEvents || raw.outRisk) && pairs.length > 1)
    throw usageError('--out-events/--out-risk take one --pair; with --all the outputs go under data/labels/');
  return {
    pairs,
    timeframe,
    kind: maybeChoice(tableDefaulted(raw, 'kind', '--kind'), '--kind', KINDS),
    ...maybeDateRange(raw),
    outEvents: maybePath(raw.outEvents || undefined),
    outRisk: maybePath(raw.outRisk || undefined),
    dq: raw.dq !== false,
    dataDir: tableDefaultedPath(raw, 'dataDir', '--data-dir'),
  };
}
