// pt quickstart: the whole pipeline on the real sample in data/sample (no flags, no network):
// ingest → dq → features → labels → train → backtest with stress, each step the library job its
// command runs, printing what that command prints.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../config/loadConfig.js';
import { pairsByIds } from '../../config/pairsByIds.js';
import type { PtConfig } from '../../config/schemas/index.js';
import { PtError } from '../../core/ptError.js';
import type { Timeframe } from '../../core/time.js';
import { openBarStore } from '../../adapters/duckdb/index.js';
import { formatDqRun, runDqJob } from '../../data/job/runDqJob.js';
import { formatPairFeatures, runFeaturesJob } from '../../data/job/runFeaturesJob.js';
import { ingestFailure } from '../../data/job/runIngestJob.js';
import { formatPairLabels, runLabelJob } from '../../data/job/runLabelJob.js';
import { latestModelVersion, writeCurrentModel } from '../../ml/registry/index.js';
import { loadGroupAndReport } from '../loadGroupAndReport.js';
import { logDone } from '../logDone.js';
import { configDirOption, maybeSeed, maybeTimeframeOption, type RawOptions } from '../options/cliOptions.js';
import { parseQuickstartOptions } from '../options/parseQuickstartOptions.js';
import { trainAndReport } from '../trainAndReport.js';
import { ProgressBar } from '../progressBar.js';
import { readParquetTable } from '../../adapters/duckdb/index.js';
import { formatOptimizeSummary } from '../../optimize/formatOptimizeSummary.js';
import { runOptimizeJob, writeOptimizeOutputs } from '../../optimize/job/runOptimizeJob.js';
import { writeSkip } from '../writeSkip.js';
import { writeTable } from '../writeTable.js';
import { backtestWithProgress } from './btRun.js';
import { ingestWithProgress } from './ingest.js';

/** The sample shipped with pt (data/sample/PROVENANCE.md): files, clocks and price scales. */
export const SAMPLE = [
  { file: 'XAUUSDh1.csv.gz', symbol: 'XAUUSD', tz: 'EET', priceScale: 100 },
  { file: 'XAGUSD_H1.csv.gz', symbol: 'XAGUSD', tz: 'UTC' },
  { file: 'AUDUSDh1.csv.gz', symbol: 'AUDUSD', tz: 'EET', priceScale: 100000 },
  { file: 'USDCADh1.csv.gz', symbol: 'USDCAD', tz: 'EET', priceScale: 100000 },
  { file: 'GBPUSDh1.csv.gz', symbol: 'GBPUSD', tz: 'EET', priceScale: 100000 },
  { file: 'USDCHFh1.csv.gz', symbol: 'USDCHF', tz: 'EET', priceScale: 100000 },
  { file: 'EURGBPh1.csv.gz', symbol: 'EURGBP', tz: 'EET', priceScale: 100000 },
  { file: 'EURJPYh1.csv.gz', symbol: 'EURJPY', tz: 'EET', priceScale: 1000 },
  { file: 'GBPJPYh1.csv.gz', symbol: 'GBPJPY', tz: 'EET', priceScale: 1000 },
  { file: 'AUDJPYh1.csv.gz', symbol: 'AUDJPY', tz: 'EET', priceScale: 1000 },
  { file: 'USDJPYh1.csv.gz', symbol: 'USDJPY', tz: 'EET', priceScale: 1000 },
] as const;
// Every universe.yaml pair whose two legs ../shared/data/real has at 1h (EURUSD, EURCHF and NZDUSD
// have no hourly file there), so AI1 learns from all the events the sample can give.
export const SAMPLE_PAIR_IDS = [
  'XAUUSD_XAGUSD',
  'AUDUSD_USDCAD',
  'GBPUSD_USDCHF',
  'GBPUSD_EURGBP',
  'EURJPY_GBPJPY',
  'AUDJPY_USDJPY',
] as const;
const PAIR_IDS = [...SAMPLE_PAIR_IDS];
/** The group the quickstart trains its pairs as: its model version and its CURRENT pointer carry this name. */
export const QUICKSTART_GROUP = 'custom';

async function ingestSample(config: PtConfig, sampleDir: string, timeframe: Timeframe, dataDir: string): Promise<void> {
  for (const s of SAMPLE) {
    const options = {
      source: 'csv',
      symbols: [s.symbol],
      timeframe,
      path: join(sampleDir, s.file),
      tz: s.tz,
      ...('priceScale' in s ? { priceScale: s.priceScale } : {}),
      full: false,
      dataDir,
    };
    const summary = await ingestWithProgress(config, options);
    const failure = ingestFailure(summary);
    if (failure) throw failure;
  }
}

/** Marks a data folder as the quickstart's; a store there without the mark is someone's real data, and is refused. */
async function claimDataDir(dataDir: string): Promise<void> {
  const mark = join(dataDir, '.quickstart');
  if (existsSync(join(dataDir, 'canonical')) && !existsSync(mark))
    throw new PtError(
      'CORE_CLI_USAGE',
      `${dataDir} already holds a bar store that pt quickstart did not make: run pt quickstart --data-dir data/quickstart to keep the sample apart`,
      { exitCode: 2 },
    );
  await mkdir(dataDir, { recursive: true });
  await writeFile(mark, 'the bundled sample of pt quickstart lives in this store\n');
}

