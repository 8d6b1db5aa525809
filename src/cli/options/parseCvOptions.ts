// pt cv flags → typed options: the group and which models to validate.
import type { PtConfig } from '../../config/schemas/index.js';
import type { ModelKind } from '../../train/runCv.js';
import { maybeChoice, maybePath, tableDefaulted, usageError, type RawOptions } from './cliOptions.js';
import { parseGroupOptions, type GroupOptions } from './parseGroupOptions.js';

export interface CvOptions extends GroupOptions {
  kinds: ModelKind[];
  /** Absolute path of the fold-role table (.csv or .parquet), when asked for. */
  outFolds?: string;
}

export function parseCvOptions(raw: RawOptions, config: PtConfig): CvOptions {
  const group = parseGroupOptions(raw, config);
  const model = maybeChoice(tableDefaulted(raw, 'model', '--model'), '--model', ['ai1', 'ai2', 'all'] as const);
  const outFolds = maybePath(raw.outFolds || undefined);
  if (outFolds !== undefined && !/\.(csv|parquet)$/i.test(outFolds))
    throw usageError(`--out-folds ${String(raw.outFolds)}: use a .csv or .parquet file name`);
  return { ...group, kinds: model === 'all' ? ['ai1', 'ai2'] : [model], ...(outFolds ? { outFolds } : {}) };
}
