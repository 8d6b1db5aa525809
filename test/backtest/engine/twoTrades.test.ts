// A hand-computed two-trade backtest: half-spread, time-of-day slippage, commission per fill, swaps incl. Wednesday's triple.
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/backtest/engine.js';
import { config, costTable, pairInput, testPair } from './enginePairs.js';

const H = 3_600_000;
const utc = (iso: string): number => Date.parse(`${iso}Z`);
const wed = utc('2024-07-10T00:00:00'); // a Wednesday
const thu = wed + 24 * H;

// Bars (open times, UTC), decisions at each close:
//  i0 Wed 19:00 z 0            none
//  i1 Wed 20:00 z 2.5          open SHORT_SPREAD, filled at 21:00 (sell A, buy B)
//  i2 Wed 21:00 z 1.0          hold; swap at Wed 21:00 (×3) marked at this close (22:00)
//  i3 Wed 22:00 z 0.3          close (z_exit), filled at 23:00 (×1.5 slippage)
//  i4 Thu 19:00 z −2.2         open LONG_SPREAD, filled at 20:00 (buy A, sell B)
//  i5 Thu 20:00 z −1.5         hold (closes 21:00: Thu 21:00 not yet charged, [20:00, 21:00))
//  i6 Thu 21:00 z −1.0         hold; swap at Thu 21:00 (×1) marked at 22:00
//  i7 Thu 22:00 z −0.4         close (z_exit), filled at 23:00 (×1.5)
const ts = [
  wed + 19 * H,
  wed + 20 * H,
  wed + 21 * H,
  wed + 22 * H,
  thu + 19 * H,
  thu + 20 * H,
  thu + 21 * H,
  thu + 22 * H,
];
const closeA = [100, 100, 99.5, 99, 100, 100, 100.5, 101];
const closeB = [50, 50, 50, 50.5, 50, 50, 50, 50];
const z = [0, 2.5, 1.0, 0.3, -2.2, -1.5, -1.0, -0.4];

// Sizing: pair_notional 10000, beta 1 → N_A = N_B = 10000 USD. A: 100 USD/unit × 100 units/lot → 1.00 lot;
// B: 50 × 100 → 2.00 lots. So 100 units of A and 200 units of B.
const qA = 100;
const qB = 200;
const bps = 1e-4;

// Trade 1, SHORT_SPREAD. Entry at 21:00 (multiplier 1): sell A, buy B.
const eA1 = 100 * (1 - 10 * bps) * (1 - 10 * bps); // 99.8001: half of 20 bps spread, then 10 bps slippage
const eB1 = 50 * (1 + 10 * bps) * (1 + 10 * bps); // 50.10005
// Swap Wed 21:00, triple: A short +5 bps on 100 × 99.5, B long −10 bps on 200 × 50 (marks of i2).
const swap1 = 3 * (5 * bps * qA * 99.5 - 10 * bps * qB * 50); // 14.925 − 30 = −15.075
// Exit at 23:00 (multiplier 1.5 → 15 bps slippage): buy A back, sell B.
const xA1 = 99 * (1 + 10 * bps) * (1 + 15 * bps); // 99.2476485
const xB1 = 50.5 * (1 - 10 * bps) * (1 - 15 * bps); // 50.37382575
const comm1 = 10 * bps * (qA * eA1 + qB * eB1 + qA * xA1 + qB * xB1); // commission on all four fills
const gross1 = -qA * (xA1 - eA1) + qB * (xB1 - eB1); // 55.24515 + 54.75515
const pnl1 = gross1 - comm1 + swap1; // ≈ 54.92575

// Trade 2, LONG_SPREAD. Entry at Thu 20:00 (×1): buy A, sell B.
const eA2 = 100 * (1 + 10 * bps) * (1 + 10 * bps); // 100.2001
const eB2 = 50 * (1 - 10 * bps) * (1 - 10 * bps); // 49.90005
// Swap Thu 21:00 ×1: A long −10 bps on 100 × 100.5, B short +5 bps on 200 × 50.
const swap2 = -10 * bps * qA * 100.5 + 5 * bps * qB * 50; // −10.05 + 5 = −5.05
const xA2 = 101 * (1 - 10 * bps) * (1 - 15 * bps); // 100.7476515
const xB2 = 50 * (1 + 10 * bps) * (1 + 15 * bps); // 50.125075
const comm2 = 10 * bps * (qA * eA2 + qB * eB2 + qA * xA2 + qB * xB2);
const gross2 = qA * (xA2 - eA2) - qB * (xB2 - eB2); // 54.75515 − 45.005
const pnl2 = gross2 - comm2 + swap2;

