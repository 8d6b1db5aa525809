// Every SPEC §7 KPI on hand-made daily equity curves, with the arithmetic in comments, and the edge cases.
import { describe, expect, it } from 'vitest';
import {
  computeKpis,
  dailyEquity,
  filterRates,
  falseStopRate,
  losingStreaks,
  maxDrawdown,
  maxDrawdownOfReturns,
  sharpeRatio,
  type DailyEquity,
  type Trade,
} from '../../../src/backtest/kpis/index.js';

const DAY = 86_400_000;
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
const daily = (days: string[], equity: number[]): DailyEquity => ({
  dayMs: Float64Array.from(days, day),
  equity: Float64Array.from(equity),
});

describe('dailyEquity', () => {
  it('keeps the last bar of each UTC day, splits at midnight and leaves days without bars out', () => {
    const H = 3_600_000;
    const t0 = Date.parse('2024-03-01T22:00:00Z');
    // 22:00 and 23:00 on Mar 1; 00:00 and 01:00 on Mar 2; nothing on Mar 3; 05:00 on Mar 4.
    const times = [t0, t0 + H, t0 + 2 * H, t0 + 3 * H, Date.parse('2024-03-04T05:00:00Z')];
    const d = dailyEquity(times, [100, 101, 102, 103, 104]);
    expect(Array.from(d.dayMs)).toEqual([day('2024-03-01'), day('2024-03-02'), day('2024-03-04')]);
    expect(Array.from(d.equity)).toEqual([101, 103, 104]);
  });

  it('puts a bar at exactly 00:00 UTC into the new day and rejects decreasing times', () => {
    const d = dailyEquity([day('2024-03-02') - 1, day('2024-03-02')], [1, 2]);
    expect(Array.from(d.equity)).toEqual([1, 2]);
    expect(() => dailyEquity([2, 1], [1, 1])).toThrow(RangeError);
    expect(() => dailyEquity([1], [1, 2])).toThrow(RangeError);
  });
});

