// SPEC §7 DD policy at every bar close: levels without memory, trailing windows of bar marks, pair σ by day.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DD_FLATTEN,
  DD_HALT,
  DD_NORMAL,
  DD_WARN,
  ddLevelFor,
  ddPolicyParamsFrom,
  opsForLevels,
  PairDrawdown,
  PortfolioDrawdown,
  type DdPolicyParams,
} from '../../src/decision/ddPolicy.js';
import { TrailingDays } from '../../src/decision/trailingDays.js';
import { sampleStd } from '../../src/core/sampleStats.js';
import { config } from './config.js';

const shipped = ddPolicyParamsFrom(config.dd_policy, 24);
const H = 3_600_000;
const day0 = Date.parse('2024-03-04T00:00:00Z');

describe('ddPolicyParamsFrom', () => {
  it('reads dd_policy.yaml; the peak window is rolling_window_business_days × bars_per_day bars', () => {
    expect(shipped).toEqual({
      windowDays: 60,
      windowBars: 1440,
      warnPortfolio: 0.08,
      haltPortfolio: 0.1,
      flattenPortfolio: 0.12,
      kWarn: 2.5,
      kHalt: 3.5,
      kFlatten: 4.5,
      leverageScaleOnWarn: 0.5,
      minPairDays: 10,
    });
    expect(ddPolicyParamsFrom(config.dd_policy, 6).windowBars).toBe(360);
  });
});

describe('ddLevelFor', () => {
  it('is the highest threshold reached (inclusive), with no memory; NaN is normal', () => {
    expect(ddLevelFor(0.0799, 0.08, 0.1, 0.12)).toBe(DD_NORMAL);
    expect(ddLevelFor(0.08, 0.08, 0.1, 0.12)).toBe(DD_WARN);
    expect(ddLevelFor(0.1, 0.08, 0.1, 0.12)).toBe(DD_HALT);
    expect(ddLevelFor(0.13, 0.08, 0.1, 0.12)).toBe(DD_FLATTEN);
    expect(ddLevelFor(Number.NaN, 0.08, 0.1, 0.12)).toBe(DD_NORMAL);
  });
});

describe('PortfolioDrawdown at every bar close', () => {
  it('normal → warn → halt → flatten, then lifts by itself as the drawdown falls back (window of 5 bar marks)', () => {
    const p = new PortfolioDrawdown({ ...shipped, windowBars: 5 });
    //            bar:  0    1    2    3    4     5   6
    const levels = [100, 110, 101, 99, 96.8, 99, 99].map((e) => p.onBarClose(e));
    // dd vs the trailing-5 peak: 0, 0, 0.0818, 0.10, 0.12, 0.10 (110 still in the window), 2/101
    expect(levels).toEqual([DD_NORMAL, DD_NORMAL, DD_WARN, DD_HALT, DD_FLATTEN, DD_HALT, DD_NORMAL]);
    expect(p.drawdown).toBeCloseTo(2 / 101, 15);
  });

  it('the starting capital is the mark before the first bar', () => {
    const p = new PortfolioDrawdown(shipped, 100);
    expect(p.onBarClose(91)).toBe(DD_WARN);
    expect(p.drawdown).toBeCloseTo(0.09, 15);
  });

  it('equals a naive recomputation (max of the last L marks) on random paths', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 50, max: 150, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 40 }),
        (path, L) => {
          const p = new PortfolioDrawdown({ ...shipped, windowBars: L }, 100);
          const marks = [100];
          for (const e of path) {
            marks.push(e);
            const level = p.onBarClose(e);
            const peak = Math.max(...marks.slice(-L));
            const dd = Math.max(0, (peak - e) / peak);
            expect(p.drawdown).toBe(dd);
            expect(level).toBe(ddLevelFor(dd, shipped.warnPortfolio, shipped.haltPortfolio, shipped.flattenPortfolio));
          }
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });
});