describe('runBacktest: two hand-computed trades', () => {
  const pair = testPair();
  const result = runBacktest({
    pairs: [pairInput(pair, { ts, closeA, closeB, z })],
    config,
    timeframe: '1h',
    costTable,
    latencyBars: 0,
    initialCapitalUsd: 100_000,
  });

  it('fills, costs, swaps and P&L of each trade', () => {
    expect(result.trades).toHaveLength(2);
    const [t1, t2] = result.trades;
    expect(t1).toMatchObject({
      trade_id: 1,
      pair_id: 'SYNA_SYNB',
      side: 'SHORT_SPREAD',
      ts_entry: wed + 21 * H,
      ts_exit: wed + 23 * H,
      qty_A: -1,
      qty_B: 2,
      z_at_entry: 2.5,
      z_at_exit: 0.3,
      return_prob: 0.8,
      risk_score: 0.1,
      exit_reason: 'z_exit',
    });
    expect(t1!.price_A_entry).toBeCloseTo(eA1, 10);
    expect(t1!.price_B_entry).toBeCloseTo(eB1, 10);
    expect(t1!.price_A_exit).toBeCloseTo(xA1, 10);
    expect(t1!.price_B_exit).toBeCloseTo(xB1, 10);
    expect(t1!.swap).toBeCloseTo(swap1, 9);
    expect(t1!.cost_commission).toBeCloseTo(comm1, 9);
    // attribution: half-spread 10 bps of mid on each fill; slippage 10 bps at 21:00, 15 bps at 23:00, on p1
    expect(t1!.cost_spread).toBeCloseTo(10 * bps * (qA * 100 + qB * 50 + qA * 99 + qB * 50.5), 9);
    expect(t1!.cost_slippage).toBeCloseTo(
      qA * 100 * (1 - 10 * bps) * 10 * bps +
        qB * 50 * (1 + 10 * bps) * 10 * bps +
        qA * 99 * (1 + 10 * bps) * 15 * bps +
        qB * 50.5 * (1 - 10 * bps) * 15 * bps,
      9,
    );
    expect(t1!.pnl).toBeCloseTo(pnl1, 9);
    expect(pnl1).toBeCloseTo(54.92575, 4);

    expect(t2).toMatchObject({
      trade_id: 2,
      side: 'LONG_SPREAD',
      ts_entry: thu + 20 * H,
      ts_exit: thu + 23 * H,
      qty_A: 1,
      qty_B: -2,
      exit_reason: 'z_exit',
    });
    expect(t2!.swap).toBeCloseTo(swap2, 9);
    expect(t2!.cost_commission).toBeCloseTo(comm2, 9);
    expect(t2!.pnl).toBeCloseTo(pnl2, 9);
  });

  it('per-bar equity: commission at the fill, swap when charged, marks at each close', () => {
    const e = Array.from(result.equityUsd);
    expect(Array.from(result.timesMs)).toEqual(ts);
    expect(e[0]).toBe(100_000);
    const comm1Entry = 10 * bps * (qA * eA1 + qB * eB1);
    // i1: filled at its close: −commission, marked at 100 / 50 against the executed prices
    expect(e[1]).toBeCloseTo(100_000 - comm1Entry - qA * (100 - eA1) + qB * (50 - eB1), 9);
    // i2: + the triple swap; marks 99.5 / 50
    expect(e[2]).toBeCloseTo(100_000 - comm1Entry + swap1 - qA * (99.5 - eA1) + qB * (50 - eB1), 9);
    expect(e[3]).toBeCloseTo(100_000 + pnl1, 9);
    expect(e[7]).toBeCloseTo(100_000 + pnl1 + pnl2, 9);
    expect(result.actions.SYNA_SYNB).toEqual(Int8Array.from([0, 1, 3, 2, 1, 3, 3, 2]));
  });

  it('counts and KPIs', () => {
    expect(result.filter).toEqual({ candidates: 2, passTheta1: 2, passTheta2: 2, rejectedByAi: 0 });
    expect(result.stops).toEqual({ riskStops: 0, wouldHaveReverted: 0 });
    expect(result.skips).toEqual({});
    expect(result.kpis.trades).toBe(2);
    expect(result.kpis.winRate).toBe(0.5);
  });
});
