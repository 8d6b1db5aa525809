// Hand-built optimise runs for the output tests: a 13×13 seed grid, a 13×13 quantile grid and 40 TPE
// trials with made-up but plausible KPIs (the seed grid never trades enough, as on the bundled sample);
// and a run where nothing is feasible.
import { SeededRng } from '../../src/core/rng.js';
import type { OptimizeRun, TrialKpis, TrialRecord, TrialStage } from '../../src/optimize/optimizeRun.js';
import { paretoSet } from '../../src/optimize/paretoSet.js';
import { gridPoints, stepGrid } from '../../src/optimize/searchSpace.js';

export const DD_MAX = 0.12;
export const TRADES_MIN = 150;

/** SPEC §6 score. */
function score(k: TrialKpis): number {
  const fp = Number.isFinite(k.fpRateAi2) ? k.fpRateAi2 : 0;
  return (
    k.annualReturn - 2 * Math.max(0, k.maxDd - DD_MAX) - 0.05 * Math.max(0, TRADES_MIN - k.tradesPerYear) - 0.1 * fp
  );
}

function reasonOf(k: TrialKpis): string {
  const r: string[] = [];
  if (k.maxDd > DD_MAX) r.push(`max_dd ${k.maxDd.toFixed(3)} > ${DD_MAX}`);
  if (k.tradesPerYear < TRADES_MIN) r.push(`trades_per_year ${Math.round(k.tradesPerYear)} < ${TRADES_MIN}`);
  return r.join(', ');
}

function trial(index: number, stage: TrialStage, theta1: number, theta2: number, k: TrialKpis): TrialRecord {
  const reason = reasonOf(k);
  return { index, stage, theta1, theta2, score: score(k), feasible: reason === '', reason, kpis: k };
}

/** Plausible KPIs: fewer trades as θ1 rises and θ2 falls; a sweet spot in the middle of the quantile range. */
function kpis(rng: SeededRng, trades: number, quality: number): TrialKpis {
  const tradesPerYear = Math.max(0, trades);
  const sharpe = quality + 0.25 * rng.gaussian();
  const annualReturn = 0.09 * sharpe + 0.01 * rng.gaussian();
  const maxDd = Math.max(0.015, 0.1 - 0.03 * sharpe + 0.05 * Math.abs(rng.gaussian()) + tradesPerYear / 8000);
  return {
    annualReturn,
    sharpe,
    maxDd,
    tradesPerYear,
    fpRateAi2: tradesPerYear === 0 ? NaN : 0.04 + 0.05 * rng.next(),
    trades: Math.round(tradesPerYear * 2.4),
  };
}

export const QUANTILE_THETA1 = [0.031, 0.036, 0.041, 0.047, 0.053, 0.06, 0.068, 0.078, 0.09, 0.105, 0.126, 0.16, 0.231];
export const QUANTILE_THETA2 = [0.12, 0.14, 0.155, 0.17, 0.19, 0.21, 0.23, 0.255, 0.28, 0.31, 0.35, 0.41, 0.5];

/** `tradeScale` < 1 thins every trial's trades (0.2 makes nothing feasible). */
export function buildRun(opts: { tradeScale?: number; tpeTrials?: number } = {}): OptimizeRun {
  const scale = opts.tradeScale ?? 1;
  const rng = new SeededRng(42);
  const seed = { theta1: stepGrid(0.6, 0.85, 0.02), theta2: stepGrid(0.2, 0.45, 0.02) };
  const quantile = { theta1: QUANTILE_THETA1, theta2: QUANTILE_THETA2 };
  const trials: TrialRecord[] = [];
  for (const p of gridPoints(seed.theta1, seed.theta2)) {
    // Calibrated probabilities rarely reach 0.60: a handful of trades a year at best.
    const trades = scale * 45 * ((0.86 - p.theta1) / 0.26) * (p.theta2 / 0.44);
    trials.push(trial(trials.length, 'seed_grid', p.theta1, p.theta2, kpis(rng, trades, -0.2)));
  }
  for (const [i1, t1] of quantile.theta1.entries())
    for (const [i2, t2] of quantile.theta2.entries()) {
      const trades = scale * 900 * (1 - i1 / 13) * (0.3 + (0.7 * i2) / 12);
      const quality = 1.1 - Math.abs(i1 - 6) * 0.15 - Math.abs(i2 - 4) * 0.08;
      trials.push(trial(trials.length, 'quantile_grid', t1, t2, kpis(rng, trades, quality)));
    }
  for (let k = 0; k < (opts.tpeTrials ?? 40); k++) {
    const t1 = 0.05 + 0.03 * rng.next();
    const t2 = 0.15 + 0.12 * rng.next();
    const trades = scale * (900 - 6000 * (t1 - 0.05)) * (0.3 + 2 * (t2 - 0.12));
    trials.push(trial(trials.length, 'tpe', t1, t2, kpis(rng, trades, 1.15 - Math.abs(t1 - 0.06) * 10)));
  }
  let best: number | undefined;
  trials.forEach((t, i) => {
    if (t.feasible && (best === undefined || t.score > trials[best]!.score)) best = i;
  });
  const pareto = paretoSet(trials.map((t) => t.kpis));
  const run: OptimizeRun = {
    runId: '20261203T084000Z-opt',
    modelVersion: 'v20261201-001',
    timeframe: '1h',
    pairIds: ['XAUUSD_XAGUSD', 'EURUSD_GBPUSD'],
    seed: 42,
    selection: { from: Date.UTC(2023, 0, 1), to: Date.UTC(2025, 4, 31) },
    holdout: { from: Date.UTC(2025, 5, 1), to: Date.UTC(2025, 11, 31) },
    trials,
    pareto,
    constraints: { maxDd: DD_MAX, tradesPerYear: TRADES_MIN },
    grids: { seed, quantile },
  };
  if (best !== undefined) {
    run.best = best;
    run.holdoutKpis = {
      annualReturn: 0.061,
      sharpe: 0.74,
      maxDd: 0.083,
      tradesPerYear: 171.4,
      fpRateAi2: 0.071,
      trades: 100,
    };
    run.dsr = { dsr: 0.73, sr0: 0.041, srHat: 0.055, trials: trials.length };
  }
  run.pbo = { pbo: 0.31, blocks: 16, combinations: 12870 };
  return run;
}

/** Nothing feasible; the nearest trial is the seed grid's (0.62, 0.44) with 31 trades a year. */
export function buildInfeasibleRun(): OptimizeRun {
  const run = buildRun({ tradeScale: 0.1 });
  const i = run.trials.findIndex((t) => t.stage === 'seed_grid' && t.theta1 === 0.62 && t.theta2 === 0.44);
  const k = { ...run.trials[i]!.kpis, tradesPerYear: 31, maxDd: 0.05 };
  run.trials[i] = trial(i, 'seed_grid', 0.62, 0.44, k);
  run.nearest = i;
  run.pareto = paretoSet(run.trials.map((t) => t.kpis));
  return run;
}
