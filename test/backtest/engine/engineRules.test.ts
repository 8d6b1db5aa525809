// runBacktest behaviour: no look-ahead, rule-only mode, latency, risk stops, DD flatten, skips, currency.
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/backtest/engine.js';
import type { BacktestInput, BacktestPairInput } from '../../../src/backtest/backtestTypes.js';
import { SeededRng } from '../../../src/core/rng.js';
import { isPtError } from '../../../src/core/ptError.js';
import { F } from '../../../src/features/featureNames.js';
import { config, costTable, pairInput, RANDOM_PARAMS, randomColumns, testPair, type Columns } from './enginePairs.js';
import { pairOf } from '../../decision/config.js';
import { summarizeRun } from '../../../src/backtest/summarizeRun.js';

const H = 3_600_000;
const start = Date.parse('2024-01-01T00:00:00Z');

function twoRandomPairs(n: number): BacktestPairInput[] {
  const rng = new SeededRng(7);
  return [
    pairInput(testPair('SYNA_SYNB'), randomColumns(rng, n, start)),
    pairInput(testPair('SYNC_SYND'), randomColumns(rng, n, start)),
  ];
}

/** Overwrites every input column of a pair after bar t with other values. */
function perturbAfter(p: BacktestPairInput, t: number, rng: SeededRng): void {
  for (let i = t + 1; i < p.ts.length; i++) {
    p.a.close[i] = p.a.close[i]! * (1 + 0.05 * rng.gaussian());
    p.b.close[i] = p.b.close[i]! * (1 + 0.05 * rng.gaussian());
    p.features.columns[F.z]![i] = 3 * rng.gaussian();
    p.features.columns[F.delta_z]![i] = rng.gaussian();
    p.features.columns[F.beta]![i] = rng.next() * 2;
    p.returnProb![i] = rng.next();
    p.riskScore![i] = rng.next();
    p.tradable![i] = rng.next() < 0.5 ? 1 : 0;
  }
}

describe('runBacktest: no look-ahead', () => {
  for (const latencyBars of [0, 1]) {
    it(`perturbing bars after t leaves decisions and equity at or before t unchanged (latency ${latencyBars})`, () => {
      // Loose θ for many trades, and a small capital so that the portfolio and pair DD levels are all visited.
      const base = (): BacktestInput => ({
        pairs: twoRandomPairs(3000),
        config,
        timeframe: '1h',
        costTable,
        latencyBars,
        initialCapitalUsd: 20_000,
        params: { ...RANDOM_PARAMS, theta1: 0.2, theta2: 0.5 },
      });
      const ref = runBacktest(base());
      expect(ref.trades.length).toBeGreaterThan(20);
      expect(ref.ddBars[1] + ref.ddBars[2]).toBeGreaterThan(0);
      expect(Object.values(ref.pairDdBars).some((b) => b[3] > 0)).toBe(true);
      for (const t of [400, 1500, 2600]) {
        const input = base();
        const rng = new SeededRng(t);
        for (const p of input.pairs) perturbAfter(p, t, rng);
        const run = runBacktest(input);
        // both pairs share one timeline, so merged index = bar index
        expect(Array.from(run.equityUsd.subarray(0, t + 1))).toEqual(Array.from(ref.equityUsd.subarray(0, t + 1)));
        for (const id of ['SYNA_SYNB', 'SYNC_SYND'])
          expect(Array.from(run.actions[id]!.subarray(0, t + 1))).toEqual(
            Array.from(ref.actions[id]!.subarray(0, t + 1)),
          );
        // the perturbation did reach the run after t
        expect(Array.from(run.equityUsd.subarray(t + 1)).some((v, j) => v !== ref.equityUsd[t + 1 + j])).toBe(true);
      }
    });
  }
});

describe('runBacktest: rule-only', () => {
  it('without predictions: ruleOnly trades every candidate, the θ rule trades none', () => {
    const withoutPreds = (): BacktestPairInput[] =>
      twoRandomPairs(2000).map((p) => ({ ...p, returnProb: undefined, riskScore: undefined }));
    const rule = runBacktest({
      pairs: withoutPreds(),
      config,
      timeframe: '1h',
      costTable,
      ruleOnly: true,
      params: RANDOM_PARAMS,
    });
    expect(rule.trades.length).toBeGreaterThan(5);
    expect(rule.filter.rejectedByAi).toBe(0);
    expect(rule.filter.passTheta1).toBe(rule.filter.candidates);
    expect(rule.kpis.haltRate).toBe(0);
    const ai = runBacktest({ pairs: withoutPreds(), config, timeframe: '1h', costTable, params: RANDOM_PARAMS });
    expect(ai.trades).toHaveLength(0);
    expect(ai.filter.rejectedByAi).toBe(ai.filter.candidates);
    expect(ai.filter.candidates).toBeGreaterThan(0);
  });

  it('with predictions, the θ filters reject some candidates and pass rates follow the counts', () => {
    const r = runBacktest({ pairs: twoRandomPairs(3000), config, timeframe: '1h', costTable, params: RANDOM_PARAMS });
    const f = r.filter;
    expect(f.rejectedByAi).toBeGreaterThan(0);
    expect(f.rejectedByAi).toBeLessThan(f.candidates);
    expect(r.kpis.haltRate).toBeCloseTo(f.rejectedByAi / f.candidates, 12);
    expect(r.kpis.theta1PassRate).toBeCloseTo(f.passTheta1 / f.candidates, 12);
  });
});