export async function runQuickstartCommand(raw: RawOptions): Promise<number> {
  const sampleDir = fileURLToPath(new URL('../../../data/sample/', import.meta.url));
  if (!existsSync(join(sampleDir, 'PROVENANCE.md')))
    throw new PtError('DATA_INPUT_MISSING', `the sample data is missing (${sampleDir})`, { exitCode: 2 });
  const { dataDir } = parseQuickstartOptions(raw);
  const config = loadConfig(configDirOption(raw));
  const timeframe = maybeTimeframeOption('1h', config);
  const seed = maybeSeed(undefined, config);
  const pairs = pairsByIds(config, PAIR_IDS);
  // The project's own layout (data/, models/), so that every later command finds the sample without flags.
  const modelsDir = resolve('models');
  await claimDataDir(dataDir);
  const outDir = resolve(join('reports', 'quickstart'));
  const step = (n: number, what: string) => process.stdout.write(`\n== ${n}/8 ${what}\n`);
  const started = performance.now();

  step(1, `ingest the sample (${SAMPLE.map((s) => s.symbol).join(', ')}; broker clock EET and GMT aligned in UTC)`);
  await ingestSample(config, sampleDir, timeframe, dataDir);

  step(2, 'data quality');
  const dq = await runDqJob(
    config,
    { symbols: SAMPLE.map((s) => s.symbol), timeframe, dataDir, reportPath: join(dataDir, 'reports', 'dq.json') },
    { openBarStore },
  );
  for (const line of formatDqRun(dq)) process.stdout.write(`${line}\n`);
  logDone({ source: 'dq', run_id: dq.report.dq_run_id, timeframe }, 'dq_done', {
    symbols: dq.symbols,
    quarantined: dq.report.quarantine.entries.length,
    report: dq.reportPath,
  });

  step(3, 'features');
  await runFeaturesJob(
    config,
    { pairs, timeframe, dq: true, dataDir },
    { openBarStore, writeTable, onPair: (r) => process.stdout.write(`${formatPairFeatures(r)}\n`), onSkip: writeSkip },
  );

  step(4, 'labels');
  await runLabelJob(
    config,
    { pairs, timeframe, kind: 'all', dq: true, dataDir },
    { openBarStore, writeTable, onPair: (r) => process.stdout.write(`${formatPairLabels(r)}\n`), onSkip: writeSkip },
  );

  step(5, 'train (walk-forward OOS, purged CV, final fit, signed model)');
  const group = await loadGroupAndReport(config, { group: QUICKSTART_GROUP, pairs, timeframe, dataDir }, seed);
  const trained = await trainAndReport(config, group, { seed, modelsDir, dataDir });
  const run = { pairIds: PAIR_IDS, timeframe, seed, csv: false, dq: true, dataDir };
  if (trained.refusal) {
    // A model that learned nothing would filter every trade through a constant: no model backtest,
    // but the quickstart still ends with the baseline rather than an error.
    const why = trained.results
      .filter((k) => k.degenerate.degenerate)
      .map((k) => `${k.kind.toUpperCase()} learned nothing (${k.degenerate.reasons.join(', ')})`)
      .join('; ');
    process.stdout.write(`${trained.refusal.id}: ${trained.refusal.message}\n`);
    process.stdout.write(`\n== 6/8 and 7/8 skipped: ${why}; the z-score baseline follows\n`);
  } else {
    const version = await latestModelVersion(modelsDir);
    if (!version) throw new PtError('CORE_MODEL_NOTFOUND', `quickstart: no model version in ${modelsDir}`);
    // pt live finds the model through its group's pointer, never by taking the newest folder.
    const current = await writeCurrentModel(modelsDir, QUICKSTART_GROUP, version.version);
    process.stdout.write(`model ${version.version} is CURRENT of group ${QUICKSTART_GROUP} (${current.pointer})\n`);
    step(6, `optimize θ1/θ2 on the walk-forward OOS predictions, apply with hysteresis (model ${version.version})`);
    const bar = new ProgressBar();
    const optimized = await runOptimizeJob(
      config,
      {
        modelDir: version.dir,
        group: QUICKSTART_GROUP,
        pairs,
        timeframe,
        trials: config.core_policy.tpe.max_trials,
        seed,
        apply: true,
        dataDir,
      },
      { openBarStore, readTable: readParquetTable, onProgress: (label, done, total) => bar.update(label, done, total) },
    ).finally(() => bar.finish());
    const optDir = `${outDir}-optimize`;
    const { reportPath } = await writeOptimizeOutputs(optimized.run, optDir, writeTable);
    process.stdout.write(
      `${formatOptimizeSummary(optimized.run, { notes: optimized.notes, ...(optimized.applied ? { applied: optimized.applied } : {}), outputDir: optDir, reportPath })}\n`,
    );
    step(7, `backtest with stress scenarios (model ${version.version}, θ in force after step 6)`);
    // The quickstart's report folders are its own: a re-run replaces the outputs there.
    await backtestWithProgress(config, {
      ...run,
      ruleOnly: false,
      modelDir: version.dir,
      stress: true,
      outDir,
      force: true,
    });
  }
  // The rule-only baseline shows what the model's filter is filtering.
  step(8, 'baseline: the same backtest with the z-score rules only (no model)');
  await backtestWithProgress(config, {
    ...run,
    ruleOnly: true,
    stress: false,
    outDir: `${outDir}-baseline`,
    force: true,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const baselineReport = join(`${outDir}-baseline`, 'report.html');
  process.stdout.write(
    trained.refusal
      ? `\nquickstart done in ${seconds} s without a model backtest: baseline report ${baselineReport}\n`
      : `\nquickstart done in ${seconds} s: report ${join(outDir, 'report.html')} (baseline ${baselineReport})\n`,
  );
  return 0;
}
