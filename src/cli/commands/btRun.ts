// pt bt run: a portfolio backtest of the universe's pairs with a verified model (or --rule-only),
// optional stress scenarios, Parquet/CSV outputs stamped with the run's identity, and report.html.
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { loadConfig, resolveCostFile, withConfigFile } from '../../config/loadConfig.js';
import { compareRuns, type RunRecord } from '../../backtest/compareRuns.js';
import { readRunRecord } from '../../adapters/files/readRunRecord.js';
import { configHash } from '../../core/configHash.js';
import { codeHash } from '../../core/codeHash.js';
import { barContentHash } from '../../data/barContentHash.js';
import { ensureDirDurable, writeFileAtomic } from '../../core/durableFs.js';
import { PtError } from '../../core/ptError.js';
import { isoUtc } from '../../core/time.js';
import { openBarStore } from '../../adapters/duckdb/index.js';
import type { TableColumn } from '../../adapters/duckdb/tableParquetWriter.js';
import { runBacktest } from '../../backtest/engine.js';
import type { BacktestPairInput } from '../../backtest/backtestTypes.js';
import { conversionFromStore, loadPairs, pairInput } from '../../backtest/prepareBacktest.js';
import { summarizeRun, type RunSummary } from '../../backtest/summarizeRun.js';
import { costSensitivity, type GrossNet } from '../../backtest/costSensitivity.js';
import { applyStressScenario, stressScenarios } from '../../backtest/stress/index.js';
import { renderBacktestReport, type ReportData } from '../../backtest/report/index.js';
import { bundleScorer, loadModelBundle, type ModelBundle } from '../../ml/modelBundle.js';
import { resolveDecisionParams } from '../../decision/decisionParams.js';
import { DD_LEVEL_NAMES } from '../../decision/ddPolicy.js';
import { latestModelVersion } from '../../ml/registry/index.js';
import { maybePositiveNumber, maybeProbability, maybeTimeframeOption } from '../cliOptions.js';
import { ProgressBar } from '../progressBar.js';
import { writeTable } from '../writeTable.js';
import { pairsByIds } from '../resolvePairs.js';

/** `2022-01:2024-06` → [2022-01-01, 2024-07-01) UTC. */
export function parsePeriod(text: string | undefined): { fromMs?: number; toMs?: number } {
  if (text === undefined) return {};
  const m = /^(\d{4})-(\d{2}):(\d{4})-(\d{2})$/.exec(text.trim());
  if (!m) throw new PtError('CORE_CLI_USAGE', `--period "${text}" must look like 2022-01:2024-06`, { exitCode: 2 });
  const fromMs = Date.UTC(Number(m[1]), Number(m[2]) - 1, 1);
  const toMs = Date.UTC(Number(m[3]), Number(m[4]), 1);
  if (!(fromMs < toMs))
    throw new PtError('CORE_CLI_USAGE', `--period "${text}": the start must be before the end`, { exitCode: 2 });
  return { fromMs, toMs };
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(2)}%` : '-');
const num = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');

export function formatKpis(s: RunSummary): string {
  const k = s.kpis;
  const rows: Array<[string, string]> = [
    ['annual return (simple / compound)', `${pct(k.annualReturnSimple)} / ${pct(k.annualReturnCompound)}`],
    ['Sharpe (daily ×√252)', num(k.sharpe)],
    ['max drawdown', pct(k.maxDrawdown)],
    ['Calmar', num(k.calmar)],
    ['trades / year', num(k.tradesPerYear)],
    ['win rate', pct(k.winRate)],
    ['E/trade (of capital)', pct(k.ePerTrade)],
    ['monthly win rate', pct(k.monthlyWinRate)],
    ['halt rate (AI filter)', pct(k.haltRate)],
    ['θ1 / θ2 pass rate', `${pct(k.theta1PassRate)} / ${pct(k.theta2PassRate)}`],
    ['AI2 false-stop rate', pct(k.falseStopRate)],
  ];
  for (const [name, ci] of Object.entries(s.cis)) rows.push([`95% CI ${name}`, `${num(ci.lower)} … ${num(ci.upper)}`]);
  const w = Math.max(...rows.map((r) => r[0].length));
  const verdicts = s.verdict.checks.map((c) => `  ${c.pass ? 'PASS' : 'FAIL'} ${c.name}: ${c.reason}`).join('\n');
  return `${rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`).join('\n')}\nacceptance: ${s.verdict.pass ? 'PASS' : 'FAIL'}\n${verdicts}`;
}