describe('computeKpis on a hand-made curve', () => {
  // C = 100; closes Tue 30 Jan, Wed 31 Jan, Thu 1 Feb, Fri 2 Feb 2024: 110, 99, 99, 108.9.
  const curve = daily(['2024-01-30', '2024-01-31', '2024-02-01', '2024-02-02'], [110, 99, 99, 108.9]);
  // Trades in exit order have P&L +10, −5, −6, 0, −1, −2, −3, +4; given shuffled to test the exit-order sort.
  const pnlByExit = [10, -5, -6, 0, -1, -2, -3, 4];
  const trades: Trade[] = pnlByExit.map((pnlUsd, i) => ({
    entryMs: day('2024-01-30') + i * 3_600_000,
    exitMs: day('2024-01-30') + (i + 1) * 3_600_000,
    pnlUsd,
  }));
  const shuffled = [trades[5]!, trades[0]!, trades[7]!, trades[2]!, trades[1]!, trades[6]!, trades[3]!, trades[4]!];
  const k = computeKpis({
    daily: curve,
    trades: shuffled,
    initialCapitalUsd: 100,
    filter: { candidates: 200, passTheta1: 150, passTheta2: 160, rejectedByAi: 70 },
    stops: { riskStops: 20, wouldHaveReverted: 3 },
  });

  it('daily returns give annual simple return, Sharpe and PnL σ', () => {
    // r = 110/100−1 = 0.1, 99/110−1 = −0.1, 99/99−1 = 0, 108.9/99−1 = 0.1; mean = 0.1/4 = 0.025.
    expect(k.annualReturnSimple).toBeCloseTo(0.025 * 252, 12); // 6.3
    // deviations 0.075, −0.125, −0.025, 0.075; squares sum 0.005625+0.015625+0.000625+0.005625 = 0.0275;
    // var = 0.0275/3 = 0.0091667, std = 0.0957427; Sharpe = 0.025/0.0957427·√252 = 4.1450957.
    expect(k.sharpe).toBeCloseTo((0.025 / Math.sqrt(0.0275 / 3)) * Math.sqrt(252), 10);
    expect(k.sharpe).toBeCloseTo(4.1450957, 6);
    // daily P&L 10, −11, 0, 9.9; mean 2.225; squared deviations 60.450625+174.900625+4.950625+58.905625 = 299.2075;
    // σ = √(299.2075/3) = 9.9867829.
    expect(k.pnlSigmaUsd).toBeCloseTo(Math.sqrt(299.2075 / 3), 10);
  });

  it('MaxDD, compound return and Calmar', () => {
    // Peak 110 (day 1), trough 99: 11/110 = 0.1.
    expect(k.maxDrawdown).toBeCloseTo(0.1, 14);
    // Span: 00:00 30 Jan to 24:00 2 Feb = 4 days = 4/365.25 years; CAGR = 1.089^(365.25/4) − 1 = 2403.96.
    expect(k.years).toBeCloseTo(4 / 365.25, 15);
    expect(k.annualReturnCompound).toBeCloseTo(Math.pow(1.089, 365.25 / 4) - 1, 6);
    expect(k.annualReturnCompound / 2403.962285614).toBeCloseTo(1, 9);
    expect(k.calmar).toBeCloseTo(k.annualReturnCompound / 0.1, 6);
  });

  it('trade KPIs: E/trade, trades per year, win rate, losing streaks', () => {
    expect(k.trades).toBe(8);
    // Σ P&L = 10−5−6+0−1−2−3+4 = −3; mean −0.375; / C = −0.00375.
    expect(k.ePerTrade).toBeCloseTo(-0.00375, 15);
    // 8 trades / (4/365.25) years = 730.5.
    expect(k.tradesPerYear).toBeCloseTo(730.5, 9);
    // Wins (> 0): 10 and 4 → 2/8; the zero trade is not a win.
    expect(k.winRate).toBe(0.25);
    // Exit order: [−5, −6] a run of 2, the 0 ends it, [−1, −2, −3] a run of 3.
    expect(k.losingStreaks).toEqual([
      { length: 2, count: 1 },
      { length: 3, count: 1 },
    ]);
    expect(k.maxLosingStreak).toBe(3);
  });

  it('monthly win rate: January 99/100 − 1 < 0, February 108.9/99 − 1 > 0', () => {
    expect(k.months).toBe(2);
    expect(k.monthlyWinRate).toBe(0.5);
  });

  it('filter and stop rates from counts', () => {
    // 70/200 rejected; 150/200 pass θ1; 160/200 pass θ2; 3 of 20 risk stops would have reverted.
    expect([k.haltRate, k.theta1PassRate, k.theta2PassRate]).toEqual([0.35, 0.75, 0.8]);
    expect(k.riskStops).toBe(20);
    expect(k.falseStopRate).toBe(0.15);
  });
});

