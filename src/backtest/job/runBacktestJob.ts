// The whole of pt bt run as one library call: the run's config (universe, costs), the model and θ,
// the pairs from the bar store, the backtest, gross vs net, stress scenarios, the four output tables,
// bt_run.json and report.html. Storage comes in through the BarStore and TableWriter ports.
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { resolveCostFile, withConfigFile } from '../../config/loadConfig.js';
import { pairsByIds } from '../../config/pairsByIds.js';
import type { PtConfig } from '../../config/schemas/index.js';
import { codeHash } from '../../core/codeHash.js';
import { configHash } from '../../core/configHash.js';
import { ensureDirDurable, writeFileAtomic } from '../../core/durableFs.js';
import { PtError } from '../../core/ptError.js';
import { isoUtc } from '../../core/time.js';
import { barContentHash } from '../../data/barContentHash.js';
import { resolveDecisionParams } from '../../decision/decisionParams.js';
import { bundleScorer, loadModelBundle, type ModelBundle } from '../../ml/modelBundle.js';
import { appliedThetaInput, latestModelVersion } from '../../ml/registry/index.js';
import { withDeflatedSharpe } from '../kpis/acceptance.js';
import type { BacktestPairInput } from '../backtestTypes.js';
import { compareRuns, type RunComparison, type RunRecord } from '../compareRuns.js';
import { costSensitivity } from '../costSensitivity.js';
import { runBacktest } from '../engine.js';
import { conversionFromStore, loadPairs, pairInput } from '../prepareBacktest.js';
import { renderBacktestReport } from '../report/index.js';
import { runStressScenarios } from '../stress/runStressScenarios.js';
import { summarizeRun } from '../summarizeRun.js';
import type { BacktestJobDeps, BacktestJobOptions, BacktestJobResult } from './backtestJobTypes.js';
import { BT_OUTPUT_FILES, BT_REPORT_HTML, BT_RUN_JSON, BT_TABLE_NAMES, btOutputTables } from './btOutputTables.js';
import { btSummaryRows, ddShares } from './btSummaryRows.js';
import { reportDataFrom } from './reportDataFrom.js';

/** The config with --universe and --cost applied (each file validated like config/). */
function runConfig(config: PtConfig, o: BacktestJobOptions): PtConfig {
  let out = config;
  if (o.universe) out = withConfigFile(out, 'universe', o.universe);
  if (o.cost) out = withConfigFile(out, 'cost_table', resolveCostFile(out.dir, o.cost));
  return out;
}

async function loadModel(o: BacktestJobOptions): Promise<{ bundle: ModelBundle; dir: string }> {
  const dir = o.modelDir ?? (await latestModelVersion(resolve('models')))?.dir;
  if (!dir)
    throw new PtError(
      'CORE_MODEL_NOTFOUND',
      'no model version under models/: run pt train first, pass --model-dir, or use --rule-only',
      { exitCode: 2 },
    );
  return { bundle: await loadModelBundle(dir, undefined, o.timeframe), dir };
}

