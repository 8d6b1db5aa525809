// pt optimize as a library job (SPEC §6): θ1/θ2 searched on a model version's walk-forward OOS
// predictions — the seed's grid, a grid on the OOS probabilities' quantiles, then TPE over their
// union — every trial the backtest engine itself; the choice re-run on the held-out last 20 % of the
// OOS period; the Deflated Sharpe and PBO of the search; with --apply, the SPEC §6 hysteresis.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { PairSpec, PtConfig } from '../../config/schemas/index.js';
import { ensureDirDurable, writeFileAtomic } from '../../core/durableFs.js';
import { PtError } from '../../core/ptError.js';
import { barsPerDay, type Timeframe } from '../../core/time.js';
import { resolveDecisionParams } from '../../decision/decisionParams.js';
import { loadModelBundle } from '../../ml/modelBundle.js';
import type { ModelKeyOptions } from '../../ml/registry/modelKeys.js';
import type { OpenBarStore } from '../../ports/barStore.js';
import type { ReadTable, WriteTable } from '../../ports/tableWriter.js';
import { conversionFromStore, loadPairs } from '../../backtest/prepareBacktest.js';
import {
  deflatedSharpe,
  probabilityOfBacktestOverfitting,
  sharpeRatio,
  trialSharpeVariance,
} from '../../backtest/kpis/index.js';
import { applyTheta, currentTheta, type ApplyThetaResult } from '../applyTheta.js';
import { applyHysteresis } from '../hysteresis.js';
import { improvementCi } from '../improvementCi.js';
import { alignOosPredictions, type OosPredictionRows } from '../oosPredictions.js';
import type { OptimizeRun, TrialKpis, TrialRecord, TrialStage } from '../optimizeRun.js';
import { paretoSet } from '../paretoSet.js';
import { objectivePolicyFrom, scoreTrial, type ObjectivePolicy } from '../scoreTrial.js';
import { gridPoints, quantileGrid, stepGrid, type ThetaPoint } from '../searchSpace.js';
import { runTpe, TpeSampler, type TrialOutcome } from '../tpe/index.js';
import { prepareTrials, type TrialRunner } from '../trialRunner.js';
import { windowKpis, type PeriodSeries } from '../windowKpis.js';
import { renderOptimizeReport } from '../report/index.js';
import { trialsTable, trialsTableMetadata } from '../trialsTable.js';

export interface OptimizeJobOptions {
  /** Absolute path of models/<version>. */
  modelDir: string;
  /** The group the version was trained on: its OOS predictions are under predictions/<tf>/<group>/<version>/. */
  group: string;
  pairs: PairSpec[];
  timeframe: Timeframe;
  /** Most TPE trials after the grids. */
  trials: number;
  seed: number;
  apply: boolean;
  dataDir: string;
  keys?: ModelKeyOptions;
}

export interface OptimizeJobDeps {
  openBarStore: OpenBarStore;
  readTable: ReadTable;
  onProgress?: (label: string, done: number, total: number) => void;
}

export interface OptimizeJobResult {
  run: OptimizeRun;
  /** Notes printed before the summary (masked rows, the apply basis, …). */
  notes: string[];
  /** What --apply decided, or a dry-run's would-be decision. */
  applied?: string;
  applyResult?: ApplyThetaResult;
}

/** Share of the OOS period, at its end, held out from θ selection (issue 16). */
export const HOLDOUT_SHARE = 0.2;
/** Quantiles of the OOS probabilities the second grid spans (50th to 99th percentile), 13 values each. */
const QUANTILE_RANGE: readonly [number, number] = [0.5, 0.99];
const GRID_SIZE = 13;

async function readOos(
  readTable: ReadTable,
  dir: string,
  kind: 'ai1' | 'ai2',
): Promise<OosPredictionRows & { source: string }> {
  const source = join(dir, `oos_${kind}.parquet`);
  const score = kind === 'ai1' ? 'return_prob' : 'risk_score';
  let t;
  try {
    t = await readTable(source, {
      ts_t0: 'timestamp',
      pair_id: 'varchar',
      [score]: 'double',
      wf_step: 'double',
      train_end: 'timestamp',
    });
  } catch (e) {
    throw new PtError(
      'BT_OPT_NOOOS',
      `no usable OOS predictions for this model version: ${source} (${(e as Error).message}); pt optimize scores only the walk-forward predictions pt train writes there — train with --data-dir of this store`,
      { source: 'optimize', exitCode: 2 },
    );
  }
  return {
    source,
    tsT0: t.ts_t0 as Float64Array,
    pairId: t.pair_id as string[],
    score: t[score] as Float64Array,
    wfStep: t.wf_step as Float64Array,
    trainEnd: t.train_end as Float64Array,
  };
}