// A small scripted pair: Tue 2024-07-09, bars from 10:00 UTC.
const day = Date.parse('2024-07-09T10:00:00Z');
function scripted(c: Partial<Columns> & { z: number[] }): Columns {
  const n = c.z.length;
  return {
    ts: Array.from({ length: n }, (_, i) => day + i * H),
    closeA: new Array<number>(n).fill(100),
    closeB: new Array<number>(n).fill(50),
    ...c,
  };
}

describe('runBacktest: fills and exits', () => {
  it("latency 1 fills at the next bar close, with that bar's price", () => {
    const cols = scripted({ z: [0, 2.5, 1, 0.2, 0], closeA: [100, 100, 101, 102, 103] });
    const r = runBacktest({ pairs: [pairInput(testPair(), cols)], config, timeframe: '1h', costTable, latencyBars: 1 });
    expect(r.trades).toHaveLength(1);
    const t = r.trades[0]!;
    expect(t.ts_entry).toBe(day + 3 * H); // decided at the close of bar 1 (12:00), filled at the close of bar 2 (13:00)
    expect(t.price_A_entry).toBeCloseTo(101 * (1 - 10e-4) * (1 - 10e-4), 10);
    expect(t.ts_exit).toBe(day + 5 * H); // exit decided at bar 3, filled at bar 4's close
    expect(t.price_A_exit).toBeCloseTo(103 * (1 + 10e-4) * (1 + 10e-4), 10);
  });

  it('risk stop closes, is counted, and a later reversion inside M counts as a false stop', () => {
    const cols = scripted({ z: [0, 2.5, 2.4, 1.0, 0.3], risk: [0.1, 0.1, 0.5, 0.1, 0.1] });
    const r = runBacktest({ pairs: [pairInput(testPair(), cols)], config, timeframe: '1h', costTable });
    expect(r.trades.map((t) => t.exit_reason)).toEqual(['risk_stop']);
    expect(r.stops).toEqual({ riskStops: 1, wouldHaveReverted: 1 });
    const rule = runBacktest({
      pairs: [pairInput(testPair(), cols)],
      config,
      timeframe: '1h',
      costTable,
      ruleOnly: true,
    });
    expect(rule.trades.map((t) => t.exit_reason)).toEqual(['z_exit']); // no θ_stop in rule-only mode
  });

  it('a position open at the last bar is closed there; an unsizeable entry is skipped and counted', () => {
    const cols = scripted({ z: [0, 2.5, 2.4, 2.6, -2.5, -2.4], beta: [1, Number.NaN, 1, 1, 1, 1] });
    const r = runBacktest({ pairs: [pairInput(testPair(), cols)], config, timeframe: '1h', costTable });
    expect(r.skips).toEqual({ invalid_beta: 1 });
    // bars 2 and 3 continue the event that started at bar 1 (suppressed): no entry there; bar 4 starts
    // an opposite event, which enters and is still open at the last bar
    expect(r.trades.map((t) => [t.side, t.exit_reason])).toEqual([['LONG_SPREAD', 'end_of_data']]);
    expect(r.trades[0]!.ts_entry).toBe(day + 5 * H);
  });

  it('the session gate: no entry at a bar that is not tradable, and the event it starts is not entered later', () => {
    const cols = scripted({ z: [0, 2.5, 2.4, 0.2, -2.5, 0.1], tradable: [1, 0, 1, 1, 1, 1] });
    const r = runBacktest({ pairs: [pairInput(testPair(), cols)], config, timeframe: '1h', costTable });
    // bar 2 continues bar 1's event (suppressed): not an event start; bar 4 starts a new one
    expect(Array.from(r.actions.SYNA_SYNB!)).toEqual([0, 0, 0, 0, 1, 2]);
    expect(r.filter.candidates).toBe(1);
  });

  it('a DQ-filled bar is never traded: the exit due on it is taken at the next real bar', () => {
    const cols = scripted({ z: [0, 2.5, 1, 0.2, 1.5, 1.6], closeA: [100, 100, 100, 100, 101, 102] });
    const filled = Uint8Array.from([0, 0, 0, 1, 0, 0]);
    const r = runBacktest({ pairs: [{ ...pairInput(testPair(), cols), filled }], config, timeframe: '1h', costTable });
    expect(Array.from(r.actions.SYNA_SYNB!)).toEqual([0, 1, 3, 3, 2, 0]);
    expect(r.trades.map((t) => [t.exit_reason, t.ts_exit])).toEqual([['z_exit', day + 5 * H]]);
    expect(r.trades[0]!.price_A_exit).toBeCloseTo(101 * (1 + 10e-4) * (1 + 10e-4), 10);
    // with latency 1, an order due on a filled bar waits for the next real bar's close
    const late = runBacktest({
      pairs: [
        {
          ...pairInput(testPair(), scripted({ z: [0, 2.5, 1, 1.2, 0.2, 0.1], closeA: [100, 100, 100, 103, 104, 105] })),
          filled: Uint8Array.from([0, 0, 1, 0, 0, 0]),
        },
      ],
      config,
      timeframe: '1h',
      costTable,
      latencyBars: 1,
    });
    expect(late.trades.map((t) => [t.ts_entry, t.ts_exit])).toEqual([[day + 4 * H, day + 6 * H]]);
    expect(late.trades[0]!.price_A_entry).toBeCloseTo(103 * (1 - 10e-4) * (1 - 10e-4), 10);
    // an event starting on a filled bar is not entered
    const start = runBacktest({
      pairs: [{ ...pairInput(testPair(), scripted({ z: [0, 2.5, 2.6, 0.2] })), filled: Uint8Array.from([0, 1, 0, 0]) }],
      config,
      timeframe: '1h',
      costTable,
    });
    expect(Array.from(start.actions.SYNA_SYNB!)).toEqual([0, 0, 0, 0]);
  });

  it('computes tradability from the calendars when not given: nothing enters at the Friday weekly close (17:00 New York)', () => {
    const fri = Date.parse('2024-07-12T19:00:00Z'); // summer: the week closes at 21:00 UTC
    const run = (z: number[]) => {
      const p = pairInput(testPair(), { ts: [fri, fri + H], closeA: [100, 100], closeB: [50, 50], z });
      return runBacktest({ pairs: [{ ...p, tradable: undefined }], config, timeframe: '1h', costTable });
    };
    // the 19:00 bar closes at 20:00 (16:00 New York), inside the session: it opens; the exit due on
    // the 20:00 bar, which closes into the weekly close, waits for the market to reopen
    expect(Array.from(run([2.5, 0]).actions.SYNA_SYNB!)).toEqual([1, 3]);
    const sun = Date.parse('2024-07-14T21:00:00Z'); // Sunday 17:00 New York: the week reopens
    const p = pairInput(testPair(), {
      ts: [fri, fri + H, sun],
      closeA: [100, 100, 101],
      closeB: [50, 50, 50],
      z: [2.5, 0, 1],
    });
    const reopen = runBacktest({ pairs: [{ ...p, tradable: undefined }], config, timeframe: '1h', costTable });
    expect(Array.from(reopen.actions.SYNA_SYNB!)).toEqual([1, 3, 2]);
    expect(reopen.trades.map((t) => [t.exit_reason, t.ts_exit])).toEqual([['z_exit', sun + H]]);
    // the 20:00 bar closes at 21:00 UTC, 17:00 New York: the weekly close, no entry, not even a candidate
    const late = run([0, 2.5]);
    expect(Array.from(late.actions.SYNA_SYNB!)).toEqual([0, 0]);
    expect(late.filter.candidates).toBe(0);
  });
});

