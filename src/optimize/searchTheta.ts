// The θ search of one set of OOS predictions (SPEC §6): the seed's grid, a grid on the OOS
// probabilities' quantiles, then TPE over their union, every trial the backtest engine on the
// selection period; the choice is the best feasible score, else the trial nearest to feasibility.
// pt optimize runs it once; pt optimize --labels once per label point.
import type { PtConfig } from '../config/schemas/index.js';
import { PtError } from '../core/ptError.js';
import type { TrialKpis, TrialRecord, TrialStage } from './optimizeRun.js';
import { paretoSet } from './paretoSet.js';
import { objectivePolicyFrom, scoreTrial, type ObjectivePolicy } from './scoreTrial.js';
import { gridPoints, quantileGrid, stepGrid, type ThetaPoint } from './searchSpace.js';
import { runTpe, TpeSampler, type TrialOutcome } from './tpe/index.js';
import type { TrialRunner } from './trialRunner.js';
import { windowKpis } from './windowKpis.js';

/** Quantiles of the OOS probabilities the second grid spans (50th to 99th percentile), 13 values each. */
const QUANTILE_RANGE: readonly [number, number] = [0.5, 0.99];
const GRID_SIZE = 13;

export interface ThetaSearchInput {
  /** The backtest of the selection period, prepared once. */
  runner: TrialRunner;
  selection: { from: number; to: number };
  /** The finite OOS probabilities inside the selection period (the quantile grid's source). */
  returnProbs: ArrayLike<number>;
  riskScores: ArrayLike<number>;
  /** Most TPE trials after the grids. */
  trials: number;
  seed: number;
  onProgress?: (label: string, done: number, total: number) => void;
}

export interface ThetaSearch {
  trials: TrialRecord[];
  /** Each trial's selection-period daily returns, in trial order (DSR, PBO, the improvement CI). */
  series: Float64Array[];
  /** The best feasible trial, if any. */
  best?: number;
  /** The trial nearest to feasibility (sum of relative constraint misses). */
  nearest: number;
  pareto: number[];
  grids: { seed: { theta1: number[]; theta2: number[] }; quantile: { theta1: number[]; theta2: number[] } };
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
export function constraintViolation(k: TrialKpis, p: Pick<ObjectivePolicy, 'ddTarget' | 'tradesMin'>): number {
  const dd = Number.isFinite(k.maxDd) ? Math.max(0, k.maxDd - p.ddTarget) / p.ddTarget : 1;
  const trades = Math.max(0, p.tradesMin - k.tradesPerYear) / p.tradesMin;
  return dd + trades;
}

export function searchTheta(config: PtConfig, input: ThetaSearchInput): ThetaSearch {
  const { runner, selection } = input;
  const capital = config.backtest_policy.initial_capital_usd;
  const range = config.core_policy.theta_search_range;
  const step = config.core_policy.theta_grid_step;
  const seedAxes = gridAxes(() => ({
    theta1: stepGrid(range.theta1[0], range.theta1[1], step),
    theta2: stepGrid(range.theta2[0], range.theta2[1], step),
  }));
  const quantileAxes = gridAxes(() => ({
    theta1: quantileGrid(input.returnProbs, QUANTILE_RANGE[0], QUANTILE_RANGE[1], GRID_SIZE),
    theta2: quantileGrid(input.riskScores, QUANTILE_RANGE[0], QUANTILE_RANGE[1], GRID_SIZE),
  }));

  const policy = objectivePolicyFrom(config);
  const trials: TrialRecord[] = [];
  const series: Float64Array[] = [];
  const evaluate = (p: ThetaPoint, stage: TrialStage): TrialRecord => {
    const period = windowKpis(runner.runTrial(p), capital, selection.from, selection.to);
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
  const total = grid.length + input.trials;
  grid.forEach(([p, stage], i) => {
    evaluate(p, stage);
    input.onProgress?.('grid', i + 1, total);
  });

  // TPE over the union of both grids' ranges, continuous, seeded with every grid trial.
  const lo = (a: number[], b: number[]) => Math.min(a[0]!, b[0]!);
  const hi = (a: number[], b: number[]) => Math.max(a.at(-1)!, b.at(-1)!);
  const outcome = (t: TrialRecord): TrialOutcome => ({
    value: t.score,
    feasible: t.feasible,
    ...(t.feasible ? {} : { violation: Math.max(constraintViolation(t.kpis, policy), 1e-12) }),
  });
  const sampler = new TpeSampler({
    space: [
      { name: 'theta1', low: lo(seedAxes.theta1, quantileAxes.theta1), high: hi(seedAxes.theta1, quantileAxes.theta1) },
      { name: 'theta2', low: lo(seedAxes.theta2, quantileAxes.theta2), high: hi(seedAxes.theta2, quantileAxes.theta2) },
    ],
    direction: 'maximize',
    seed: input.seed,
  });
  runTpe((params) => outcome(evaluate({ theta1: params.theta1!, theta2: params.theta2! }, 'tpe')), sampler, {
    trials: input.trials,
    patience: config.core_policy.tpe.patience,
    minTrials: Math.min(config.core_policy.tpe.min_trials, input.trials),
    initial: trials.map((t) => ({ params: { theta1: t.theta1, theta2: t.theta2 }, outcome: outcome(t) })),
    onTrial: (_t, done) => input.onProgress?.('TPE', grid.length + done, total),
  });

  const { best, nearest } = chooseTrial(trials, policy);
  return {
    trials,
    series,
    ...(best !== undefined ? { best } : {}),
    nearest,
    pareto: paretoSet(trials.map((t) => ({ sharpe: t.kpis.sharpe, maxDd: t.kpis.maxDd }))),
    grids: { seed: seedAxes, quantile: quantileAxes },
  };
}

/** The best feasible score (first on a tie), and the trial nearest to feasibility (first on a tie). */
export function chooseTrial(
  trials: readonly Pick<TrialRecord, 'feasible' | 'score' | 'kpis'>[],
  policy: ObjectivePolicy,
): { best?: number; nearest: number } {
  let best: number | undefined;
  let nearest = 0;
  trials.forEach((t, i) => {
    if (t.feasible && (best === undefined || t.score > trials[best]!.score)) best = i;
    if (constraintViolation(t.kpis, policy) < constraintViolation(trials[nearest]!.kpis, policy)) nearest = i;
  });
  return best !== undefined ? { best, nearest } : { nearest };
}
