// The two backtests the retrain gate reads: the candidate and the model in force on the same bars, out
// of sample for both. The period starts after the last bar the model in force learned from; the
// candidate (trained on every bar, that period included) is scored there by its walk-forward OOS
// predictions, each made by a model fitted before its bar; the model in force by itself.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PairSpec, PtConfig } from '../config/schemas/index.js';
import type { Timeframe } from '../core/time.js';
import { conversionFromStore, pairInput } from '../backtest/prepareBacktest.js';
import { resolveDecisionParams } from '../decision/decisionParams.js';
import { bundleScorer, loadModelBundle } from '../ml/modelBundle.js';
import { appliedThetaInput, parseModelVersion } from '../ml/registry/index.js';
import type { ModelDecisionParams } from '../model/modelParams.js';
import type { OpenBarStore } from '../ports/barStore.js';
import type { ReadTable } from '../ports/tableWriter.js';
import type { PromotionKpis } from '../ops/model/promotionDecision.js';
import { trialPairsIn, type Period } from '../optimize/oosPeriods.js';
import { loadOosTrialPairs } from '../optimize/job/loadOosTrialPairs.js';
import { prepareTrials, type Theta, type TrialPair } from '../optimize/trialRunner.js';
import { windowKpis } from '../optimize/windowKpis.js';

export interface CompareOptions {
  pairs: PairSpec[];
  timeframe: Timeframe;
  group: string;
  dataDir: string;
  candidate: { dir: string; version: string; theta: Theta };
  /** The version CURRENT names, or null for a group without one. */
  inForce: { dir: string; version: string } | null;
}

export interface ModelOnPeriod {
  version: string;
  theta: Theta;
  kpis: PromotionKpis;
  /** AI2 false-stop rate of the period's risk stops; null without a risk stop. */
  falseStopRate: number | null;
}

export interface Comparison {
  /** UTC ms, inclusive; null when no candidate prediction falls after the model in force's data. */
  period: Period | null;
  /** The last bar the model in force learned from (ISO), and where that came from. */
  inForceDataEnd?: { iso: string; source: 'metrics.json data_end' | 'version time' };
  candidate?: ModelOnPeriod;
  inForce?: ModelOnPeriod;
}

/**
 * metrics.json's data_end (pt train writes it), else the version's own minute: a version cannot have
 * learned from bars after it was made.
 */
export async function modelDataEnd(
  dir: string,
  version: string,
): Promise<{ ms: number; source: 'metrics.json data_end' | 'version time' }> {
  try {
    const m = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')) as { data_end?: unknown };
    if (typeof m.data_end === 'string' && Number.isFinite(Date.parse(m.data_end)))
      return { ms: Date.parse(m.data_end), source: 'metrics.json data_end' };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && !(e instanceof SyntaxError)) throw e;
  }
  return { ms: parseModelVersion(version)!.createdAt.getTime(), source: 'version time' };
}

/** The first and last bar with an AI2 prediction at or after `fromMs` (AI2 predicts every bar of a step). */
function predictedSpan(pairs: readonly TrialPair[], fromMs: number): Period | null {
  let from = Infinity;
  let to = -Infinity;
  for (const p of pairs)
    for (let i = 0; i < p.riskScore.length; i++) {
      const t = p.pair.ts[i]!;
      if (t >= fromMs && !Number.isNaN(p.riskScore[i]!)) {
        from = Math.min(from, t);
        to = Math.max(to, t);
      }
    }
  return to >= from ? { from, to } : null;
}

async function runOn(
  config: PtConfig,
  o: CompareOptions,
  pairs: TrialPair[],
  period: Period,
  model: { version: string; params: ModelDecisionParams },
  theta: Theta,
  conversionRate: Awaited<ReturnType<typeof conversionFromStore>>,
): Promise<ModelOnPeriod> {
  const decision = resolveDecisionParams(config, { model });
  const runner = await prepareTrials({
    config,
    timeframe: o.timeframe,
    modelVersion: model.version,
    conversionRate,
    decision: { params: decision.params, signalZ: decision.signalZ, speedLookbackBars: decision.speedLookbackBars },
    pairs: trialPairsIn(pairs, period),
  });
  const run = runner.runTrial(theta);
  const capital = config.backtest_policy.initial_capital_usd;
  const w = windowKpis(run, capital, period.from, period.to).kpis;
  // Every trade opens inside the period (predictions elsewhere are masked): the run's stops are the period's.
  const pnl = run.tradeList.filter((t) => t.ts_entry >= period.from && t.ts_entry <= period.to).map((t) => t.pnl);
  const ePerTrade = pnl.length === 0 ? Number.NaN : pnl.reduce((a, b) => a + b, 0) / pnl.length / capital;
  return {
    version: model.version,
    theta,
    kpis: { sharpe: w.sharpe, maxDrawdown: w.maxDd, ePerTrade, trades: w.trades, tradesPerYear: w.tradesPerYear },
    falseStopRate: run.backtest.riskStops === 0 ? null : run.backtest.falseStopRate,
  };
}

export async function compareWithInForce(
  config: PtConfig,
  o: CompareOptions,
  deps: { openBarStore: OpenBarStore; readTable: ReadTable },
): Promise<Comparison> {
  const predictionsDir = join(o.dataDir, 'predictions', o.timeframe, o.group, o.candidate.version);
  const {
    loaded,
    conversionRate,
    trialPairs: candidatePairs,
  } = await loadOosTrialPairs(
    config,
    { dataDir: o.dataDir, predictionsDir, pairs: o.pairs, timeframe: o.timeframe },
    deps,
  );
  const candidateBundle = await loadModelBundle(o.candidate.dir, undefined, o.timeframe);
  const candidateModel = { version: o.candidate.version, params: candidateBundle.params };
  if (!o.inForce) {
    const period = predictedSpan(candidatePairs, Number.NEGATIVE_INFINITY);
    if (!period) return { period: null };
    const candidate = await runOn(config, o, candidatePairs, period, candidateModel, o.candidate.theta, conversionRate);
    return { period, candidate };
  }
  const end = await modelDataEnd(o.inForce.dir, o.inForce.version);
  const inForceDataEnd = { iso: new Date(end.ms).toISOString(), source: end.source };
  const period = predictedSpan(candidatePairs, end.ms + 1);
  if (!period) return { period: null, inForceDataEnd };
  const candidate = await runOn(config, o, candidatePairs, period, candidateModel, o.candidate.theta, conversionRate);
  // The model in force scores the same bars itself; its θ is the one in force for it (applied record, else params.yaml).
  const bundle = await loadModelBundle(o.inForce.dir, undefined, o.timeframe);
  const applied = await appliedThetaInput(o.inForce.dir);
  const inForceTheta = applied
    ? { theta1: applied.theta1, theta2: applied.theta2 }
    : { theta1: bundle.params.theta1, theta2: bundle.params.theta2 };
  const scorer = bundleScorer(bundle);
  const inForcePairs: TrialPair[] = [];
  for (const l of loaded) {
    const scored = await pairInput(config, l.spec, l.pair, scorer);
    inForcePairs.push({ spec: l.spec, pair: l.pair, returnProb: scored.returnProb!, riskScore: scored.riskScore! });
  }
  const inForceModel = { version: bundle.version, params: bundle.params };
  const inForce = await runOn(config, o, inForcePairs, period, inForceModel, inForceTheta, conversionRate);
  return { period, inForceDataEnd, candidate, inForce };
}