/** Gross beside net, the cost-sensitivity table, the break-even cost and the sizing skips, as printed. */
export function formatGrossNet(g: GrossNet): string {
  const rows = g.rows.map(
    (r) =>
      `  ${(r.scale === 0 ? '0 (gross)' : `${r.scale}`).padEnd(10)} ${num(r.sharpe).padStart(7)} ${pct(r.annualReturn).padStart(9)} ${pct(r.maxDrawdown).padStart(8)} ${num(r.pnlUsd).padStart(12)}`,
  );
  const reasons = Object.entries(g.sizing.reasons)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return [
    `gross (no costs, no swaps): Sharpe ${num(g.gross.sharpe)}, annual return ${pct(g.gross.annualReturnSimple)}, MaxDD ${pct(g.gross.maxDrawdown)}`,
    'cost sensitivity (the same decisions; only the accounting re-run with the whole cost table × scale):',
    `  ${'× costs'.padEnd(10)} ${'Sharpe'.padStart(7)} ${'annual'.padStart(9)} ${'MaxDD'.padStart(8)} ${'P&L USD'.padStart(12)}`,
    ...rows,
    `break-even cost: ${num(g.breakEvenBps)} bps per round trip of both legs' entry notional (the cost table costs ${num(g.costBps)} bps)`,
    `lot sizing skipped ${g.sizing.skipped} of ${g.sizing.attempted} entries (${pct(g.sizing.rate)})${reasons ? `: ${reasons}` : ''}`,
  ].join('\n');
}

