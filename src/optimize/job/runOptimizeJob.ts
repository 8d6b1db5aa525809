// pt optimize as a library job (SPEC §6): θ1/θ2 searched on a model version's walk-forward OOS
// predictions — the seed's grid, a grid on the OOS probabilities' quantiles, then TPE over their
// union — every trial the backtest engine itself; the choice re-run on the held-out last 20 % of the
// OOS period; the Deflated Sharpe and PBO of the search; with --apply, the SPEC §6 hysteresis.
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { PairSpec, PtConfig } from '../../config/schemas/index.js';
import { ensureDirDurable, writeFileAtomic } from '../../core/durableFs.js';
import { barsPerDay, type Timeframe } from '../../core/time.js';
import { resolveDecisionParams } from '../../decision/decisionParams.js';
import { loadModelBundle } from '../../ml/modelBundle.js';
import type { ModelKeyOptions } from '../../ml/registry/modelKeys.js';
import type { OpenBarStore } from '../../ports/barStore.js';
import type { ReadTable, WriteTable } from '../../ports/tableWriter.js';
import { applyTheta, currentTheta, type ApplyThetaResult } from '../applyTheta.js';
import { applyHysteresis, type HysteresisDecision } from '../hysteresis.js';
import { improvementCi } from '../improvementCi.js';
import type { OptimizeRun } from '../optimizeRun.js';
import { objectivePolicyFrom } from '../scoreTrial.js';
import { searchStatistics } from '../searchStatistics.js';
import { searchTheta } from '../searchTheta.js';
import { oosPeriods, predictionsIn, trialPairsIn } from '../oosPeriods.js';
import { prepareTrials, type TrialRunner } from '../trialRunner.js';
import { windowKpis } from '../windowKpis.js';
import { loadOosTrialPairs } from './loadOosTrialPairs.js';

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
  /** The audit log θ decisions go to; default runbook_policy.yaml audit_log_path (from the working folder). */
  auditPath?: string;
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
  /** Without --apply: what the hysteresis would decide (its `applied` is the θ that would then be in force). */
  proposal?: HysteresisDecision;
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
  const {
    loaded,
    conversionRate,
    trialPairs: searchPairs,
    unplaced,
  } = await loadOosTrialPairs(
    config,
    { dataDir: o.dataDir, predictionsDir, pairs: o.pairs, timeframe: o.timeframe },
    deps,
  );
  if (unplaced > 0)
    notes.push(`${unplaced} OOS predictions fall on no bar of the chosen pairs (other pairs, or bars DQ removed)`);
  const { selection, holdout } = oosPeriods(searchPairs, predictionsDir);

  const decision = resolveDecisionParams(config, { model: { version, params: bundle.params } });
  const runDecision = {
    params: decision.params,
    signalZ: decision.signalZ,
    speedLookbackBars: decision.speedLookbackBars,
  };
  const capital = config.backtest_policy.initial_capital_usd;
  const policy = objectivePolicyFrom(config);
  const prepare = (from: number, to: number): Promise<TrialRunner> =>
    prepareTrials({
      config,
      timeframe: o.timeframe,
      modelVersion: version,
      conversionRate,
      decision: runDecision,
      pairs: trialPairsIn(searchPairs, { from, to }),
    });
  deps.onProgress?.('preparing the trials', 0, 1);
  const selRunner = await prepare(selection.from, selection.to);

  const search = searchTheta(config, {
    runner: selRunner,
    selection,
    returnProbs: predictionsIn(searchPairs, selection, 'returnProb'),
    riskScores: predictionsIn(searchPairs, selection, 'riskScore'),
    trials: o.trials,
    seed: o.seed,
    ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
  });
  const { trials, series, best } = search;
  const run: OptimizeRun = {
    runId: randomUUID().slice(0, 8),
    modelVersion: version,
    timeframe: o.timeframe,
    pairIds: o.pairs.map((p) => p.pair_id),
    seed: o.seed,
    selection,
    holdout,
    trials,
    ...(best !== undefined ? { best } : { nearest: search.nearest }),
    pareto: search.pareto,
    grids: search.grids,
    constraints: { maxDd: policy.ddTarget, tradesPerYear: policy.tradesMin },
    // Multiple-testing statistics over every trial's selection-period daily returns (per-day units).
    ...searchStatistics(series, best),
  };

  let applied: string | undefined;
  let applyResult: ApplyThetaResult | undefined;
  let proposal: HysteresisDecision | undefined;
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
        auditPath: o.auditPath ?? resolve(config.runbook_policy.audit_log_path),
        ...(o.keys ? { keys: o.keys } : {}),
      });
      applied = `${applyResult.decision === 'apply' ? 'applied' : 'held'} θ1=${applyResult.applied.theta1}, θ2=${applyResult.applied.theta2} (was ${now.theta.theta1}/${now.theta.theta2} from ${now.label}): ${applyResult.reason}; audit ${applyResult.auditPath}`;
    } else {
      const d = applyHysteresis(input);
      proposal = d;
      applied = `dry run: --apply would ${d.decision === 'apply' ? `apply θ1=${d.applied.theta1}, θ2=${d.applied.theta2}` : 'hold'} (in force ${now.theta.theta1}/${now.theta.theta2} from ${now.label}): ${d.reason}`;
    }
  }
  return {
    run,
    notes,
    ...(applied ? { applied } : {}),
    ...(applyResult ? { applyResult } : {}),
    ...(proposal ? { proposal } : {}),
  };
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
