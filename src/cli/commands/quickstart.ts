// pt quickstart: the whole pipeline on the real sample in data/sample (no flags, no network):
// ingest → dq → features → labels → train → bt run with stress, each step a pt command.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PtError } from '../../core/ptError.js';
import { latestModelVersion } from '../../ml/registry/index.js';
import { runIngestCommand } from './ingest.js';
import { runDqCommand } from './dq.js';
import { runFeaturesCommand } from './features.js';
import { runLabelCommand } from './label.js';
import { runTrainCommand } from './cvTrain.js';
import { runBtRunCommand } from './btRun.js';

/** The sample shipped with pt (data/sample/PROVENANCE.md): files, clocks and price scales. */
export const SAMPLE = [
  { file: 'XAUUSDh1.csv.gz', symbol: 'XAUUSD', tz: 'EET', priceScale: '100' },
  { file: 'XAGUSD_H1.csv.gz', symbol: 'XAGUSD', tz: 'UTC' },
  { file: 'AUDUSDh1.csv.gz', symbol: 'AUDUSD', tz: 'EET', priceScale: '100000' },
  { file: 'USDCADh1.csv.gz', symbol: 'USDCAD', tz: 'EET', priceScale: '100000' },
] as const;
const PAIRS = 'XAUUSD_XAGUSD,AUDUSD_USDCAD';

export async function runQuickstartCommand(options: Record<string, unknown>): Promise<number> {
  const sampleDir = fileURLToPath(new URL('../../../data/sample/', import.meta.url));
  if (!existsSync(join(sampleDir, 'PROVENANCE.md')))
    throw new PtError('DATA_INPUT_MISSING', `the sample data is missing (${sampleDir})`, { exitCode: 2 });
  const dataDir = resolve(
    String(options.dataDir && options.dataDir !== 'data' ? options.dataDir : join('data', 'quickstart')),
  );
  const modelsDir = join(dataDir, 'models');
  const outDir = resolve(join('reports', 'quickstart'));
  const common = { configDir: options.configDir, dataDir, timeframe: '1h' };
  const step = (n: number, what: string) => process.stdout.write(`\n== ${n}/7 ${what}\n`);
  const must = (code: number, what: string) => {
    if (code !== 0) throw new PtError('CORE_INTERNAL_BUG', `quickstart: ${what} failed (exit ${code})`);
  };
  const started = performance.now();

  step(1, `ingest the sample (${SAMPLE.map((s) => s.symbol).join(', ')}; broker clock EET and GMT aligned in UTC)`);
  for (const s of SAMPLE) {
    must(
      await runIngestCommand({
        ...common,
        source: 'csv',
        path: join(sampleDir, s.file),
        symbols: s.symbol,
        tz: s.tz,
        ...('priceScale' in s ? { priceScale: s.priceScale } : {}),
      }),
      `ingest ${s.symbol}`,
    );
  }
  step(2, 'data quality');
  must(
    await runDqCommand({
      ...common,
      symbols: SAMPLE.map((s) => s.symbol).join(','),
      report: join(dataDir, 'reports', 'dq.json'),
    }),
    'dq',
  );
  step(3, 'features');
  must(await runFeaturesCommand({ ...common, pair: PAIRS }), 'features');
  step(4, 'labels');
  must(await runLabelCommand({ ...common, pair: PAIRS, kind: 'all' }), 'label');
  step(5, 'train (walk-forward OOS, purged CV, final fit, signed model)');
  must(await runTrainCommand({ ...common, pairs: PAIRS, out: modelsDir }), 'train');
  const version = await latestModelVersion(modelsDir);
  if (!version) throw new PtError('CORE_MODEL_NOTFOUND', `quickstart: no model version in ${modelsDir}`);
  step(6, `backtest with stress scenarios (model ${version.version})`);
  must(await runBtRunCommand({ ...common, pairs: PAIRS, modelDir: version.dir, stress: true, out: outDir }), 'bt run');
  // θ1/θ2 are config defaults until pt optimize tunes them, so the model may keep out of every
  // trade; the rule-only baseline shows what the filter is filtering.
  step(7, 'baseline: the same backtest with the z-score rules only (no model)');
  must(
    await runBtRunCommand({ ...common, pairs: PAIRS, ruleOnly: true, out: `${outDir}-baseline` }),
    'bt run --rule-only',
  );
  process.stdout.write(
    `\nquickstart done in ${((performance.now() - started) / 1000).toFixed(0)} s: report ${join(outDir, 'report.html')} (baseline ${join(`${outDir}-baseline`, 'report.html')})\n`,
  );
  return 0;
}