describe('PairDrawdown at every bar close, σ by day', () => {
  const params: DdPolicyParams = { ...shipped, windowDays: 30, windowBars: 30 * 24, minPairDays: 10 };
  /** Marks a whole UTC day at one cumulative P&L (24 hourly bars). */
  const day = (p: PairDrawdown, d: number, mark: number) => {
    for (let h = 0; h < 24; h++) p.onBarClose(day0 + d * 86_400_000 + h * H, mark);
    return p.level;
  };

  it('σ is the std of the non-zero daily P&L, refreshed only at a day boundary; the bar drawdown is in σ units', () => {
    const p = new PairDrawdown(params);
    // daily P&L alternating +10/−10 with a flat day between each (left out of σ)
    let cum = 0;
    let d = 0;
    for (let k = 1; k <= 20; k++) {
      cum += k % 2 === 1 ? 10 : -10;
      day(p, d++, cum);
      day(p, d++, cum);
    }
    expect(p.level).toBe(DD_NORMAL);
    const sigmaBefore = p.sigmaUsd;
    // the window's 31 day closes hold 15 changes of ±10 at the first boundary of the next day
    expect(sigmaBefore).toBeGreaterThan(10);
    // a 45 USD loss at 10:00 of a new day: the drawdown counts at once, σ does not move until the next day
    const t = day0 + d * 86_400_000;
    for (let h = 0; h < 10; h++) p.onBarClose(t + h * H, cum);
    p.onBarClose(t + 10 * H, cum - 45);
    expect(p.drawdownUsd).toBe(cum === 0 ? 55 : 45);
    expect(p.sigmaUsd).toBe(sigmaBefore);
    expect(p.level).toBe(ddLevelFor(p.drawdownUsd / sigmaBefore, params.kWarn, params.kHalt, params.kFlatten));
  });

  it('no level before minPairDays days with P&L, none for a pair that never traded, and recovery once the high leaves the window', () => {
    const p = new PairDrawdown(params);
    day(p, 0, 50);
    expect(day(p, 1, -500)).toBe(DD_NORMAL);
    const flat = new PairDrawdown(params);
    for (let d = 0; d < 40; d++) day(flat, d, 0);
    expect(flat.level).toBe(DD_NORMAL);
    const q = new PairDrawdown(params);
    let cum = 0;
    for (let d = 0; d < 20; d++) day(q, d, (cum += d % 2 === 0 ? 10 : -10));
    day(q, 20, cum - 100);
    // σ of ±10 days; a 100 USD drawdown from the high of 10 is ≥ 4.5σ
    expect(q.level).toBe(DD_FLATTEN);
    // flat afterwards: the old high of 10 leaves the 720-bar window after 30 days, and the level lifts
    let d = 21;
    while (q.drawdownUsd > 0 && d < 60) day(q, d++, cum - 100);
    expect(q.level).toBe(DD_NORMAL);
    expect(d).toBeLessThanOrEqual(20 + 30 + 1);
  });
});

describe('opsForLevels', () => {
  it('warn shrinks leverage, halt stops entries, flatten closes; the worse of portfolio and pair; manual flags only tighten', () => {
    const out = { allowEntries: true, flatten: false, leverageScale: 1 };
    expect(opsForLevels(DD_NORMAL, DD_NORMAL, shipped, out)).toEqual({
      allowEntries: true,
      flatten: false,
      leverageScale: 1,
      holdExits: false,
    });
    expect(opsForLevels(DD_WARN, DD_NORMAL, shipped, out)).toEqual({
      allowEntries: true,
      flatten: false,
      leverageScale: 0.5,
      holdExits: false,
    });
    expect(opsForLevels(DD_NORMAL, DD_HALT, shipped, out)).toEqual({
      allowEntries: false,
      flatten: false,
      leverageScale: 0.5,
      holdExits: false,
    });
    expect(opsForLevels(DD_FLATTEN, DD_WARN, shipped, out)).toEqual({
      allowEntries: false,
      flatten: true,
      leverageScale: 0.5,
      holdExits: false,
    });
    expect(
      opsForLevels(DD_NORMAL, DD_NORMAL, shipped, out, { allowEntries: false, flatten: false, leverageScale: 0.8 }),
    ).toEqual({ allowEntries: false, flatten: false, leverageScale: 0.8, holdExits: false });
    expect(
      opsForLevels(DD_NORMAL, DD_NORMAL, shipped, out, {
        allowEntries: false,
        flatten: false,
        leverageScale: 1,
        holdExits: true,
      }).holdExits,
    ).toBe(true);
  });
});

