// Run time of one backtest of 30 pairs × 3 years of 1h bars (target < 300 ms, SPEC §7 engine budget).
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/backtest/engine.js';
import type { BacktestPairInput } from '../../../src/backtest/backtestTypes.js';
import { SeededRng } from '../../../src/core/rng.js';
import { config, costTable, pairInput, RANDOM_PARAMS, randomColumns, testPair } from './enginePairs.js';

const BARS = 3 * 52 * 5 * 24; // 18720: three years of weekday hours
const PAIRS = 30;

function pairs(withTradable: boolean): BacktestPairInput[] {
  const rng = new SeededRng(11);
  const start = Date.parse('2022-01-03T00:00:00Z');
  return Array.from({ length: PAIRS }, (_, k) => {
    const p = pairInput(testPair(`SYN${k}A_SYN${k}B`), randomColumns(rng, BARS, start));
    return withTradable ? p : { ...p, tradable: undefined };
  });
}

function bestOf(runs: number, f: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

describe('runBacktest run time', () => {
  it(`${PAIRS} pairs × ${BARS} bars`, () => {
    const given = pairs(true);
    // A large capital keeps the portfolio DD policy from halting the random book, so every bar does full work.
    const initialCapitalUsd = 1e8;
    let trades = 0;
    let ddDays = '';
    const engineMs = bestOf(3, () => {
      const r = runBacktest({
        pairs: given,
        config,
        timeframe: '1h',
        costTable,
        params: RANDOM_PARAMS,
        initialCapitalUsd,
      });
      trades = r.trades.length;
      ddDays = r.ddBars.join('/');
    });
    const calendars = pairs(false);
    const withCalendarMs = bestOf(2, () =>
      runBacktest({ pairs: calendars, config, timeframe: '1h', costTable, params: RANDOM_PARAMS, initialCapitalUsd }),
    );
    console.log(
      `runBacktest ${PAIRS}×${BARS} 1h: ${engineMs.toFixed(0)} ms (tradable given), ${withCalendarMs.toFixed(0)} ms (tradable from calendars), ${trades} trades, portfolio DD bars normal/warn/halt/flatten ${ddDays}`,
    );
    // entries only at AI1 event starts: about 9 trades a pair a year on this AR(1) z
    expect(trades).toBeGreaterThan(500);
    // No wall-clock bound here (a loaded CI machine is no measure): `npm run bench -- bt` times it.
  });
});
