import { describe, expect, it } from 'vitest';
import { breakdownWeight, correlationBreakdown, pearson, sampleStdOf } from '../../../src/backtest/stress/index.js';
import { fingerprint, logReturns, pairFixture } from './stressFixtures.js';

describe('correlationBreakdown', () => {
  it('drives the window correlation to ρ_target and leaves returns outside unchanged', async () => {
    const pair = await pairFixture();
    const n = pair.length;
    const win = { start: Math.floor(0.4 * n), end: Math.floor(0.6 * n) };
    const rhoHist = pearson(logReturns(pair.a.close, win.start, win.end), logReturns(pair.b.close, win.start, win.end));
    expect(rhoHist).toBeGreaterThan(0.35); // the synthetic legs co-move (ρ ≈ 0.42 in this window)
    const before = fingerprint(pair);
    for (const rhoTarget of [0, 0.2]) {
      const s = correlationBreakdown(pair, { rhoTarget, windows: [win], seed: 11 });
      const rA = logReturns(s.a.close, win.start, win.end);
      const rB = logReturns(s.b.close, win.start, win.end);
      const rho = pearson(rA, rB);
      expect(Math.abs(rho - rhoTarget)).toBeLessThanOrEqual(0.1);
      // σ_B is kept: the new returns have the window's std
      const sigma = sampleStdOf(logReturns(pair.b.close, win.start, win.end));
      expect(sampleStdOf(rB) / sigma).toBeGreaterThan(0.9);
      expect(sampleStdOf(rB) / sigma).toBeLessThan(1.1);
      // outside: leg B's returns are the original ones, leg A is untouched everywhere
      const orig = logReturns(pair.b.close, 1, n);
      const now = logReturns(s.b.close, 1, n);
      for (let t = 1; t < n; t++) if (t < win.start || t >= win.end) expect(now[t - 1]!).toBeCloseTo(orig[t - 1]!, 12);
      for (let t = 0; t < win.start; t++) expect(s.b.close[t]).toBe(pair.b.close[t]);
      expect(Array.from(s.a.close)).toEqual(Array.from(pair.a.close));
      // OHLC of B moved with the close: still consistent and positive
      for (let t = 0; t < n; t++) {
        expect(s.b.low[t]!).toBeGreaterThan(0);
        expect(s.b.high[t]!).toBeGreaterThanOrEqual(Math.max(s.b.open[t]!, s.b.close[t]!) * (1 - 1e-12));
        expect(s.b.low[t]!).toBeLessThanOrEqual(Math.min(s.b.open[t]!, s.b.close[t]!) * (1 + 1e-12));
        expect(s.b.open[t]! / s.b.close[t]!).toBeCloseTo(pair.b.open[t]! / pair.b.close[t]!, 12);
      }
    }
    expect(fingerprint(pair)).toEqual(before);
  });

  it('is deterministic by seed', async () => {
    const pair = await pairFixture();
    const windows = [{ start: 500, end: 1500 }];
    const x = correlationBreakdown(pair, { rhoTarget: 0, windows, seed: 5 });
    expect(fingerprint(correlationBreakdown(pair, { rhoTarget: 0, windows, seed: 5 }))).toEqual(fingerprint(x));
    expect(fingerprint(correlationBreakdown(pair, { rhoTarget: 0, windows, seed: 6 }))).not.toEqual(fingerprint(x));
  });

  it('weights as SPEC: ρ_target/ρ_hist clipped to [0, 1], undefined → 1', () => {
    expect(breakdownWeight(0.2, 0.8)).toBeCloseTo(0.25, 15);
    expect(breakdownWeight(0, 0.9)).toBe(0);
    expect(breakdownWeight(0.2, 0.1)).toBe(1);
    expect(breakdownWeight(0.2, -0.5)).toBe(0);
    expect(breakdownWeight(0, 0)).toBe(1);
    expect(breakdownWeight(0.2, Number.NaN)).toBe(1);
  });
});