describe('TrailingDays', () => {
  it('keeps the last values in order', () => {
    const t = new TrailingDays(3);
    for (const v of [1, 2, 3, 4]) t.push(v);
    expect([t.at(0), t.at(1), t.at(2)]).toEqual([2, 3, 4]);
    expect(t.maxOfLast(2)).toBe(4);
    expect(t.stdOfChanges()).toEqual({ std: 0, changes: 2 });
    t.push(4);
    expect(t.stdOfChanges(true)).toEqual({ std: Number.NaN, changes: 1 });
  });
});

describe('the lazy and reused daily σ', () => {
  const nonZeroChanges = (t: TrailingDays) => {
    const out: number[] = [];
    for (let i = 1; i < t.count; i++) if (t.at(i) - t.at(i - 1) !== 0) out.push(t.at(i) - t.at(i - 1));
    return out;
  };
  // Values drawn from a few levels, so flat days (zero changes) are common, as for a pair without a position.
  const days = fc.array(fc.constantFrom(0, 0, 0, 5, -7.5, 12.25), { minLength: 1, maxLength: 120 });

  it('pushKeepsNonZeroChanges only when the non-zero changes stay the same; stdOfChanges is the naive σ', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), days, (capacity, values) => {
        const t = new TrailingDays(capacity);
        for (const v of values) {
          const before = nonZeroChanges(t);
          const keeps = t.pushKeepsNonZeroChanges(v);
          t.push(v);
          const after = nonZeroChanges(t);
          if (keeps) expect(after).toEqual(before);
          // An added non-zero change is always seen.
          if (t.count > 1 && v - t.at(t.count - 2) !== 0) expect(keeps).toBe(false);
          expect(t.stdOfChanges(true)).toEqual({ std: sampleStd(after), changes: after.length });
        }
      }),
    );
  });

  it('PairDrawdown gives the levels and σ of σ computed afresh at every day boundary', () => {
    const small = { ...shipped, windowDays: 6, windowBars: 6 * 4, minPairDays: 3 };
    fc.assert(
      fc.property(days, fc.integer({ min: 1, max: 6 }), (steps, barsPerDay) => {
        const p = new PairDrawdown(small);
        // The reference: the same rings, σ recomputed at each boundary, the peak over the marks held.
        const ring = new TrailingDays(small.windowDays + 1);
        ring.push(0);
        const marks = [0];
        let sigma = Number.NaN;
        let cum = 0;
        let lastMark = 0;
        for (let b = 0; b < steps.length; b++) {
          const ts = day0 + Math.floor(b / barsPerDay) * 86_400_000 + (b % barsPerDay) * H;
          if (b > 0 && b % barsPerDay === 0) {
            ring.push(lastMark);
            const { std, changes } = ring.stdOfChanges(true);
            sigma = changes >= small.minPairDays ? std : Number.NaN;
          }
          cum += steps[b]!;
          lastMark = cum;
          marks.push(cum);
          const dd = Math.max(0, Math.max(...marks.slice(-small.windowBars)) - cum);
          const level = ddLevelFor(dd === 0 ? 0 : dd / sigma, small.kWarn, small.kHalt, small.kFlatten);
          expect(p.onBarClose(ts, cum)).toBe(level);
          expect(p.drawdownUsd).toBe(dd);
          expect(p.sigmaUsd).toEqual(sigma);
        }
      }),
    );
  });
});
