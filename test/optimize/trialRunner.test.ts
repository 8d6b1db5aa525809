// A trial is the backtest: on the bundled real pairs with seeded predictions, runTrial(θ) gives the
// same trades, equity and KPIs as runBacktest with that θ through the pt bt run input path (calendars
// asked at each bar), bit for bit, whatever the order of the trials.
import { beforeAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/engine.js';
import type { BacktestPairInput, BacktestResult, ConversionRate } from '../../src/backtest/backtestTypes.js';
import { dailyEquity, dailyReturns } from '../../src/backtest/kpis/index.js';
import { pairInput } from '../../src/backtest/prepareBacktest.js';
import { SeededRng } from '../../src/core/rng.js';
import { predictionScorer } from '../../src/optimize/predictionScorer.js';
import { prepareTrials, type TrialPair, type TrialRunner } from '../../src/optimize/trialRunner.js';
import { BUNDLED_PAIR_IDS, bundledPair } from '../helpers/bundledPairs.js';
import { config, pairOf } from '../decision/config.js';
import { randomPredictions } from '../helpers/randomPredictions.js';

let pairs: TrialPair[] = [];
let runner: TrialRunner;
let btPairs: BacktestPairInput[] = [];
let conversionRate: ConversionRate;
// A small capital so that the DD policy's warn, halt and flatten are reached and differ between θ.
const initialCapitalUsd = 20_000;

beforeAll(async () => {
  const rng = new SeededRng(5);
  pairs = [];
  for (const id of BUNDLED_PAIR_IDS) {
    const pair = await bundledPair(id);
    const { prob, risk } = randomPredictions(rng, pair.length);
    pairs.push({ spec: pairOf(id), pair, returnProb: prob, riskScore: risk });
  }
  const cad = pairs.find((p) => p.spec.pair_id === 'AUDUSD_USDCAD')!.pair;
  const at = new Map<number, number>();
  cad.ts.forEach((t, i) => at.set(t, 1 / cad.b.close[i]!));
  conversionRate = (symbol, tsMs) => (symbol === 'USDCAD' ? at.get(tsMs)! : 1);
  runner = await prepareTrials({
    config,
    timeframe: '1h',
    pairs,
    modelVersion: 'test',
    conversionRate,
    initialCapitalUsd,
  });
  // What pt bt run builds: pairInput with the model's Scorer, no tradable column (calendars per bar).
  btPairs = [];
  for (const p of pairs)
    btPairs.push(await pairInput(config, p.spec, p.pair, predictionScorer('test', p.returnProb, p.riskScore)));
}, 120_000);

function backtest(theta1: number, theta2: number): BacktestResult {
  return runBacktest({
    pairs: btPairs,
    config,
    timeframe: '1h',
    conversionRate,
    initialCapitalUsd,
    params: { theta1, theta2 },
  });
}

describe('runTrial', () => {
  const thetas: Array<[number, number]> = [
    [0.3, 0.7],
    [0.6, 0.4],
    [0.05, 0.95],
    [0.9, 0.1],
    [0.3, 0.7],
  ];
  it('equals runBacktest for several θ, in any order (trades, equity, KPIs, daily returns)', () => {
    const counts: number[] = [];
    for (const [theta1, theta2] of thetas) {
      const t = runner.runTrial({ theta1, theta2 });
      const b = backtest(theta1, theta2);
      expect(t.tradeList).toEqual(b.trades);
      expect(t.backtest).toEqual(b.kpis);
      expect(t.kpis).toEqual({
        annualReturn: b.kpis.annualReturnCompound,
        sharpe: b.kpis.sharpe,
        maxDrawdown: b.kpis.maxDrawdown,
        trades: b.trades.length,
        tradesPerYear: b.kpis.tradesPerYear,
        fpRateAi2: b.kpis.falseStopRate,
      });
      const daily = dailyEquity(b.timesMs, b.equityUsd);
      expect(t.dayMs).toEqual(daily.dayMs);
      expect(t.dailyReturns).toEqual(dailyReturns(daily, initialCapitalUsd));
      counts.push(b.trades.length);
    }
    // The θ matter (else the comparison proves little): more permissive θ, more trades.
    expect(counts[2]!).toBeGreaterThan(counts[0]!);
    expect(counts[0]!).toBeGreaterThan(counts[3]!);
    expect(counts[2]!).toBeGreaterThan(20);
  }, 120_000);

  it('refuses a θ that is not a number', () => {
    expect(() => runner.runTrial({ theta1: Number.NaN, theta2: 0.3 })).toThrow(/finite/);
  });
});