describe('runBacktest: DD policy', () => {
  it('a loss past dd_flatten flattens at the very bar close it is marked at, and blocks entries while the drawdown lasts', () => {
    const wed = Date.parse('2024-07-10T20:00:00Z');
    const cols: Columns = {
      ts: [wed, wed + H, wed + 5 * H, wed + 6 * H, wed + 7 * H],
      closeA: [100, 110, 110, 110, 110],
      closeB: [50, 50, 50, 50, 50],
      z: [2.5, 2.6, 2.6, 0, 2.5],
    };
    // SHORT_SPREAD 1 lot of A (100 units) from ≈100: −1000 USD at 110 on 5000 capital → dd ≈ 20% ≥ 12%
    const r = runBacktest({
      pairs: [pairInput(testPair(), cols)],
      config,
      timeframe: '1h',
      costTable,
      initialCapitalUsd: 5000,
    });
    expect(Array.from(r.actions.SYNA_SYNB!)).toEqual([1, 4, 0, 0, 0]);
    expect(r.trades[0]!.exit_reason).toBe('flatten');
    expect(r.trades[0]!.ts_exit).toBe(wed + 2 * H);
    expect(r.ddBars).toEqual([1, 0, 0, 4]);
    expect(r.pairDdBars.SYNA_SYNB).toEqual([1, 0, 0, 4]);
  });
});