/** bt_run.json: what a later run needs to compare with this one, the verdict and the comparison; NaN as null. */
function runJson(record: RunRecord, verdict: unknown, baseline?: RunRecord, comparison?: RunComparison): string {
  const compared = comparison
    ? { baseline_run_id: baseline!.run_id, baseline_model_version: baseline!.model_version, ...comparison }
    : null;
  return `${JSON.stringify({ ...record, verdict, comparison: compared }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

export async function runBacktestJob(
  baseConfig: PtConfig,
  o: BacktestJobOptions,
  deps: BacktestJobDeps,
): Promise<BacktestJobResult> {
  const config = runConfig(baseConfig, o);
  const baseline = o.baselineRun ? deps.readRunRecord(o.baselineRun) : undefined;
  const specs = o.pairIds === undefined ? [...config.universe.pairs] : pairsByIds(config, o.pairIds);
  // Before any work: --out is this run's own folder (another run's files there are refused, or replaced with --force).
  await deps.outputDir.check(o.outDir, o.force ?? false);
  const loadedModel = o.ruleOnly ? undefined : await loadModel(o);
  const bundle = loadedModel?.bundle;
  const applied = loadedModel ? await appliedThetaInput(loadedModel.dir) : undefined;
  // SPEC §6/§7: one source of θ: the latest applied record, else params.yaml, unless --theta1/--theta2 say otherwise.
  const decision = resolveDecisionParams(config, {
    ruleOnly: o.ruleOnly,
    ...(bundle ? { model: { version: bundle.version, params: bundle.params } } : {}),
    ...(applied ? { applied } : {}),
    theta1: o.theta1,
    theta2: o.theta2,
  });
  const scorer = bundle ? bundleScorer(bundle) : undefined;
  const runDecision = {
    params: decision.params,
    signalZ: decision.signalZ,
    speedLookbackBars: decision.speedLookbackBars,
  };
  const runId = randomUUID();
  const store = await deps.openBarStore(o.dataDir);
  let loaded;
  let conversionRate;
  try {
    loaded = await loadPairs(config, store, o.dataDir, specs, o.timeframe, o.fromMs, o.toMs, o.dq);
    conversionRate = await conversionFromStore(config, store, specs, o.timeframe, o.fromMs, o.toMs);
  } finally {
    await store.close();
  }
  const inputs: BacktestPairInput[] = [];
  for (const [i, l] of loaded.entries()) {
    deps.onProgress?.(`features ${l.spec.pair_id}`, i, loaded.length);
    inputs.push(await pairInput(config, l.spec, l.pair, scorer));
  }
  const { timeframe, ruleOnly, seed } = o;
  const runInput = { pairs: inputs, config, timeframe, conversionRate, ruleOnly, ...runDecision };
  const result = runBacktest(runInput);
  const summary = summarizeRun(config, result, timeframe, seed);
  // θ from a search carries its selection bias: the verdicts gain the Deflated Sharpe of that search.
  if (applied?.search && !(o.theta1 !== undefined && o.theta2 !== undefined))
    summary.verdict = withDeflatedSharpe(summary.verdict, applied.search);
  deps.onProgress?.('costs', 0, 1);
  const grossNet = costSensitivity(runInput, result);
  const stress = o.stress
    ? await runStressScenarios(
        { config, pairs: loaded, timeframe, conversionRate, ruleOnly, decision: runDecision, scorer, seed },
        deps.onProgress,
      )
    : [];

  // Every output row carries the run's identity (SPEC §7).
  const modelVersion = bundle?.version ?? 'rule-only';
  const record: RunRecord = {
    run_id: runId,
    model_version: modelVersion,
    initial_capital_usd: config.backtest_policy.initial_capital_usd,
    kpis: { ...summary.kpis },
    daily: { dayMs: Array.from(summary.daily.dayMs), equity: Array.from(summary.daily.equity) },
  };
  const comparison = baseline ? compareRuns(config, record, baseline) : undefined;
  const period = `${isoUtc(result.timesMs[0] ?? 0)}..${isoUtc(result.timesMs[result.timesMs.length - 1] ?? 0)}`;
  const pairIds = inputs.map((p) => p.pair.pair_id);
  const summaryRows = btSummaryRows(summary, result, pairIds);
  const tables = btOutputTables({
    summaryRows,
    period,
    theta: {
      theta1: decision.params.useTheta ? decision.params.theta1 : Number.NaN,
      theta2: decision.params.useTheta ? decision.params.theta2 : Number.NaN,
      source: decision.thetaSource,
    },
    paramsHash: configHash({
      core: config.core_policy,
      bt: config.backtest_policy,
      costs: config.cost_table,
      dd: config.dd_policy,
    }),
    dataHash: barContentHash(loaded.map((l) => l.pair)),
    trades: result.trades,
    daily: summary.daily,
    stress,
    stamp: {
      model_version: modelVersion,
      feature_schema_hash: bundle?.featureSchemaHash ?? '',
      code_hash: codeHash(),
      seed: String(seed),
      run_id: runId,
    },
  });
  // Only now, with the run complete: a failed --force run leaves the earlier outputs in place.
  if (o.force) await deps.outputDir.removeOwn(o.outDir, BT_OUTPUT_FILES);
  await ensureDirDurable(o.outDir);
  for (const name of BT_TABLE_NAMES) {
    if (name === 'bt_stress_results' && !o.stress) continue;
    await deps.writeTable(join(o.outDir, `${name}.parquet`), tables[name]);
    if (o.csv) await deps.writeTable(join(o.outDir, `${name}.csv`), tables[name]);
  }
  const report = reportDataFrom({
    title: `Backtest ${specs.length === 1 ? specs[0]!.pair_id : `${inputs.length} pairs`} ${timeframe}${ruleOnly ? ' (rule only)' : ''}`,
    runId,
    modelVersion: bundle?.version ?? null,
    generatedAt: new Date().toISOString(),
    decision,
    result,
    summary,
    summaryRows,
    grossNet,
    stress,
    comparison,
  });
  await writeFileAtomic(join(o.outDir, BT_RUN_JSON), runJson(record, summary.verdict, baseline, comparison));
  const reportPath = join(o.outDir, BT_REPORT_HTML);
  await writeFileAtomic(reportPath, renderBacktestReport(report));
  return {
    runId,
    modelVersion,
    timeframe,
    period,
    pairIds,
    decision,
    ddShares: pairIds.map((id) => ddShares(result.pairDdBars[id]!)),
    summary,
    trades: result.trades,
    grossNet,
    ...(baseline && comparison ? { comparison: { baseline, result: comparison } } : {}),
    stress,
    outDir: o.outDir,
    reportPath,
  };
}
