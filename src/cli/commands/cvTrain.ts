// pt cv and pt train: flags → options, the group loaded from the DuckDB bar store, what each model
// kind learns from and its folds, then purged CV per kind or the train job; the tables as they come.
import { loadConfig } from '../../config/loadConfig.js';
import { formatCv, formatPlans } from '../../train/job/formatCv.js';
import { foldRolesTable } from '../../train/job/foldRolesTable.js';
import { planKind } from '../../train/kindPlan.js';
import { runCv } from '../../train/runCv.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parseCvOptions } from '../options/parseCvOptions.js';
import { parseTrainOptions } from '../options/parseTrainOptions.js';
import { loadGroupAndReport } from '../loadGroupAndReport.js';
import { ProgressBar } from '../progressBar.js';
import { writeTable } from '../writeTable.js';
import { requireDataDir } from '../requireDataDir.js';
import { trainAndReport } from '../trainAndReport.js';

export async function runCvCommand(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const options = parseCvOptions(raw, config);
  requireDataDir(options.dataDir);
  const group = await loadGroupAndReport(config, options, options.seed);
  const plans = options.kinds.map((kind) => planKind(config, group.pairs, group.timeframe, kind));
  process.stdout.write(`${formatPlans(plans, config.retrain_policy.ai1_min_positives, true)}\n\n`);
  if (options.outFolds) {
    const columns = foldRolesTable(plans);
    await writeTable(options.outFolds, columns);
    process.stdout.write(`fold roles: ${columns[0]!.values.length} rows written to ${options.outFolds}\n\n`);
  }
  const bar = new ProgressBar();
  for (const plan of plans) {
    const report = runCv(config, plan, options.seed, (done, total) =>
      bar.update(`${plan.kind} fold ${done}/${total}`, done, total),
    );
    bar.finish();
    process.stdout.write(`${formatCv(report)}\n\n`);
  }
  return 0;
}

export async function runTrainCommand(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const options = parseTrainOptions(raw, config);
  requireDataDir(options.dataDir);
  const group = await loadGroupAndReport(config, options, options.seed);
  const result = await trainAndReport(config, group, options);
  if (result.refusal) throw result.refusal;
  return 0;
}