describe('runBacktest: manual ops flags', () => {
  it('halt blocks every entry, flatten too; leverage_scale halves the lots', () => {
    const cols = scripted({ z: [0, 2.5, 1, 0.2] });
    const run = (ops: { allowEntries: boolean; flatten: boolean; leverageScale: number }) =>
      runBacktest({ pairs: [pairInput(testPair(), cols)], config, timeframe: '1h', costTable, ops });
    expect(run({ allowEntries: false, flatten: false, leverageScale: 1 }).trades).toHaveLength(0);
    expect(run({ allowEntries: true, flatten: true, leverageScale: 1 }).trades).toHaveLength(0);
    const half = run({ allowEntries: true, flatten: false, leverageScale: 0.5 });
    expect([half.trades[0]!.qty_A, half.trades[0]!.qty_B]).toEqual([-0.5, 1]);
  });
});

describe('runBacktest: currency', () => {
  it('a leg quoted in another currency needs a rate: missing → PtError; given → P&L converted', () => {
    const cols = scripted({ z: [0, 2.5, 1, 0.2], closeB: [5000, 5000, 5000, 5100] });
    const pair = testPair('SYNA_SYNJPY', 'JPY');
    let error: unknown;
    try {
      runBacktest({ pairs: [pairInput(pair, cols)], config, timeframe: '1h', costTable });
    } catch (e) {
      error = e;
    }
    expect(isPtError(error) && error.id).toBe('DATA_INPUT_MISSING');
    const r = runBacktest({
      pairs: [pairInput(pair, cols)],
      config,
      timeframe: '1h',
      costTable,
      conversionRate: () => 0.01,
    });
    // B at 5000 JPY = 50 USD: 2 lots as in the USD pair; B rose 100 JPY = 1 USD a unit, long B
    expect(r.trades[0]!.qty_B).toBe(2);
    const usd = runBacktest({
      pairs: [pairInput(testPair(), scripted({ z: [0, 2.5, 1, 0.2], closeB: [50, 50, 50, 51] }))],
      config,
      timeframe: '1h',
      costTable,
    });
    expect(r.trades[0]!.pnl).toBeCloseTo(usd.trades[0]!.pnl, 8);
  });
});

