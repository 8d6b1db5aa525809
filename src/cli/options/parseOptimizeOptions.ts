// pt optimize flags → typed options: the model version, the pairs (a group or --pairs), the search size, apply or not.
import { resolve } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';
import type { OptimizeJobOptions } from '../../optimize/job/runOptimizeJob.js';
import { maybeSeed, tableDefaultedPath, usageError, type RawOptions } from './cliOptions.js';
import { parseGroupOptions } from './parseGroupOptions.js';
import { pairsOfGroup } from '../../train/loadGroup.js';

export interface OptimizeOptions extends Omit<OptimizeJobOptions, 'modelDir'> {
  /** Absolute path of models/<version>; undefined: the newest version under models/. */
  modelDir?: string;
  /** Where trials.parquet/csv and report.html go; undefined: reports/optimize/<run id>. */
  outDir?: string;
  /** pt optimize --labels: the label-parameter sweep instead of one θ search. */
  labels: boolean;
}

export function parseOptimizeOptions(raw: RawOptions, config: PtConfig): OptimizeOptions {
  const group = parseGroupOptions(raw, config);
  if (raw.apply && raw.dryRun) throw usageError('--apply and --dry-run exclude each other');
  if (raw.labels && raw.apply)
    throw usageError(
      '--labels applies nothing (its points need a re-trained model): drop --apply; adopt a point in core_policy.yaml, then pt train and pt optimize --apply',
    );
  let trials = config.core_policy.tpe.max_trials;
  if (raw.trials !== undefined) {
    trials = Number(raw.trials);
    if (!(Number.isInteger(trials) && trials >= 0 && trials <= 10_000))
      throw usageError(`--trials ${String(raw.trials)}: give an integer from 0 to 10000 (TPE trials after the grids)`);
  }
  return {
    group: group.group,
    pairs: group.pairs ?? pairsOfGroup(config, group.group),
    timeframe: group.timeframe,
    trials,
    seed: maybeSeed(raw.seed, config),
    apply: raw.apply === true,
    labels: raw.labels === true,
    dataDir: tableDefaultedPath(raw, 'dataDir', '--data-dir'),
    ...(raw.modelDir ? { modelDir: resolve(String(raw.modelDir)) } : {}),
    ...(raw.out ? { outDir: resolve(String(raw.out)) } : {}),
  };
}
