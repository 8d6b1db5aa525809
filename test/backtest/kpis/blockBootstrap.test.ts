// Circular block bootstrap: reproducible per seed, real blocks that wrap, paired new − old resampling, CIs that cover.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { SeededRng } from '../../../src/core/rng.js';
import {
  annualReturnStatistic,
  blockBootstrapCi,
  blockBootstrapDiffCi,
  bootstrapOptionsFrom,
  maxDrawdownStatistic,
  mean,
  sharpeStatistic,
  toDailyReturns,
} from '../../../src/backtest/kpis/index.js';

function iidReturns(n: number, seed: number, mu = 0.0005, sigma = 0.01): Float64Array {
  const rng = new SeededRng(seed);
  return Float64Array.from({ length: n }, () => mu + sigma * rng.gaussian());
}

const long = iidReturns(2000, 7);

describe('blockBootstrapCi', () => {
  it('is reproducible with a seed and differs with another', () => {
    const a = blockBootstrapCi(long, sharpeStatistic(), { seed: 1 });
    const b = blockBootstrapCi(long, sharpeStatistic(), { seed: 1 });
    const c = blockBootstrapCi(long, sharpeStatistic(), { seed: 2 });
    expect(b).toEqual(a);
    expect(c.estimate).toBe(a.estimate);
    expect(c.lower).not.toBe(a.lower);
    expect(c.upper).not.toBe(a.upper);
  });

  it('95% CIs of Sharpe, annual return and MaxDD contain the point estimate on a long iid series', () => {
    for (const stat of [sharpeStatistic(), annualReturnStatistic(), maxDrawdownStatistic()]) {
      const ci = blockBootstrapCi(long, stat, { seed: 11 });
      expect(ci.validResamples).toBe(1000);
      expect(ci.level).toBe(0.95);
      expect(ci.lower).toBeLessThan(ci.estimate);
      expect(ci.upper).toBeGreaterThan(ci.estimate);
    }
  });

  it('the annual-return CI is about ±1.96·σ·√252/√n around the estimate for iid returns', () => {
    const ci = blockBootstrapCi(long, annualReturnStatistic(), { seed: 3 });
    const half = (1.96 * 0.01 * 252) / Math.sqrt(2000); // 0.1105
    expect((ci.upper - ci.lower) / 2).toBeGreaterThan(0.8 * half);
    expect((ci.upper - ci.lower) / 2).toBeLessThan(1.2 * half);
  });

  it('resamples are circular blocks: runs of blockSize consecutive indices that wrap past the end', () => {
    const n = 23;
    const index = Float64Array.from({ length: n }, (_, i) => i);
    let checked = 0;
    blockBootstrapCi(
      index,
      (r) => {
        expect(r.length).toBe(n);
        for (let k = 0; k < n; k++) {
          // Inside a block (k mod 5 ≠ 0) each value follows the previous one modulo n.
          if (k % 5 !== 0) expect(r[k]).toBe((r[k - 1]! + 1) % n);
        }
        checked++;
        return 0;
      },
      { seed: 5, blockSize: 5, resamples: 50 },
    );
    expect(checked).toBe(51); // 50 resamples + the original series
  });

  it('uses only finite resample statistics for the percentiles', () => {
    let calls = 0;
    const ci = blockBootstrapCi(long, () => (calls++ % 2 === 0 ? Number.NaN : 1), { seed: 1, resamples: 10 });
    expect(ci.validResamples).toBe(5);
    expect([ci.lower, ci.upper]).toEqual([1, 1]);
  });

  it('rejects bad options', () => {
    expect(() => blockBootstrapCi(long, mean, { seed: 1, blockSize: 0 })).toThrow(RangeError);
    expect(() => blockBootstrapCi([], mean, { seed: 1 })).toThrow(RangeError);
  });
});

describe('blockBootstrapDiffCi', () => {
  it('resamples the same block starts for both series: a constant daily edge gives a degenerate CI', () => {
    // new = old + 0.0005 every day, so every paired resample has mean(new*) − mean(old*) = 0.0005 and
    // the annual difference is 0.0005·252 = 0.126 in every resample; unpaired draws would scatter it.
    const next = long.map((r) => r + 0.0005);
    const ci = blockBootstrapDiffCi(next, long, annualReturnStatistic(), { seed: 4 });
    expect(ci.estimate).toBeCloseTo(0.126, 12);
    expect(ci.lower).toBeCloseTo(0.126, 12);
    expect(ci.upper).toBeCloseTo(0.126, 12);
  });

  it('contains the estimated Sharpe improvement of two independent strategies, reproducibly', () => {
    const other = iidReturns(2000, 99, 0.0002);
    const a = blockBootstrapDiffCi(long, other, sharpeStatistic(), { seed: 8 });
    expect(blockBootstrapDiffCi(long, other, sharpeStatistic(), { seed: 8 })).toEqual(a);
    expect(a.lower).toBeLessThan(a.estimate);
    expect(a.upper).toBeGreaterThan(a.estimate);
    expect(() => blockBootstrapDiffCi(long, other.subarray(1), sharpeStatistic(), { seed: 8 })).toThrow(RangeError);
  });
});

describe('statistics on per-bar returns', () => {
  it('toDailyReturns compounds groups of bars into trading days, a last partial group included', () => {
    // (1.1·0.9) − 1 = −0.01; then the lone 0.05.
    const d = toDailyReturns(Float64Array.from([0.1, -0.1, 0.05]), 2);
    expect(d[0]).toBeCloseTo(-0.01, 15);
    expect(d[1]).toBeCloseTo(0.05, 15);
  });

  it('bootstrap options come from backtest_policy.bootstrap (20 bars, 1000 resamples)', () => {
    const config = loadConfig(fileURLToPath(new URL('../../../config', import.meta.url)));
    expect(bootstrapOptionsFrom(config, 42)).toEqual({ seed: 42, blockSize: 20, resamples: 1000, level: 0.95 });
  });
});