describe('computeKpis edge cases', () => {
  it('no trades: E/trade and win rate NaN, 0 trades per year, no streaks; no counts → NaN rates', () => {
    const k = computeKpis({
      daily: daily(['2024-01-02', '2024-01-03'], [101, 102]),
      trades: [],
      initialCapitalUsd: 100,
    });
    expect(k.ePerTrade).toBeNaN();
    expect(k.winRate).toBeNaN();
    expect(k.tradesPerYear).toBe(0);
    expect(k.losingStreaks).toEqual([]);
    expect(k.maxLosingStreak).toBe(0);
    expect(k.haltRate).toBeNaN();
    expect(k.falseStopRate).toBeNaN();
  });

  it('flat equity: Sharpe NaN (not Infinity), MaxDD 0, Calmar NaN, returns 0, no winning month', () => {
    const k = computeKpis({
      daily: daily(['2024-01-02', '2024-01-03', '2024-01-04'], [100, 100, 100]),
      trades: [],
      initialCapitalUsd: 100,
    });
    expect(k.sharpe).toBeNaN();
    expect(k.maxDrawdown).toBe(0);
    expect(k.calmar).toBeNaN();
    expect(k.annualReturnSimple).toBe(0);
    expect(k.annualReturnCompound).toBe(0);
    expect(k.pnlSigmaUsd).toBe(0);
    expect(k.monthlyWinRate).toBe(0);
  });

  it('a single day: one return 0.01, Sharpe and PnL σ NaN, CAGR over 1/365.25 year', () => {
    const k = computeKpis({
      daily: daily(['2024-01-02'], [101]),
      trades: [{ entryMs: 0, exitMs: 1, pnlUsd: 1 }],
      initialCapitalUsd: 100,
    });
    expect(k.days).toBe(1);
    expect(k.annualReturnSimple).toBeCloseTo(2.52, 12); // 0.01 × 252
    expect(k.annualReturnCompound).toBeCloseTo(Math.pow(1.01, 365.25) - 1, 9); // 36.8775
    expect(k.sharpe).toBeNaN();
    expect(k.pnlSigmaUsd).toBeNaN();
    expect(k.maxDrawdown).toBe(0);
    expect(k.tradesPerYear).toBeCloseTo(365.25, 9);
    expect(k.monthlyWinRate).toBe(1);
  });

  it('a loss on the first day is a drawdown from the initial capital; ruin compounds to −100%', () => {
    const k = computeKpis({ daily: daily(['2024-01-02', '2024-01-03'], [90, 0]), trades: [], initialCapitalUsd: 100 });
    expect(k.maxDrawdown).toBe(1);
    expect(k.annualReturnCompound).toBe(-1);
    expect(
      computeKpis({ daily: daily(['2024-01-02'], [95]), trades: [], initialCapitalUsd: 100 }).maxDrawdown,
    ).toBeCloseTo(0.05, 15);
  });

  it('rejects empty curves, non-positive capital and unordered days', () => {
    expect(() => computeKpis({ daily: daily([], []), trades: [], initialCapitalUsd: 100 })).toThrow(RangeError);
    expect(() => computeKpis({ daily: daily(['2024-01-02'], [1]), trades: [], initialCapitalUsd: 0 })).toThrow(
      RangeError,
    );
    expect(() =>
      computeKpis({ daily: daily(['2024-01-03', '2024-01-02'], [1, 1]), trades: [], initialCapitalUsd: 1 }),
    ).toThrow(RangeError);
  });
});

describe('building blocks', () => {
  it('Sharpe of a constant-return series is NaN, also when compounding adds rounding noise', () => {
    expect(sharpeRatio(new Float64Array(50).fill(0.01))).toBeNaN();
    const e = Array.from({ length: 60 }, (_, i) => 100 * Math.pow(1.003, i + 1));
    const days = Array.from({ length: 60 }, (_, i) => new Date(day('2024-01-01') + i * DAY).toISOString().slice(0, 10));
    expect(computeKpis({ daily: daily(days, e), trades: [], initialCapitalUsd: 100 }).sharpe).toBeNaN();
    expect(sharpeRatio([0.01])).toBeNaN();
  });

  it('MaxDD of a known path: 100, 120, 90, 130, 65, 140 → max(30/120, 65/130) = 0.5', () => {
    const path = [100, 120, 90, 130, 65, 140];
    expect(maxDrawdown(path)).toBe(0.5);
    const r = path.slice(1).map((v, i) => v / path[i]! - 1);
    expect(maxDrawdownOfReturns(r)).toBeCloseTo(0.5, 14);
    expect(maxDrawdown([1, 2, 3])).toBe(0);
  });

  it('losing streaks end on zero or positive P&L and at the end of the list', () => {
    expect(losingStreaks([-1, -1, 1, -1, 0, -1, -1])).toEqual([
      { length: 1, count: 1 },
      { length: 2, count: 2 },
    ]);
    expect(losingStreaks([])).toEqual([]);
  });

  it('filter/stop rates: NaN with a zero denominator, counts validated', () => {
    expect(filterRates({ candidates: 0, passTheta1: 0, passTheta2: 0, rejectedByAi: 0 }).haltRate).toBeNaN();
    expect(falseStopRate({ riskStops: 0, wouldHaveReverted: 0 })).toBeNaN();
    expect(() => filterRates({ candidates: 5, passTheta1: 6, passTheta2: 0, rejectedByAi: 0 })).toThrow(RangeError);
    expect(() => falseStopRate({ riskStops: 2.5, wouldHaveReverted: 0 })).toThrow(RangeError);
  });
});
