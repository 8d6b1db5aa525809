// pt train and pt quickstart's training step: what each kind learns from and its folds, the train job
// under a progress bar, then its tables (also when a degenerate model was refused, so the user sees why).
import type { PtConfig } from '../config/schemas/index.js';
import { formatPlans } from '../train/job/formatCv.js';
import { formatTrainRun, runTrainJob, type TrainJobOptions, type TrainJobResult } from '../train/job/runTrainJob.js';
import type { GroupData } from '../train/loadGroup.js';
import { planKinds } from '../train/runTrain.js';
import { ProgressBar } from './progressBar.js';
import { writeTable } from './writeTable.js';

export async function trainAndReport(config: PtConfig, group: GroupData, o: TrainJobOptions): Promise<TrainJobResult> {
  const plans = planKinds(config, group);
  process.stdout.write(`${formatPlans(plans, config.retrain_policy.ai1_min_positives, false)}\n\n`);
  const bar = new ProgressBar();
  const result = await runTrainJob(
    config,
    group,
    o,
    { writeTable, onProgress: (p) => bar.update(p.stage, p.done, p.total) },
    plans,
  ).finally(() => bar.finish());
  process.stdout.write(formatTrainRun(result));
  return result;
}