export async function runBtRunCommand(options: Record<string, unknown>): Promise<number> {
  let config = loadConfig(options.configDir as string | undefined);
  if (options.universe) config = withConfigFile(config, 'universe', String(options.universe));
  if (options.cost) config = withConfigFile(config, 'cost_table', resolveCostFile(config.dir, String(options.cost)));
  const baseline = options.baselineRun ? readRunRecord(resolve(String(options.baselineRun))) : undefined;
  const timeframe = maybeTimeframeOption(options.timeframe, config);
  const { fromMs, toMs } = parsePeriod(options.period as string | undefined);
  const ruleOnly = Boolean(options.ruleOnly);
  const seed =
    options.seed === undefined ? config.retrain_policy.seed : Math.floor(maybePositiveNumber(options.seed, '--seed')!);
  const dataDir = resolve(String(options.dataDir ?? 'data'));
  const outDir = resolve(String(options.out ?? join('reports', 'bt')));
  const specs = options.pairs === undefined ? [...config.universe.pairs] : pairsByIds(config, String(options.pairs));
  let bundle: ModelBundle | undefined;
  if (!ruleOnly) {
    const dir = options.modelDir
      ? resolve(String(options.modelDir))
      : (await latestModelVersion(resolve('models')))?.dir;
    if (!dir)
      throw new PtError(
        'CORE_MODEL_NOTFOUND',
        'no model version under models/: run pt train first, pass --model-dir, or use --rule-only',
        { exitCode: 2 },
      );
    bundle = await loadModelBundle(dir, undefined, timeframe);
  }
  // SPEC §7: one source of θ, the model version's params.yaml unless --theta1/--theta2 say otherwise.
  const resolved = resolveDecisionParams(config, {
    ruleOnly,
    ...(bundle ? { model: { version: bundle.version, params: bundle.params } } : {}),
    theta1: maybeProbability(options.theta1, '--theta1'),
    theta2: maybeProbability(options.theta2, '--theta2'),
  });
  const scorer = bundle ? bundleScorer(bundle) : undefined;
  const runOptions = {
    params: resolved.params,
    signalZ: resolved.signalZ,
    speedLookbackBars: resolved.speedLookbackBars,
  };
  const runId = randomUUID();
  const bar = new ProgressBar();
  const store = await openBarStore(dataDir);
  let loaded;
  let conversionRate;
  try {
    loaded = await loadPairs(config, store, dataDir, specs, timeframe, fromMs, toMs, options.dq !== false);
    conversionRate = await conversionFromStore(config, store, specs, timeframe, fromMs, toMs);
  } finally {
    await store.close();
  }
  const inputs: BacktestPairInput[] = [];
  for (const [i, l] of loaded.entries()) {
    bar.update(`features ${l.spec.pair_id}`, i, loaded.length);
    inputs.push(await pairInput(config, l.spec, l.pair, scorer));
  }
  const runInput = { pairs: inputs, config, timeframe, conversionRate, ruleOnly, ...runOptions };
  const result = runBacktest(runInput);
  const summary = summarizeRun(config, result, timeframe, seed);
  bar.update('costs', 0, 1);
  const grossNet = costSensitivity(runInput, result);
  const stressRows: Array<{
    scenario: string;
    pair_id: string;
    sharpe: number;
    max_dd: number;
    ann_return: number;
    notes: string;
  }> = [];
  if (options.stress) {
    const scenarios = stressScenarios(config, { seed });
    for (const [i, sc] of scenarios.entries()) {
      bar.update(`stress ${sc.name}`, i, scenarios.length);
      let stressedConfig = config;
      let extra = 0;
      const stressedInputs = [];
      for (const l of loaded) {
        const s = applyStressScenario(l.pair, config, sc);
        stressedConfig = s.config;
        extra = s.extraLatencyBars;
        stressedInputs.push(await pairInput(s.config, l.spec, s.pair, scorer));
      }
      const r = runBacktest({
        pairs: stressedInputs,
        config: stressedConfig,
        timeframe,
        conversionRate,
        ruleOnly,
        latencyBars: config.backtest_policy.latency_bars + extra,
        ...runOptions,
      });
      stressRows.push({
        scenario: sc.name,
        pair_id: 'portfolio',
        sharpe: r.kpis.sharpe,
        max_dd: r.kpis.maxDrawdown,
        ann_return: r.kpis.annualReturnSimple,
        notes: `${sc.kind} ${JSON.stringify(sc.params)}`,
      });
    }
  }
  bar.finish();

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
  const dataHash = barContentHash(loaded.map((l) => l.pair));
  const stamp = {
    model_version: modelVersion,
    feature_schema_hash: bundle?.featureSchemaHash ?? '',
    code_hash: codeHash(),
    seed: String(seed),
    run_id: runId,
  };
  const stampCols = (n: number): TableColumn[] =>
    Object.entries(stamp).map(([name, v]) => ({
      name,
      kind: 'varchar' as const,
      values: Array.from({ length: n }, () => v),
    }));
  const period = `${isoUtc(result.timesMs[0] ?? 0)}..${isoUtc(result.timesMs[result.timesMs.length - 1] ?? 0)}`;
  const paramsHash = configHash({
    core: config.core_policy,
    bt: config.backtest_policy,
    costs: config.cost_table,
    dd: config.dd_policy,
  });
  const shares = (bars: [number, number, number, number]) => {
    const n = bars[0] + bars[1] + bars[2] + bars[3];
    return {
      dd_warn_share: n > 0 ? bars[1] / n : Number.NaN,
      dd_halt_share: n > 0 ? bars[2] / n : Number.NaN,
      dd_flatten_share: n > 0 ? bars[3] / n : Number.NaN,
    };
  };
  const pairIds = inputs.map((p) => p.pair.pair_id);
  const summaryRows = [
    {
      pair_id: 'portfolio',
      trades: summary.kpis.trades,
      win_rate: summary.kpis.winRate,
      e_per_trade: summary.kpis.ePerTrade,
      ann_return: summary.kpis.annualReturnSimple,
      sharpe: summary.kpis.sharpe,
      max_dd: summary.kpis.maxDrawdown,
      halt_rate: summary.kpis.haltRate,
      ...shares(result.ddBars),
    },
    ...pairIds.map((id) => {
      const p = summary.pairs.find((x) => x.pairId === id);
      return {
        pair_id: id,
        trades: p?.trades ?? 0,
        win_rate: p?.winRate ?? Number.NaN,
        e_per_trade: p?.ePerTrade ?? Number.NaN,
        ann_return: p?.kpis?.annualReturnSimple ?? Number.NaN,
        sharpe: p?.kpis?.sharpe ?? Number.NaN,
        max_dd: p?.kpis?.maxDrawdown ?? Number.NaN,
        halt_rate: Number.NaN,
        ...shares(result.pairDdBars[id]!),
      };
    }),
  ];
  const thetaUsed = resolved.params.useTheta
    ? { theta1: resolved.params.theta1, theta2: resolved.params.theta2 }
    : { theta1: Number.NaN, theta2: Number.NaN };
  const tables: Record<string, TableColumn[]> = {
    bt_summary: [
      { name: 'pair_id', kind: 'varchar', values: summaryRows.map((r) => r.pair_id) },
      { name: 'period', kind: 'varchar', values: summaryRows.map(() => period) },
      ...(
        [
          'trades',
          'win_rate',
          'e_per_trade',
          'ann_return',
          'sharpe',
          'max_dd',
          'halt_rate',
          'dd_warn_share',
          'dd_halt_share',
          'dd_flatten_share',
        ] as const
      ).map((k) => ({ name: k, kind: 'double' as const, values: Float64Array.from(summaryRows, (r) => r[k]) })),
      { name: 'theta1', kind: 'double', values: Float64Array.from(summaryRows, () => thetaUsed.theta1) },
      { name: 'theta2', kind: 'double', values: Float64Array.from(summaryRows, () => thetaUsed.theta2) },
      { name: 'theta_source', kind: 'varchar', values: summaryRows.map(() => resolved.thetaSource) },
      { name: 'params_hash', kind: 'varchar', values: summaryRows.map(() => paramsHash) },
      { name: 'data_hash', kind: 'varchar', values: summaryRows.map(() => dataHash) },
      ...stampCols(summaryRows.length),
    ],
    bt_trades: [
      { name: 'trade_id', kind: 'varchar', values: result.trades.map((t) => String(t.trade_id)) },
      { name: 'timestamp_entry', kind: 'timestamp', values: Float64Array.from(result.trades, (t) => t.ts_entry) },
      { name: 'timestamp_exit', kind: 'timestamp', values: Float64Array.from(result.trades, (t) => t.ts_exit) },
      { name: 'pair_id', kind: 'varchar', values: result.trades.map((t) => t.pair_id) },
      { name: 'side', kind: 'varchar', values: result.trades.map((t) => t.side) },
      ...(
        [
          'qty_A',
          'qty_B',
          'price_A_entry',
          'price_B_entry',
          'price_A_exit',
          'price_B_exit',
          'z_at_entry',
          'z_at_exit',
          'return_prob',
          'risk_score',
          'cost_commission',
          'cost_slippage',
          'cost_spread',
          'swap',
          'pnl',
        ] as const
      ).map((k) => ({ name: k, kind: 'double' as const, values: Float64Array.from(result.trades, (t) => t[k]) })),
      { name: 'exit_reason', kind: 'varchar', values: result.trades.map((t) => t.exit_reason) },
      ...stampCols(result.trades.length),
    ],
    bt_daily_equity: [
      { name: 'date', kind: 'timestamp', values: summary.daily.dayMs },
      { name: 'pair_id', kind: 'varchar', values: Array.from(summary.daily.dayMs, () => 'portfolio') },
      { name: 'equity', kind: 'double', values: summary.daily.equity },
      { name: 'dd', kind: 'double', values: summary.daily.dd },
      ...stampCols(summary.daily.dayMs.length),
    ],
    bt_stress_results: [
      { name: 'scenario', kind: 'varchar', values: stressRows.map((r) => r.scenario) },
      { name: 'pair_id', kind: 'varchar', values: stressRows.map((r) => r.pair_id) },
      { name: 'sharpe', kind: 'double', values: Float64Array.from(stressRows, (r) => r.sharpe) },
      { name: 'max_dd', kind: 'double', values: Float64Array.from(stressRows, (r) => r.max_dd) },
      { name: 'ann_return', kind: 'double', values: Float64Array.from(stressRows, (r) => r.ann_return) },
      { name: 'notes', kind: 'varchar', values: stressRows.map((r) => r.notes) },
      ...stampCols(stressRows.length),
    ],
  };
  await ensureDirDurable(outDir);
  for (const [name, cols] of Object.entries(tables)) {
    if (name === 'bt_stress_results' && !options.stress) continue;
    await writeTable(join(outDir, `${name}.parquet`), cols);
    if (options.csv) await writeTable(join(outDir, `${name}.csv`), cols);
  }
  const report: ReportData = {
    title: `Backtest ${specs.length === 1 ? specs[0]!.pair_id : `${inputs.length} pairs`} ${timeframe}${ruleOnly ? ' (rule only)' : ''}`,
    runId,
    modelVersion: bundle?.version ?? null,
    generatedAt: new Date().toISOString(),
    theta: {
      theta1: resolved.params.useTheta ? resolved.params.theta1 : null,
      theta2: resolved.params.useTheta ? resolved.params.theta2 : null,
      source: resolved.thetaSource,
    },
    period: { from: isoUtc(result.timesMs[0] ?? 0), to: isoUtc(result.timesMs[result.timesMs.length - 1] ?? 0) },
    kpis: {
      annual_return_simple: summary.kpis.annualReturnSimple,
      annual_return_compound: summary.kpis.annualReturnCompound,
      sharpe: summary.kpis.sharpe,
      max_dd: summary.kpis.maxDrawdown,
      calmar: summary.kpis.calmar,
      e_per_trade: summary.kpis.ePerTrade,
      trades_per_year: summary.kpis.tradesPerYear,
      win_rate: summary.kpis.winRate,
      monthly_win_rate: summary.kpis.monthlyWinRate,
      halt_rate: summary.kpis.haltRate,
      theta1_pass_rate: summary.kpis.theta1PassRate,
      theta2_pass_rate: summary.kpis.theta2PassRate,
      false_stop_rate: summary.kpis.falseStopRate,
    },
    cis: Object.fromEntries(
      Object.entries(summary.cis).map(([k, c]) => [k, { estimate: c.estimate, lower: c.lower, upper: c.upper }]),
    ),
    verdicts: [
      ...summary.verdict.checks.map((c) => ({ name: c.name, pass: c.pass, reason: c.reason })),
      ...(comparison
        ? comparison.verdict.checks.map((c) => ({ name: `vs baseline: ${c.name}`, pass: c.pass, reason: c.reason }))
        : []),
    ],
    initialCapitalUsd: result.initialCapitalUsd,
    dailyEquity: { dayMs: Array.from(summary.daily.dayMs), equity: Array.from(summary.daily.equity) },
    monthlyReturns: summary.monthly,
    pairs: summaryRows.slice(1).map((r) => {
      const p = summary.pairs.find((x) => x.pairId === r.pair_id);
      return {
        pairId: r.pair_id,
        trades: r.trades,
        winRate: r.win_rate,
        pnlUsd: p?.pnlUsd ?? 0,
        sharpe: r.sharpe,
        maxDd: r.max_dd,
        ddShares: { warn: r.dd_warn_share, halt: r.dd_halt_share, flatten: r.dd_flatten_share },
      };
    }),
    trades: result.trades.map((t) => ({
      tradeId: String(t.trade_id),
      pairId: t.pair_id,
      side: t.side,
      tsEntry: isoUtc(t.ts_entry),
      tsExit: isoUtc(t.ts_exit),
      pnlUsd: t.pnl,
      zEntry: t.z_at_entry,
      zExit: t.z_at_exit,
      returnProb: t.return_prob,
      riskScore: t.risk_score,
    })),
    stress: stressRows.map((r) => ({
      scenario: r.scenario,
      pairId: r.pair_id,
      sharpe: r.sharpe,
      maxDd: r.max_dd,
      annReturn: r.ann_return,
      notes: r.notes,
    })),
    costs: {
      rows: grossNet.rows,
      breakEvenBps: grossNet.breakEvenBps,
      costBps: grossNet.costBps,
      sizing: grossNet.sizing,
    },
  };
  await writeFileAtomic(
    join(outDir, 'bt_run.json'),
    `${JSON.stringify({ ...record, verdict: summary.verdict, comparison: comparison ? { baseline_run_id: baseline!.run_id, baseline_model_version: baseline!.model_version, ...comparison } : null }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`,
  );
  const reportPath = join(outDir, 'report.html');
  await writeFileAtomic(reportPath, renderBacktestReport(report));
  const thetaLine = resolved.params.useTheta
    ? `θ1 ${resolved.params.theta1} θ2 ${resolved.params.theta2} from ${resolved.thetaSource}`
    : `θ ${resolved.thetaSource}`;
  const ddLine = pairIds
    .map((id) => {
      const sh = shares(result.pairDdBars[id]!);
      return `${id} ${DD_LEVEL_NAMES.slice(1)
        .map((name, k) => `${name} ${pct([sh.dd_warn_share, sh.dd_halt_share, sh.dd_flatten_share][k]!)}`)
        .join(' ')}`;
    })
    .join('; ');
  for (const note of resolved.notes) process.stdout.write(`note: ${note}\n`);
  process.stdout.write(
    `backtest ${modelVersion} ${timeframe} ${period}: ${pairIds.join(', ')}\n${thetaLine}\nbars in DD levels: ${ddLine}\n${formatKpis(summary)}\n${formatGrossNet(grossNet)}\n`,
  );
  if (comparison) {
    const c = comparison;
    process.stdout.write(
      `vs baseline ${baseline!.model_version} (run ${baseline!.run_id}): ${c.verdict.pass ? 'PASS' : 'FAIL'}\n${c.verdict.checks.map((x) => `  ${x.pass ? 'PASS' : 'FAIL'} ${x.name}: ${x.reason}`).join('\n')}\n  Diebold–Mariano on ${c.weeks} common weeks: statistic ${num(c.dm.statistic)}, p ${Number.isFinite(c.dm.pValue) ? c.dm.pValue.toFixed(4) : '-'} (negative: the new run is better)\n`,
    );
  }
  if (stressRows.length)
    process.stdout.write(
      `stress:\n${stressRows.map((r) => `  ${r.scenario.padEnd(24)} Sharpe ${num(r.sharpe)}  MaxDD ${pct(r.max_dd)}  ann ${pct(r.ann_return)}`).join('\n')}\n`,
    );
  process.stdout.write(`outputs in ${outDir}; report ${reportPath}\n`);
  return 0;
}
