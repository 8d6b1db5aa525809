// The improvement CI of the hold rule: 252 · (mean(new) − mean(old)) of paired daily returns, block-bootstrapped, seeded.
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../src/core/rng.js';
import { blockDaysFor, improvementCi } from '../../src/optimize/improvementCi.js';

function series(n: number, seed: number, mu: number, sigma = 0.01): Float64Array {
  const rng = new SeededRng(seed);
  return Float64Array.from({ length: n }, () => mu + sigma * rng.gaussian());
}

describe('improvementCi', () => {
  it('converts the block length in bars to days, at least one day: ⌈bars / bars_per_day⌉', () => {
    expect(blockDaysFor(20, 24)).toBe(1); // 1h
    expect(blockDaysFor(20, 6)).toBe(4); // 4h
    expect(blockDaysFor(20, 1)).toBe(20); // 1d
    expect(blockDaysFor(20, 96)).toBe(1); // 15min
    expect(() => blockDaysFor(0, 24)).toThrow(RangeError);
  });

  it('estimates 252 · mean of the daily differences (hand arithmetic) and is reproducible per seed', () => {
    const newDaily = [0.01, -0.002, 0.004, 0.0, 0.003];
    const oldDaily = [0.005, -0.001, 0.001, 0.002, 0.0];
    // differences 0.005, −0.001, 0.003, −0.002, 0.003 → mean 0.0016 → × 252 = 0.4032
    const a = improvementCi({ newDaily, oldDaily, seed: 3, blockBars: 20, barsPerDay: 24 });
    expect(a.estimate).toBeCloseTo(0.4032, 12);
    expect(a.metric).toBe('annualised_mean_daily_return_difference');
    expect(a.blockDays).toBe(1);
    expect(a.lower).toBeLessThanOrEqual(a.estimate);
    expect(a.upper).toBeGreaterThanOrEqual(a.estimate);
    expect(improvementCi({ newDaily, oldDaily, seed: 3, blockBars: 20, barsPerDay: 24 })).toEqual(a);
  });

  it('a clearly better θ has a positive lower bound; the same returns give the CI [0, 0]', () => {
    const old = series(750, 1, 0);
    const better = Float64Array.from(old, (r, i) => r + 0.002 + 0.001 * Math.sin(i));
    const up = improvementCi({ newDaily: better, oldDaily: old, seed: 42, blockBars: 20, barsPerDay: 24 });
    expect(up.lower).toBeGreaterThan(0);
    const same = improvementCi({ newDaily: old, oldDaily: old, seed: 42, blockBars: 20, barsPerDay: 24 });
    expect([same.lower, same.estimate, same.upper]).toEqual([0, 0, 0]);
  });

  it('a θ that is only noisier, not better, has a CI straddling 0 (holds)', () => {
    const old = series(500, 5, 0.0002);
    const noisy = Float64Array.from(old, (r, i) => r + 0.01 * Math.sin(i * 1.7));
    const ci = improvementCi({ newDaily: noisy, oldDaily: old, seed: 42, blockBars: 20, barsPerDay: 24 });
    expect(ci.lower).toBeLessThan(0);
    expect(ci.upper).toBeGreaterThan(0);
  });

  it('refuses series of different lengths (not the same days)', () => {
    expect(() =>
      improvementCi({ newDaily: [0.1, 0.2], oldDaily: [0.1], seed: 1, blockBars: 20, barsPerDay: 24 }),
    ).toThrow(/same days/);
  });
});
