// pt optimize: flags → options, the θ search over the version's OOS predictions (runOptimizeJob), its
// trials and report written, the summary printed.
import { resolve } from 'node:path';
import { openBarStore, readParquetTable } from '../../adapters/duckdb/index.js';
import { loadConfig } from '../../config/loadConfig.js';
import { PtError } from '../../core/ptError.js';
import { latestModelVersion } from '../../ml/registry/index.js';
import { formatOptimizeSummary } from '../../optimize/formatOptimizeSummary.js';
import { runOptimizeJob, writeOptimizeOutputs } from '../../optimize/job/runOptimizeJob.js';
import { runLabelSweepJob, writeLabelSweepOutputs } from '../../optimize/job/runLabelSweepJob.js';
import { formatLabelSweepSummary } from '../../optimize/labelSweep/formatLabelSweep.js';
import { loadModelBundle } from '../../ml/modelBundle.js';
import type { PtConfig } from '../../config/schemas/index.js';
import type { OptimizeOptions } from '../options/parseOptimizeOptions.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parseOptimizeOptions } from '../options/parseOptimizeOptions.js';
import { ProgressBar } from '../progressBar.js';
import { requireDataDir } from '../requireDataDir.js';
import { writeTable } from '../writeTable.js';

export async function runOptimizeCommand(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const options = parseOptimizeOptions(raw, config);
  requireDataDir(options.dataDir);
  if (options.labels) return runLabelSweep(config, options);
  const modelDir = options.modelDir ?? (await latestModelVersion(resolve('models')))?.dir;
  if (!modelDir)
    throw new PtError('CORE_MODEL_NOTFOUND', 'no model version under models/: run pt train first or pass --model-dir', {
      exitCode: 2,
    });
  const bar = new ProgressBar();
  const result = await runOptimizeJob(
    config,
    { ...options, modelDir },
    { openBarStore, readTable: readParquetTable, onProgress: (label, done, total) => bar.update(label, done, total) },
  ).finally(() => bar.finish());
  const outDir = options.outDir ?? resolve('reports', 'optimize', result.run.runId);
  const { reportPath } = await writeOptimizeOutputs(result.run, outDir, writeTable);
  process.stdout.write(
    `${formatOptimizeSummary(result.run, {
      notes: result.notes,
      ...(result.applied ? { applied: result.applied } : {}),
      outputDir: outDir,
      reportPath,
    })}\n`,
  );
  return 0;
}

/** pt optimize --labels: the point in force is the given model version's (else config's); nothing is applied. */
async function runLabelSweep(config: PtConfig, options: OptimizeOptions): Promise<number> {
  const bundle = options.modelDir ? await loadModelBundle(options.modelDir, undefined, options.timeframe) : undefined;
  const bar = new ProgressBar();
  const { run, notes } = await runLabelSweepJob(
    config,
    {
      ...options,
      ...(bundle
        ? { inForce: { zEntry: bundle.params.z_entry, zExit: bundle.params.z_exit, maxHoldingBars: bundle.params.M } }
        : {}),
    },
    { openBarStore, onProgress: (label, done, total) => bar.update(label, done, total) },
  ).finally(() => bar.finish());
  const outDir = options.outDir ?? resolve('reports', 'optimize', `labels-${run.runId}`);
  await writeLabelSweepOutputs(run, outDir, writeTable);
  process.stdout.write(formatLabelSweepSummary(run, { notes, outputDir: outDir }));
  return 0;
}
