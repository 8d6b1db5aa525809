// PaperLedger is the backtest's accounting: the decisions of a backtest, given to the ledger as targets
// at their bars, fill into the same trades (prices, costs, swaps, P&L) and the same final P&L per pair,
// with latency 0 and 1, a non-USD leg, and DQ-filled bars where nothing fills.
import { describe, expect, it } from 'vitest';
import {
  ACTION_CODES,
  EXIT_REASONS,
  type BacktestInput,
  type BacktestTrade,
} from '../../src/backtest/backtestTypes.js';
import { runBacktest } from '../../src/backtest/engine.js';
import { SeededRng } from '../../src/core/rng.js';
import { F } from '../../src/features/featureNames.js';
import { PaperLedger } from '../../src/paper/paperLedger.js';
import type { SpreadSide } from '../../src/model/spreadSide.js';
import { config, pairInput, RANDOM_PARAMS, randomColumns, testPair } from '../backtest/engine/enginePairs.js';

const H = 3_600_000;
const start = Date.parse('2024-01-01T00:00:00Z');
/** USD per JPY, moving with the bar time (a leg quoted in JPY converts at its bar's rate). */
const jpy = (_symbol: string, tsMs: number) => 1 / (140 + ((tsMs / H) % 50) / 10);

function input(latencyBars: number, seed: number): BacktestInput {
  const rng = new SeededRng(seed);
  const usd = pairInput(testPair('SYNA_SYNB'), randomColumns(rng, 3000, start));
  const yen = pairInput(testPair('SYNC_SYND', 'JPY'), randomColumns(rng, 3000, start));
  // Some bars DQ-filled: the backtest fills nothing there, the order waits for the next real bar.
  usd.filled = Uint8Array.from({ length: usd.ts.length }, () => (rng.next() < 0.2 ? 1 : 0));
  return {
    pairs: [usd, yen],
    config,
    timeframe: '1h',
    ruleOnly: true,
    params: RANDOM_PARAMS,
    latencyBars,
    conversionRate: jpy,
    signalZ: 'raw',
  };
}

const withoutId = ({ trade_id: _id, ...rest }: BacktestTrade) => rest;

describe('PaperLedger', () => {
  for (const latency of [0, 1])
    it(`fills a backtest's decisions into its exact trades and P&L (latency ${latency})`, () => {
      // The first seed whose run ends with a position open: its close at the last bar is checked too.
      let seed = 11;
      let inp = input(latency, seed);
      let bt = runBacktest(inp);
      while (!bt.trades.some((t) => t.exit_reason === 'end_of_data') && seed < 60) {
        inp = input(latency, ++seed);
        bt = runBacktest(inp);
      }
      const ledger = new PaperLedger(
        config,
        inp.pairs.map((p) => p.pair),
        100_000,
        H,
        latency,
        jpy,
      );
      let dueOnFilled = 0;
      for (const p of inp.pairs) {
        const id = p.pair.pair_id;
        const z = p.features.columns[F.z]!;
        ledger.setPrices(id, {
          ts: p.ts,
          closeA: p.a.close,
          closeB: p.b.close,
          filled: p.filled ?? new Uint8Array(p.ts.length),
        });
        const rec = bt.decisions[id]!;
        for (let i = 0; i + latency < p.ts.length; i++)
          if (
            rec.action[i] !== ACTION_CODES.none &&
            rec.action[i] !== ACTION_CODES.hold &&
            p.filled?.[i + latency] === 1
          )
            dueOnFilled++;
        for (let i = 0; i < p.ts.length; i++) {
          const ts = p.ts[i]!;
          ledger.noteZ(id, ts, z[i]!);
          const info = { z: z[i]!, returnProb: p.returnProb![i]!, riskScore: p.riskScore![i]!, reason: '' };
          const code = rec.action[i];
          if (code === ACTION_CODES.open)
            ledger.target(id, ts, rec.side[i]! as SpreadSide, rec.lotsA[i]!, rec.lotsB[i]!, info);
          else if (code === ACTION_CODES.close || code === ACTION_CODES.flatten)
            ledger.target(id, ts, 0, 0, 0, { ...info, reason: EXIT_REASONS[rec.reason[i]!]! });
          ledger.advance(id, ts);
        }
        // The end of the data after the last bar was accounted, as pt paper --history --close-at-end asks it.
        ledger.advance(id, Number.POSITIVE_INFINITY, true);
      }
      expect(bt.trades.length).toBeGreaterThan(20);
      expect(bt.trades.some((t) => t.exit_reason === 'end_of_data')).toBe(true);
      // The kernel never decides on a filled bar; an order due on one (latency 1) waits for the next real bar.
      if (latency === 1) expect(dueOnFilled).toBeGreaterThan(0);
      for (const p of inp.pairs) {
        const id = p.pair.pair_id;
        const mine = ledger.trades.filter((t) => t.pair_id === id).map(withoutId);
        expect(mine).toEqual(bt.trades.filter((t) => t.pair_id === id).map(withoutId));
        const value = bt.pairValueUsd[id]!;
        expect(ledger.positions()[id]!.pnl_usd).toBe(value[value.length - 1]);
      }
      // Every fill is one line per leg: two per open, two per close.
      expect(ledger.takeFills().length).toBe(4 * bt.trades.length);
    });

  it('gives no order when the target is what the pair will hold, and closes before it opens the other side', () => {
    const spec = testPair('SYNA_SYNB');
    const ledger = new PaperLedger(config, [spec], 100_000, H, 0, undefined);
    const info = { z: 2, returnProb: 0.8, riskScore: 0.1, reason: 'z_exit' };
    expect(ledger.target(spec.pair_id, start, 1, 0.5, -0.4, info).map((o) => o.kind)).toEqual(['open']);
    expect(ledger.target(spec.pair_id, start + H, 1, 0.5, -0.4, info)).toEqual([]);
    expect(ledger.target(spec.pair_id, start + 2 * H, -1, -0.5, 0.4, info).map((o) => o.kind)).toEqual([
      'close',
      'open',
    ]);
    expect(ledger.target(spec.pair_id, start + 3 * H, 0, 0, 0, info).map((o) => o.kind)).toEqual(['close']);
    expect(ledger.openOrders().length).toBe(4);
  });
});