describe('runBacktest: leg sides follow SPEC §3.1 (β < 0 hedges with the same side)', () => {
  const zero: typeof costTable = {
    defaults: {
      commission_bps: 0,
      slippage_bps: 0,
      spread_bps: 0,
      swap: { long_bps_day: 0, short_bps_day: 0, rollover_day: 'WED', time_utc: '21:00' },
    },
    overrides: {},
    time_of_day_multipliers: {},
  };
  // LONG_SPREAD entered at bar 1 (z −2.5), closed at bar 3 (|z| ≤ 0.5); A 100 → 101, B 50 → 51.
  const cols = (beta: number) =>
    scripted({
      z: [0, -2.5, -1, 0.2],
      beta: [beta, beta, beta, beta],
      closeA: [100, 100, 100.5, 101],
      closeB: [50, 50, 50.5, 51],
    });

  it('β = −0.5: long spread is long A and long B; the P&L is hand-computed', () => {
    const r = runBacktest({ pairs: [pairInput(testPair(), cols(-0.5))], config, timeframe: '1h', costTable: zero });
    expect(r.trades).toHaveLength(1);
    const t = r.trades[0]!;
    // N_A = 10 000 USD: 10 000 / (100 × 100) = 1 lot of A; N_B = 0.5 × 10 000 = 5 000 USD: 5 000 / (50 × 100) = 1 lot of B
    expect([t.side, t.qty_A, t.qty_B]).toEqual(['LONG_SPREAD', 1, 1]);
    // A: +1 lot × 100 units × (101 − 100) = +100 USD; B: +1 lot × 100 units × (51 − 50) = +100 USD
    expect(t.pnl).toBeCloseTo(200, 10);
  });

  it("flipping the sign of β flips B's side and nothing else", () => {
    const neg = runBacktest({ pairs: [pairInput(testPair(), cols(-0.5))], config, timeframe: '1h', costTable: zero });
    const pos = runBacktest({ pairs: [pairInput(testPair(), cols(0.5))], config, timeframe: '1h', costTable: zero });
    expect(Array.from(pos.actions.SYNA_SYNB!)).toEqual(Array.from(neg.actions.SYNA_SYNB!));
    const [n, p] = [neg.trades[0]!, pos.trades[0]!];
    expect([p.side, p.qty_A, p.qty_B, p.ts_entry, p.ts_exit]).toEqual([
      n.side,
      n.qty_A,
      -n.qty_B,
      n.ts_entry,
      n.ts_exit,
    ]);
    // A earns +100 either way; short B loses 100 where long B made 100
    expect(p.pnl).toBeCloseTo(0, 10);
    // on random data too: same actions, same A lots, B lots negated
    const rng = () => new SeededRng(5);
    const a = randomColumns(rng(), 3000, start);
    const b = randomColumns(rng(), 3000, start);
    b.beta = b.beta.map((x) => -x);
    const ra = runBacktest({
      pairs: [pairInput(testPair(), a)],
      config,
      timeframe: '1h',
      costTable,
      ruleOnly: true,
      params: RANDOM_PARAMS,
      initialCapitalUsd: 1e8,
    });
    const rb = runBacktest({
      pairs: [pairInput(testPair(), b)],
      config,
      timeframe: '1h',
      costTable,
      ruleOnly: true,
      params: RANDOM_PARAMS,
      initialCapitalUsd: 1e8,
    });
    expect(ra.trades.length).toBeGreaterThan(10);
    expect(Array.from(rb.actions.SYNA_SYNB!)).toEqual(Array.from(ra.actions.SYNA_SYNB!));
    expect(rb.trades.map((t) => [t.side, t.qty_A, -t.qty_B])).toEqual(ra.trades.map((t) => [t.side, t.qty_A, t.qty_B]));
  });
});

describe('runBacktest: no entry inside a closure or after an early close (calendars)', () => {
  const metals = pairOf('XAUUSD_XAGUSD');
  // Hourly bars from 10:00 New York; an event starts at bar 3, which opens 13:00 and closes 14:00 New York.
  const run = (day: string) => {
    const start = Date.parse(`${day}T15:00:00Z`); // 10:00 EST
    const cols: Columns = {
      ts: [0, 1, 2, 3, 4, 5].map((k) => start + k * H),
      closeA: [2000, 2000, 2000, 2000, 2000, 2000],
      closeB: [20, 20, 20, 20, 20, 20],
      z: [0, 0, 0, 2.5, 1, 0.2],
    };
    const p = pairInput(metals, cols);
    return runBacktest({ pairs: [{ ...p, tradable: undefined }], config, timeframe: '1h', costTable });
  };

  it('MLK Day 2024 (metals halt 13:00 New York): the event start at 14:00 is not entered; the next normal day it is', () => {
    const holiday = run('2024-01-15');
    expect(Array.from(holiday.actions.XAUUSD_XAGUSD!)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(holiday.filter.candidates).toBe(0);
    const normal = run('2024-01-16');
    expect(Array.from(normal.actions.XAUUSD_XAGUSD!)).toEqual([0, 0, 0, 1, 3, 2]);
  });

  it('Good Friday 2024 (metals closed): nothing enters on that trade date', () => {
    const r = run('2024-03-29');
    expect(Array.from(r.actions.XAUUSD_XAGUSD!).some((a) => a === 1)).toBe(false);
  });
});

describe('per-pair KPIs', () => {
  it("are computed like the portfolio's, on the pair's own equity: a one-pair run's pair row equals its portfolio row", () => {
    const rng = new SeededRng(21);
    const r = runBacktest({
      pairs: [pairInput(testPair(), randomColumns(rng, 3000, start))],
      config,
      timeframe: '1h',
      costTable,
      ruleOnly: true,
      params: RANDOM_PARAMS,
      initialCapitalUsd: 100_000,
    });
    expect(r.trades.length).toBeGreaterThan(10);
    const s = summarizeRun(config, r, '1h', 1);
    const pair = s.pairs.find((p) => p.pairId === 'SYNA_SYNB')!;
    for (const k of [
      'sharpe',
      'annualReturnSimple',
      'annualReturnCompound',
      'maxDrawdown',
      'tradesPerYear',
      'winRate',
      'ePerTrade',
      'monthlyWinRate',
    ] as const) {
      expect(pair.kpis![k], k).toBe(s.kpis[k]);
    }
  });
});
