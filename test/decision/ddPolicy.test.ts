// SPEC §7 DD policy: transitions on scripted equity paths, the trailing window, pair σ levels, ops effects.
import { describe, expect, it } from 'vitest';
import {
  DD_FLATTEN, DD_HALT, DD_NORMAL, DD_WARN, ddPolicyParamsFrom, nextDdLevel, opsForLevels, PairDdPolicy, PortfolioDdPolicy, type DdPolicyParams,
} from '../../src/decision/ddPolicy.js';
import { TrailingDays } from '../../src/decision/trailingDays.js';
import { config } from './config.js';

const shipped = ddPolicyParamsFrom(config.dd_policy);

describe('ddPolicyParamsFrom', () => {
  it('reads dd_policy.yaml', () => {
    expect(shipped).toEqual({ windowDays: 60, warnPortfolio: 0.08, haltPortfolio: 0.1, flattenPortfolio: 0.12, kWarn: 2.5, kHalt: 3.5, kFlatten: 4.5, leverageScaleOnWarn: 0.5, minPairDays: 10 });
  });
});

describe('nextDdLevel', () => {
  it('escalates to the highest crossed level at once, thresholds inclusive', () => {
    expect(nextDdLevel(DD_NORMAL, 0.0799, 0.08, 0.1, 0.12)).toBe(DD_NORMAL);
    expect(nextDdLevel(DD_NORMAL, 0.08, 0.08, 0.1, 0.12)).toBe(DD_WARN);
    expect(nextDdLevel(DD_NORMAL, 0.13, 0.08, 0.1, 0.12)).toBe(DD_FLATTEN);
    expect(nextDdLevel(DD_WARN, 0.1, 0.08, 0.1, 0.12)).toBe(DD_HALT);
  });
  it('recovers only below warn, straight to normal; NaN keeps the level', () => {
    expect(nextDdLevel(DD_HALT, 0.09, 0.08, 0.1, 0.12)).toBe(DD_HALT);
    expect(nextDdLevel(DD_FLATTEN, 0.081, 0.08, 0.1, 0.12)).toBe(DD_FLATTEN);
    expect(nextDdLevel(DD_FLATTEN, 0.079, 0.08, 0.1, 0.12)).toBe(DD_NORMAL);
    expect(nextDdLevel(DD_WARN, Number.NaN, 0.08, 0.1, 0.12)).toBe(DD_WARN);
  });
});

describe('PortfolioDdPolicy on a scripted equity path', () => {
  it('normal → warn → halt → flatten → (held) → normal once the old peak leaves the window', () => {
    const p = new PortfolioDdPolicy({ ...shipped, windowDays: 5 });
    // day:        0     1      2      3      4      5      6      7      8      9
    const path = [100, 110, 101, 99, 96.8, 99, 99, 99, 99, 99];
    //  dd vs trailing-5 peak: 0, 0, 0.0818, 0.10, 0.12, 0.10 (peak 110 still in window), …
    const levels = path.map((e) => p.onDayClose(e));
    expect(levels.slice(0, 6)).toEqual([DD_NORMAL, DD_NORMAL, DD_WARN, DD_HALT, DD_FLATTEN, DD_FLATTEN]);
    // day 6: window = days 2..6 → peak 101, dd = 2/101 = 0.0198 < warn → recovery
    expect(levels[6]).toBe(DD_NORMAL);
    expect(p.drawdown).toBe(0);
    expect(levels.slice(7)).toEqual([DD_NORMAL, DD_NORMAL, DD_NORMAL]);
  });

  it('uses the trailing window, not the all-time peak', () => {
    const p = new PortfolioDdPolicy({ ...shipped, windowDays: 3 });
    for (const e of [200, 150, 150, 150]) p.onDayClose(e); // day 1: dd 0.25 → flatten
    expect(p.level).toBe(DD_NORMAL); // day 3: window 150,150,150 → dd 0
  });
});

describe('PairDdPolicy', () => {
  const params: DdPolicyParams = { ...shipped, windowDays: 30, minPairDays: 10 };
  it('σ levels need minPairDays days with P&L; then k × σ of the non-zero daily P&L decides', () => {
    const p = new PairDdPolicy(params);
    // the series starts at 0; daily P&L alternating +10/−10: σ ≈ 10.26 (ddof 1 over 20 changes), drawdown 10 at each down day
    let cum = 0;
    for (let d = 1; d <= 20; d++) {
      cum += d % 2 === 1 ? 10 : -10;
      p.onDayClose(cum);
      p.onDayClose(cum); // a flat day in between: not counted in σ
    }
    expect(p.sigmaUsd).toBeGreaterThan(10);
    expect(p.level).toBe(DD_NORMAL);
    // a 45 USD loss: drawdown 55 from the trailing high 10; the window (31 closes) holds 14 changes of
    // ±10 and the −45, σ = 15.3297 → 3.588σ → halt (k_halt 3.5 ≤ x < k_flatten 4.5)
    cum -= 45;
    p.onDayClose(cum);
    expect(p.drawdownUsd).toBe(55);
    expect(p.sigmaUsd).toBeCloseTo(15.329709716755891, 10);
    expect(p.level).toBe(DD_HALT);
  });

  it('no level before minPairDays, none for a pair that never traded, and recovery once the high leaves the window', () => {
    const p = new PairDdPolicy(params);
    for (const e of [0, 50, -500]) p.onDayClose(e);
    expect(p.level).toBe(DD_NORMAL);
    const flat = new PairDdPolicy(params);
    for (let d = 0; d < 40; d++) flat.onDayClose(0);
    expect(flat.level).toBe(DD_NORMAL);
    // ±10 a day for 20 days, then −100: flatten; then flat days until the window (30) holds no older high
    const q = new PairDdPolicy(params);
    let cum = 0;
    for (let d = 1; d <= 20; d++) q.onDayClose((cum += d % 2 === 1 ? 10 : -10));
    expect(q.onDayClose((cum -= 100))).toBe(DD_FLATTEN);
    for (let d = 0; d < 28; d++) q.onDayClose(cum);
    expect(q.level).toBe(DD_FLATTEN); // the 0 of the day before the loss is still one of the last 30 closes
    expect(q.onDayClose(cum)).toBe(DD_NORMAL); // now all 30 closes are −100: drawdown 0
  });
});

describe('opsForLevels', () => {
  it('warn shrinks leverage, halt stops entries, flatten closes; the worse of portfolio and pair; manual flags only tighten', () => {
    const out = { allowEntries: true, flatten: false, leverageScale: 1 };
    expect(opsForLevels(DD_NORMAL, DD_NORMAL, shipped, out)).toEqual({ allowEntries: true, flatten: false, leverageScale: 1 });
    expect(opsForLevels(DD_WARN, DD_NORMAL, shipped, out)).toEqual({ allowEntries: true, flatten: false, leverageScale: 0.5 });
    expect(opsForLevels(DD_NORMAL, DD_HALT, shipped, out)).toEqual({ allowEntries: false, flatten: false, leverageScale: 0.5 });
    expect(opsForLevels(DD_FLATTEN, DD_WARN, shipped, out)).toEqual({ allowEntries: false, flatten: true, leverageScale: 0.5 });
    expect(opsForLevels(DD_NORMAL, DD_NORMAL, shipped, out, { allowEntries: false, flatten: false, leverageScale: 0.8 })).toEqual({ allowEntries: false, flatten: false, leverageScale: 0.8 });
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
