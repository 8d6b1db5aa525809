// pt optimize --labels as a library job (issue 16): for each (z_entry, z_exit, M) of
// core_policy.label_sweep, re-label AI1, re-train it walk-forward (OOS predictions only, nothing is
// written to models/), and re-run the θ search of pt optimize on those predictions with the point's
// decisions. AI2's labels do not depend on the three parameters (SPEC §3.2), so its walk-forward runs
// once. Every point shares one OOS period split, so all trials' daily returns line up and the DSR and
// PBO count every θ trial of every point.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { PairSpec, PtConfig } from '../../config/schemas/index.js';
import { ensureDirDurable } from '../../core/durableFs.js';
import { PtError } from '../../core/ptError.js';
import { barsPerDay, type Timeframe } from '../../core/time.js';
import { decisionParamsFrom } from '../../decision/decisionParams.js';
import { buildAi1Events, labelInputsFromFeatures, labelParamsFrom } from '../../labels/index.js';
import type { OpenBarStore } from '../../ports/barStore.js';
import type { WriteTable } from '../../ports/tableWriter.js';
import { conversionFromStore, loadPairs } from '../../backtest/prepareBacktest.js';
import { planKind } from '../../train/kindPlan.js';
import { loadGroup } from '../../train/loadGroup.js';
import { runWalkForward } from '../../train/runWalkForward.js';
import { walkForwardRows } from '../../train/walkForwardRows.js';
import { alignOosPredictions } from '../oosPredictions.js';
import { oosPeriods, predictionsIn, trialPairsIn, type Period } from '../oosPeriods.js';
import { objectivePolicyFrom } from '../scoreTrial.js';
import { searchStatistics } from '../searchStatistics.js';
import { searchTheta } from '../searchTheta.js';
import { prepareTrials, type TrialPair } from '../trialRunner.js';
import { windowKpis } from '../windowKpis.js';
import { configAtPoint, labelPoints, pointText, type LabelPoint } from '../labelSweep/labelPoints.js';
import type { LabelPointResult, LabelSweepRun } from '../labelSweep/labelSweepRun.js';
import { labelSweepMetadata, labelSweepTable, labelSweepTrialsTable } from '../labelSweep/labelSweepTables.js';

export interface LabelSweepJobOptions {
  group: string;
  pairs: PairSpec[];
  timeframe: Timeframe;
  /** Most TPE trials after the grids, per point. */
  trials: number;
  seed: number;
  dataDir: string;
  /** The point in use today (a model version's params); default: config's own values. */
  inForce?: LabelPoint;
}

export interface LabelSweepJobDeps {
  openBarStore: OpenBarStore;
  onProgress?: (label: string, done: number, total: number) => void;
}

