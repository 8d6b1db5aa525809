// The engine's shortcuts (the event machine run once over a pair's columns, bars where the kernel is
// flat with no event starting skipped) change no number: on the bundled real pairs with seeded
// predictions, every output of a run equals the reference walk that feeds every bar to the kernel's
// own observe and decide, as pt live does; for several θ on one prepared engine, with calendars
// asked per bar or from a column, latency 0..2, and a capital small enough for the DD policy to act.
import { beforeAll, describe, expect, it } from 'vitest';
import { PreparedBacktest } from '../../../src/backtest/engine.js';
import type { BacktestInput, BacktestPairInput, ConversionRate } from '../../../src/backtest/backtestTypes.js';
import { pairInput } from '../../../src/backtest/prepareBacktest.js';
import { SeededRng } from '../../../src/core/rng.js';
import { predictionScorer } from '../../../src/optimize/predictionScorer.js';
import { tradableColumn } from '../../../src/optimize/trialRunner.js';
import { BUNDLED_PAIR_IDS, bundledPair } from '../../helpers/bundledPairs.js';
import { config, pairOf } from '../../decision/config.js';
import { randomPredictions } from '../../helpers/randomPredictions.js';

let pairs: BacktestPairInput[] = [];
let conversionRate: ConversionRate;

beforeAll(async () => {
  const rng = new SeededRng(9);
  pairs = [];
  for (const id of BUNDLED_PAIR_IDS) {
    const pair = await bundledPair(id);
    const { prob, risk } = randomPredictions(rng, pair.length);
    pairs.push(await pairInput(config, pairOf(id), pair, predictionScorer('test', prob, risk)));
    if (id === 'AUDUSD_USDCAD') {
      const at = new Map<number, number>();
      pair.ts.forEach((t, i) => at.set(t, 1 / pair.b.close[i]!));
      conversionRate = (symbol, tsMs) => (symbol === 'USDCAD' ? at.get(tsMs)! : 1);
    }
  }
}, 120_000);

const THETAS: Array<[number, number]> = [
  [0.5, 0.5],
  [0.05, 0.95],
  [0.8, 0.2],
  [0.05, 0.95],
];

/** Both walks over THETAS; the trades and the bars at each effective DD level (pair or portfolio) seen. */
function check(input: BacktestInput): { trades: number; ddBars: number[] } {
  const fast = new PreparedBacktest(input);
  const seen = { trades: 0, ddBars: [0, 0, 0, 0] };
  for (const [theta1, theta2] of THETAS) {
    const a = fast.run({ theta1, theta2 });
    const b = new PreparedBacktest(input, { everyBar: true }).run({ theta1, theta2 });
    expect(a).toEqual(b);
    seen.trades += b.trades.length;
    for (const bars of Object.values(b.pairDdBars)) bars.forEach((n, k) => (seen.ddBars[k]! += n));
  }
  return seen;
}

describe('the idle-bar shortcut and the precomputed events', () => {
  it('give the reference walk’s results, calendars asked per bar, latency 0, 1 and 2', () => {
    const seen = [0, 1, 2].map((latencyBars) =>
      check({ pairs, config, timeframe: '1h', conversionRate, initialCapitalUsd: 20_000, latencyBars }),
    );
    // The comparison covers trading and the DD policy's levels (else it proves little).
    for (const s of seen) expect(s.trades).toBeGreaterThan(50);
    expect(seen.some((s) => s.ddBars[1]! + s.ddBars[2]! + s.ddBars[3]! > 0)).toBe(true);
  }, 120_000);

  it('give the reference walk’s results with a tradable column, recorded ops and manual ops', () => {
    const withColumn = pairs.map((p) => ({ ...p, tradable: tradableColumn(config, p.pair, p.ts, 3_600_000) }));
    check({ pairs: withColumn, config, timeframe: '1h', conversionRate, initialCapitalUsd: 20_000, recordOps: true });
    check({
      pairs: withColumn,
      config,
      timeframe: '1h',
      conversionRate,
      ops: { allowEntries: true, flatten: false, leverageScale: 0.5 },
    });
  }, 120_000);

  it('recompute the events when a run changes the event parameters', () => {
    const input: BacktestInput = { pairs, config, timeframe: '1h', conversionRate };
    const fast = new PreparedBacktest(input);
    fast.run({ theta1: 0.3, theta2: 0.7 });
    const a = fast.run({ theta1: 0.3, theta2: 0.7, zEntry: 2.5 });
    const b = new PreparedBacktest(input, { everyBar: true }).run({ theta1: 0.3, theta2: 0.7, zEntry: 2.5 });
    expect(a).toEqual(b);
    expect(a.trades.length).toBeGreaterThan(0);
  }, 120_000);
});
