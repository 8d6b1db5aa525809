// pt parity's verdict on hand-made trades: identical keys match, a lot or an instant apart does not,
// P&L beyond the tolerance is counted, and trades entered before the period are left out.
import { describe, expect, it } from 'vitest';
import type { BacktestTrade } from '../../src/backtest/backtestTypes.js';
import { compareTrades, PNL_TOLERANCE_USD, tradeKey } from '../../src/paper/compareTrades.js';

const H = 3_600_000;
const T0 = Date.parse('2024-01-02T10:00:00Z');

function trade(over: Partial<BacktestTrade>): BacktestTrade {
  return {
    trade_id: 1,
    pair_id: 'XAUUSD_XAGUSD',
    side: 'LONG_SPREAD',
    ts_entry: T0,
    ts_exit: T0 + 5 * H,
    qty_A: 0.1,
    qty_B: -0.5,
    price_A_entry: 2000,
    price_B_entry: 23,
    price_A_exit: 2010,
    price_B_exit: 23.1,
    z_at_entry: -2.1,
    z_at_exit: -0.4,
    return_prob: 0.7,
    risk_score: 0.2,
    cost_commission: 1,
    cost_slippage: 0.5,
    cost_spread: 0.5,
    swap: 0,
    pnl: 42.5,
    exit_reason: 'z_exit',
    notional_usd: 30_000,
    ...over,
  };
}

describe('compareTrades', () => {
  it('matches equal trades, lots rounded to 8 decimals as the EA does; reports the largest P&L difference', () => {
    const bt = [trade({}), trade({ trade_id: 2, ts_entry: T0 + 9 * H, ts_exit: T0 + 12 * H, pnl: -10 })];
    const paper = [
      trade({ qty_A: 0.1 + 1e-12 }),
      trade({ trade_id: 2, ts_entry: T0 + 9 * H, ts_exit: T0 + 12 * H, pnl: -10.004 }),
    ];
    const c = compareTrades(paper, bt, T0);
    expect(c).toMatchObject({ matched: 2, onlyPaper: [], onlyBt: [], excluded: 0, pnlMismatches: 0, ok: true });
    expect(c.verdict).toBe('identical');
    expect(c.largest!.diff).toBeCloseTo(0.004, 12);
    expect(c.largest!.ts_entry).toBe(T0 + 9 * H);
  });

  it('tells apart a lot step, an exit bar, a side; counts P&L beyond the tolerance', () => {
    const bt = [trade({})];
    for (const other of [trade({ qty_B: -0.51 }), trade({ ts_exit: T0 + 6 * H }), trade({ side: 'SHORT_SPREAD' })]) {
      const c = compareTrades([other], bt, T0);
      expect(c.ok).toBe(false);
      expect(c.onlyPaper).toEqual([tradeKey(other)]);
      expect(c.onlyBt).toEqual([tradeKey(bt[0]!)]);
    }
    const c = compareTrades([trade({ pnl: 42.5 + PNL_TOLERANCE_USD * 2 })], bt, T0);
    expect(c).toMatchObject({ matched: 1, pnlMismatches: 1, ok: false, verdict: 'differ' });
  });

  it('no trade on either side is no proof: the verdict is empty, not identical', () => {
    expect(compareTrades([], [], T0)).toMatchObject({ matched: 0, ok: true, verdict: 'empty' });
    const early = trade({ ts_entry: T0 - 3 * H, ts_exit: T0 + H });
    expect(compareTrades([], [early], T0)).toMatchObject({ excluded: 1, verdict: 'empty' });
    expect(compareTrades([trade({})], [], T0).verdict).toBe('differ');
  });

  it('leaves out backtest trades that entered before the period; a paper trade there is still one too many', () => {
    const early = trade({ ts_entry: T0 - 3 * H, ts_exit: T0 + H });
    expect(compareTrades([], [early], T0)).toMatchObject({ excluded: 1, ok: true });
    expect(compareTrades([early], [early], T0)).toMatchObject({ onlyPaper: [tradeKey(early)], ok: false });
  });
});