export async function runLabelSweepJob(
  config: PtConfig,
  o: LabelSweepJobOptions,
  deps: LabelSweepJobDeps,
): Promise<{ run: LabelSweepRun; notes: string[] }> {
  const notes: string[] = [];
  const { points, skipped } = labelPoints(config);
  const progress = deps.onProgress ?? (() => undefined);

  const store = await deps.openBarStore(o.dataDir);
  let group;
  let loaded;
  let conversionRate;
  try {
    progress('features', 0, 1);
    group = await loadGroup(config, store, o.dataDir, o.group, o.timeframe, {}, o.pairs);
    loaded = await loadPairs(config, store, o.dataDir, o.pairs, o.timeframe, undefined, undefined, true);
    conversionRate = await conversionFromStore(config, store, o.pairs, o.timeframe);
  } finally {
    await store.close();
  }
  for (const s of group.skipped) notes.push(`${s.pairId} left out: ${s.reason}`);
  const pairIds = group.pairs.map((p) => p.pairId);
  const bars = loaded.map((l) => ({ pairId: l.spec.pair_id, ts: l.pair.ts }));

  // AI2 once: its labels are the same at every point.
  const plan2 = planKind(config, group.pairs, o.timeframe, 'ai2');
  const wf2 = runWalkForward(config, plan2, o.seed, (done, total) => progress('AI2 walk-forward', done, total));
  const ai2 = alignOosPredictions('ai2', walkForwardRows(plan2.data, wf2, pairIds), bars, 'AI2 walk-forward');
  const noAi1 = (l: (typeof loaded)[number]) => new Float64Array(l.pair.length).fill(Number.NaN);
  const { selection, holdout } = oosPeriods(
    loaded.map((l) => ({
      spec: l.spec,
      pair: l.pair,
      returnProb: noAi1(l),
      riskScore: ai2.byPair.get(l.spec.pair_id)!,
    })),
    'AI2 walk-forward of the label sweep',
  );

  const inputs = group.pairs.map((p) => labelInputsFromFeatures(p.features, config.features_policy.signal_z));
  const policy = objectivePolicyFrom(config);
  const capital = config.backtest_policy.initial_capital_usd;
  const results: LabelPointResult[] = [];
  const series: Float64Array[] = [];
  for (const [k, point] of points.entries()) {
    const tag = `point ${k + 1}/${points.length} (${pointText(point)})`;
    const cfg = configAtPoint(config, point);
    const labelParams = labelParamsFrom(cfg, barsPerDay(o.timeframe));
    const relabelled = group.pairs.map((p, j) => ({ ...p, ai1: buildAi1Events(inputs[j]!, labelParams) }));
    const plan1 = planKind(cfg, relabelled, o.timeframe, 'ai1');
    const r: LabelPointResult = {
      point,
      events: plan1.data.y.length,
      positives: plan1.data.y.reduce((a, b) => a + b, 0),
      oosAuc: Number.NaN,
      degenerateSteps: 0,
      steps: plan1.walkForward.steps.length,
      firstTrial: series.length,
    };
    results.push(r);
    try {
      const wf1 = runWalkForward(cfg, plan1, o.seed, (done, total) =>
        progress(`${tag}: AI1 walk-forward`, done, total),
      );
      r.oosAuc = wf1.metrics.auc;
      r.degenerateSteps = wf1.degenerateSteps;
      const ai1 = alignOosPredictions(
        'ai1',
        walkForwardRows(plan1.data, wf1, pairIds),
        bars,
        `${tag} AI1 walk-forward`,
      );
      const searchPairs: TrialPair[] = loaded.map((l) => ({
        spec: l.spec,
        pair: l.pair,
        returnProb: ai1.byPair.get(l.spec.pair_id)!,
        riskScore: ai2.byPair.get(l.spec.pair_id)!,
      }));
      const decision = {
        params: decisionParamsFrom(cfg),
        signalZ: cfg.features_policy.signal_z,
        speedLookbackBars: cfg.core_policy.speed_lookback_bars,
      };
      const prepare = (period: Period) =>
        prepareTrials({
          config: cfg,
          timeframe: o.timeframe,
          modelVersion: `label-sweep-${k + 1}`,
          conversionRate,
          decision,
          pairs: trialPairsIn(searchPairs, period),
        });
      const search = searchTheta(cfg, {
        runner: await prepare(selection),
        selection,
        returnProbs: predictionsIn(searchPairs, selection, 'returnProb'),
        riskScores: predictionsIn(searchPairs, selection, 'riskScore'),
        trials: o.trials,
        seed: o.seed,
        onProgress: (label, done, total) => progress(`${tag}: θ ${label}`, done, total),
      });
      const { series: daily, ...kept } = search;
      r.search = kept;
      series.push(...daily);
      if (search.best !== undefined) {
        const runner = await prepare(holdout);
        r.holdoutKpis = windowKpis(
          runner.runTrial(search.trials[search.best]!),
          capital,
          holdout.from,
          holdout.to,
        ).kpis;
      }
    } catch (e) {
      // A point with too few events to search (no OOS AI1 prediction, say) is reported, not fatal.
      if (!(e instanceof PtError)) throw e;
      r.error = `${e.id}: ${e.message}`;
    }
  }

  // The best feasible score over every point.
  let best: { point: number; trial: number } | undefined;
  results.forEach((r, p) => {
    const b = r.search?.best;
    if (b === undefined) return;
    if (!best || r.search!.trials[b]!.score > results[best.point]!.search!.trials[best.trial]!.score)
      best = { point: p, trial: b };
  });
  const bestIndex = best ? results[best.point]!.firstTrial + best.trial : undefined;
  const run: LabelSweepRun = {
    runId: randomUUID().slice(0, 8),
    timeframe: o.timeframe,
    pairIds: o.pairs.map((p) => p.pair_id),
    seed: o.seed,
    selection,
    holdout,
    points: results,
    skipped,
    inForce: o.inForce ?? {
      zEntry: config.core_policy.z_entry,
      zExit: config.core_policy.z_exit,
      maxHoldingBars: config.core_policy.max_holding_bars,
    },
    ...(best ? { best } : {}),
    totalTrials: series.length,
    ...searchStatistics(series, bestIndex),
    constraints: { maxDd: policy.ddTarget, tradesPerYear: policy.tradesMin },
  };
  return { run, notes };
}

/** label_sweep.parquet/csv and trials.parquet/csv of a sweep in `outDir` (created). */
export async function writeLabelSweepOutputs(
  run: LabelSweepRun,
  outDir: string,
  writeTable: WriteTable,
): Promise<void> {
  await ensureDirDurable(outDir);
  const points = labelSweepTable(run);
  const trials = labelSweepTrialsTable(run);
  await writeTable(join(outDir, 'label_sweep.parquet'), points, labelSweepMetadata(run));
  await writeTable(join(outDir, 'label_sweep.csv'), points);
  await writeTable(join(outDir, 'trials.parquet'), trials, labelSweepMetadata(run));
  await writeTable(join(outDir, 'trials.csv'), trials);
}
