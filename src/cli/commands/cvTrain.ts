// pt cv and pt train: flags → options, the group loaded from the DuckDB bar store, then purged CV
// per model kind or the train job; the tables as they come.
import { loadConfig } from '../../config/loadConfig.js';
import { formatCv } from '../../train/job/formatCv.js';
import { formatTrainRun, runTrainJob } from '../../train/job/runTrainJob.js';
import { runCv } from '../../train/runCv.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parseCvOptions } from '../options/parseCvOptions.js';
import { parseTrainOptions } from '../options/parseTrainOptions.js';
import { loadGroupAndReport } from '../loadGroupAndReport.js';
import { ProgressBar } from '../progressBar.js';
import { writeTable } from '../writeTable.js';
import { requireDataDir } from '../requireDataDir.js';

export async function runCvCommand(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const options = parseCvOptions(raw, config);
  requireDataDir(options.dataDir);
  const group = await loadGroupAndReport(config, options, options.seed);
  const bar = new ProgressBar();
  for (const kind of options.kinds) {
    const report = runCv(config, group.pairs, group.timeframe, kind, options.seed, (done, total) =>
      bar.update(`${kind} fold ${done}/${total}`, done, total),
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
  const bar = new ProgressBar();
  const result = await runTrainJob(config, group, options, {
    writeTable,
    onProgress: (p) => bar.update(p.stage, p.done, p.total),
  }).finally(() => bar.finish());
  // The tables first, so the user sees why a degenerate model was refused.
  process.stdout.write(formatTrainRun(result));
  if (result.refusal) throw result.refusal;
  return 0;
}