/** A copy of `values` with NaN outside [from, to] (bar open times `ts`). */
function maskOutside(values: Float64Array, ts: Float64Array, from: number, to: number): Float64Array {
  return values.map((v, i) => (ts[i]! >= from && ts[i]! <= to ? v : Number.NaN));
}

/** The grid's axes, or BT_OPT_RANGE naming what is empty (a range, a step, or no OOS probability). */
function gridAxes(make: () => { theta1: number[]; theta2: number[] }): { theta1: number[]; theta2: number[] } {
  try {
    return make();
  } catch (e) {
    throw new PtError('BT_OPT_RANGE', `no θ grid to search: ${(e as Error).message}`, {
      source: 'optimize',
      exitCode: 2,
    });
  }
}

/** How far a trial is from feasible, as the sum of relative constraint misses (TPE ranks infeasible trials by it). */
function violation(k: TrialKpis, p: ObjectivePolicy): number {
  const dd = Number.isFinite(k.maxDd) ? Math.max(0, k.maxDd - p.ddTarget) / p.ddTarget : 1;
  const trades = Math.max(0, p.tradesMin - k.tradesPerYear) / p.tradesMin;
  return dd + trades;
}

export async function runOptimizeJob(
  config: PtConfig,
  o: OptimizeJobOptions,
  deps: OptimizeJobDeps,
): Promise<OptimizeJobResult> {
  const notes: string[] = [];
  const bundle = await loadModelBundle(o.modelDir, o.keys, o.timeframe);
  const version = bundle.version;
  const predictionsDir = join(o.dataDir, 'predictions', o.timeframe, o.group, version);
  const [oos1, oos2] = [
    await readOos(deps.readTable, predictionsDir, 'ai1'),
    await readOos(deps.readTable, predictionsDir, 'ai2'),
  ];

  const store = await deps.openBarStore(o.dataDir);
  let loaded;
  let conversionRate;
  try {
    loaded = await loadPairs(config, store, o.dataDir, o.pairs, o.timeframe, undefined, undefined, true);
    conversionRate = await conversionFromStore(config, store, o.pairs, o.timeframe);
  } finally {
    await store.close();
  }
  const bars = loaded.map((l) => ({ pairId: l.spec.pair_id, ts: l.pair.ts }));
  const ai1 = alignOosPredictions('ai1', oos1, bars, oos1.source);
  const ai2 = alignOosPredictions('ai2', oos2, bars, oos2.source);
  if (ai1.unplaced + ai2.unplaced > 0)
    notes.push(
      `${ai1.unplaced + ai2.unplaced} OOS predictions fall on no bar of the chosen pairs (other pairs, or bars DQ removed)`,
    );

  // The OOS period: the first to the last bar with an AI2 prediction (AI2 predicts every bar of a step).
  let oosFrom = Infinity;
  let oosTo = -Infinity;
  for (const l of loaded) {
    const risk = ai2.byPair.get(l.spec.pair_id)!;
    for (let i = 0; i < risk.length; i++)
      if (!Number.isNaN(risk[i]!)) {
        oosFrom = Math.min(oosFrom, l.pair.ts[i]!);
        oosTo = Math.max(oosTo, l.pair.ts[i]!);
      }
  }
  if (!(oosTo > oosFrom))
    throw new PtError('BT_OPT_NOOOS', `${predictionsDir}: no OOS prediction falls on the chosen pairs' bars`, {
      source: 'optimize',
      exitCode: 2,
    });
  const cut = oosFrom + (1 - HOLDOUT_SHARE) * (oosTo - oosFrom);
  const selection = { from: oosFrom, to: cut - 1 };
  const holdout = { from: cut, to: oosTo };

  const decision = resolveDecisionParams(config, { model: { version, params: bundle.params } });
  const runDecision = {
    params: decision.params,
    signalZ: decision.signalZ,
    speedLookbackBars: decision.speedLookbackBars,
  };
  const capital = config.backtest_policy.initial_capital_usd;
  const prepare = (from: number, to: number): Promise<TrialRunner> =>
    prepareTrials({
      config,
      timeframe: o.timeframe,
      modelVersion: version,
      conversionRate,
      decision: runDecision,
      pairs: loaded.map((l) => ({
        spec: l.spec,
        pair: l.pair,
        returnProb: maskOutside(ai1.byPair.get(l.spec.pair_id)!, l.pair.ts, from, to),
        riskScore: maskOutside(ai2.byPair.get(l.spec.pair_id)!, l.pair.ts, from, to),
      })),
    });
  deps.onProgress?.('preparing the trials', 0, 1);
  const selRunner = await prepare(selection.from, selection.to);

  // The grids: the seed's ranges at their step, and quantiles of the selection period's OOS probabilities.
  const range = config.core_policy.theta_search_range;
  const step = config.core_policy.theta_grid_step;
  const seedAxes = gridAxes(() => ({
    theta1: stepGrid(range.theta1[0], range.theta1[1], step),
    theta2: stepGrid(range.theta2[0], range.theta2[1], step),
  }));
  const inSelection = (kind: typeof ai1) =>
    loaded.flatMap((l) => {
      const v = kind.byPair.get(l.spec.pair_id)!;
      return Array.from(v).filter(
        (x, i) => !Number.isNaN(x) && l.pair.ts[i]! >= selection.from && l.pair.ts[i]! <= selection.to,
      );
    });
  const quantileAxes = gridAxes(() => ({
    theta1: quantileGrid(inSelection(ai1), QUANTILE_RANGE[0], QUANTILE_RANGE[1], GRID_SIZE),
    theta2: quantileGrid(inSelection(ai2), QUANTILE_RANGE[0], QUANTILE_RANGE[1], GRID_SIZE),
  }));

  const policy = objectivePolicyFrom(config);
  const trials: TrialRecord[] = [];
  const series: Float64Array[] = [];
  const evaluate = (p: ThetaPoint, stage: TrialStage): TrialRecord => {
    const r = selRunner.runTrial(p);
    const period: PeriodSeries = windowKpis(r, capital, selection.from, selection.to);
    const s = scoreTrial({ ...period.kpis, maxDrawdown: period.kpis.maxDd }, policy);
    const t: TrialRecord = {
      index: trials.length,
      stage,
      theta1: p.theta1,
      theta2: p.theta2,
      score: s.score,
      feasible: s.feasible,
      reason: s.reason,
      kpis: period.kpis,
    };
    trials.push(t);
    series.push(period.dailyReturns);
    return t;
  };
  const grid: Array<[ThetaPoint, TrialStage]> = [
    ...gridPoints(seedAxes.theta1, seedAxes.theta2).map((p): [ThetaPoint, TrialStage] => [p, 'seed_grid']),
    ...gridPoints(quantileAxes.theta1, quantileAxes.theta2).map((p): [ThetaPoint, TrialStage] => [p, 'quantile_grid']),
  ];
  const total = grid.length + o.trials;
  grid.forEach(([p, stage], i) => {
    evaluate(p, stage);
    deps.onProgress?.('grid', i + 1, total);
  });

  // TPE over the union of both grids' ranges, continuous, seeded with every grid trial.
  const lo = (a: number[], b: number[]) => Math.min(a[0]!, b[0]!);
  const hi = (a: number[], b: number[]) => Math.max(a.at(-1)!, b.at(-1)!);
  const outcome = (t: TrialRecord): TrialOutcome => ({
    value: t.score,
    feasible: t.feasible,
    ...(t.feasible ? {} : { violation: Math.max(violation(t.kpis, policy), 1e-12) }),
  });
  const sampler = new TpeSampler({
    space: [
      { name: 'theta1', low: lo(seedAxes.theta1, quantileAxes.theta1), high: hi(seedAxes.theta1, quantileAxes.theta1) },
      { name: 'theta2', low: lo(seedAxes.theta2, quantileAxes.theta2), high: hi(seedAxes.theta2, quantileAxes.theta2) },
    ],
    direction: 'maximize',
    seed: o.seed,
  });
  runTpe((params) => outcome(evaluate({ theta1: params.theta1!, theta2: params.theta2! }, 'tpe')), sampler, {
    trials: o.trials,
    patience: config.core_policy.tpe.patience,
    minTrials: Math.min(config.core_policy.tpe.min_trials, o.trials),
    initial: trials.map((t) => ({ params: { theta1: t.theta1, theta2: t.theta2 }, outcome: outcome(t) })),
    onTrial: (_t, done) => deps.onProgress?.('TPE', grid.length + done, total),
  });

  // The choice: the best feasible score; without one, the trial nearest to feasibility.
  let best: number | undefined;
  let nearest: number | undefined;
  for (const t of trials) {
    if (t.feasible && (best === undefined || t.score > trials[best]!.score)) best = t.index;
    if (nearest === undefined || violation(t.kpis, policy) < violation(trials[nearest]!.kpis, policy))
      nearest = t.index;
  }
  const run: OptimizeRun = {
    runId: randomUUID().slice(0, 8),
    modelVersion: version,
    timeframe: o.timeframe,
    pairIds: o.pairs.map((p) => p.pair_id),
    seed: o.seed,
    selection,
    holdout,
    trials,
    ...(best !== undefined ? { best } : { nearest: nearest! }),
    pareto: paretoSet(trials.map((t) => ({ sharpe: t.kpis.sharpe, maxDd: t.kpis.maxDd }))),
    grids: { seed: seedAxes, quantile: quantileAxes },
    constraints: { maxDd: policy.ddTarget, tradesPerYear: policy.tradesMin },
  };

  // Multiple-testing statistics over every trial's selection-period daily returns (per-day units).
  const dailySharpes = series.map((r) => (r.length > 1 ? sharpeRatio(r, 1) : Number.NaN));
  if (best !== undefined && series[best]!.length > 2) {
    const d = deflatedSharpe(series[best]!, { n: trials.length, v: trialSharpeVariance(dailySharpes) });
    run.dsr = { dsr: d.dsr, sr0: d.sr0, srHat: d.srHat, trials: trials.length };
  }
  const days = series[0]?.length ?? 0;
  if (days >= 16 && trials.length >= 2) {
    const p = probabilityOfBacktestOverfitting(series, { blocks: 16 });
    run.pbo = { pbo: p.pbo, blocks: p.blocks, combinations: p.combinations };
  }

  let applied: string | undefined;
  let applyResult: ApplyThetaResult | undefined;
  if (best !== undefined) {
    deps.onProgress?.('holdout', 0, 1);
    const chosen = trials[best]!;
    const holdRunner = await prepare(holdout.from, holdout.to);
    run.holdoutKpis = windowKpis(holdRunner.runTrial(chosen), capital, holdout.from, holdout.to).kpis;

    // Apply (or, without --apply, say what would be applied): against the θ in force, on the selection period.
    const now = await currentTheta(
      o.modelDir,
      { theta1: bundle.params.theta1, theta2: bundle.params.theta2 },
      o.keys ? { keys: o.keys } : {},
    );
    const oldSeries = windowKpis(selRunner.runTrial(now.theta), capital, selection.from, selection.to).dailyReturns;
    const ci = improvementCi({
      newDaily: series[best]!,
      oldDaily: oldSeries,
      seed: o.seed,
      blockBars: config.retrain_policy.block_bootstrap_size_bars,
      barsPerDay: barsPerDay(o.timeframe),
    });
    const input = {
      old: now.theta,
      proposed: { theta1: chosen.theta1, theta2: chosen.theta2 },
      oosTrades: chosen.kpis.trades,
      tradesMin: policy.tradesMin,
      improvementCi: ci,
    };
    if (o.apply) {
      applyResult = await applyTheta({
        versionDir: o.modelDir,
        modelTheta: { theta1: bundle.params.theta1, theta2: bundle.params.theta2 },
        expectedBasis: now.basis,
        proposed: input.proposed,
        oosTrades: input.oosTrades,
        tradesMin: input.tradesMin,
        improvementCi: { lower: ci.lower, upper: ci.upper, level: ci.level, metric: ci.metric },
        search: { trials: trials.length, dsr: run.dsr?.dsr ?? null, pbo: run.pbo?.pbo ?? null },
        runId: run.runId,
        ...(o.keys ? { keys: o.keys } : {}),
      });
      applied = `${applyResult.decision === 'apply' ? 'applied' : 'held'} θ1=${applyResult.applied.theta1}, θ2=${applyResult.applied.theta2} (was ${now.theta.theta1}/${now.theta.theta2} from ${now.label}): ${applyResult.reason}; audit ${applyResult.auditPath}`;
    } else {
      const d = applyHysteresis(input);
      applied = `dry run: --apply would ${d.decision === 'apply' ? `apply θ1=${d.applied.theta1}, θ2=${d.applied.theta2}` : 'hold'} (in force ${now.theta.theta1}/${now.theta.theta2} from ${now.label}): ${d.reason}`;
    }
  }
  return { run, notes, ...(applied ? { applied } : {}), ...(applyResult ? { applyResult } : {}) };
}

/** trials.parquet, trials.csv and report.html of a run in `outDir` (created); returns the report's path. */
export async function writeOptimizeOutputs(
  run: OptimizeRun,
  outDir: string,
  writeTable: WriteTable,
): Promise<{ reportPath: string }> {
  await ensureDirDurable(outDir);
  const columns = trialsTable(run);
  await writeTable(join(outDir, 'trials.parquet'), columns, trialsTableMetadata(run));
  await writeTable(join(outDir, 'trials.csv'), columns);
  const reportPath = join(outDir, 'report.html');
  await writeFileAtomic(reportPath, renderOptimizeReport(run));
  return { reportPath };
}
