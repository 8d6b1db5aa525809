import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RollingMedian } from '../../src/features/rollingMedian.js';
import { RollingMoments } from '../../src/features/rollingMoments.js';

function naiveMedian(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
function naiveVar(xs: number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
}

describe('RollingMedian', () => {
  it('update then evict equals a sort of the window, for any stream', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 25 }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        (window, xs) => {
          const rm = new RollingMedian(window);
          xs.forEach((x, i) => {
            rm.push(x);
            const naive = naiveMedian(xs.slice(Math.max(0, i - window + 1), i + 1));
            // === because a tie between 0 and -0 may keep either.
            expect(rm.median() === naive, `median at ${i}: ${rm.median()} vs ${naive}`).toBe(true);
          });
        },
      ),
    );
  });

  it('handles ties and repeated values', () => {
    const rm = new RollingMedian(3);
    for (const x of [1, 1, 1, 2, 2, 1]) rm.push(x);
    expect(rm.median()).toBe(2);
  });
});

describe('RollingMoments', () => {
  it('incremental mean and variance equal a naive recomputation to 1e-9 relative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 300 }),
        (window, recompute, xs) => {
          const rm = new RollingMoments(window, recompute);
          xs.forEach((x, i) => {
            rm.push(x);
            const w = xs.slice(Math.max(0, i - window + 1), i + 1);
            const mean = w.reduce((a, b) => a + b, 0) / w.length;
            expect(rm.mean()).toBeCloseTo(mean, 9);
            if (w.length >= 2) {
              const v = naiveVar(w);
              expect(Math.abs(rm.variance() - v)).toBeLessThanOrEqual(1e-9 * Math.max(1, v) + 1e-9);
            }
          });
        },
      ),
    );
  });

  it('stays exact on prices far from zero (log prices of gold around 7.5)', () => {
    const rm = new RollingMoments(180);
    const xs: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const x = 7.5 + 1e-4 * Math.sin(i / 7) + 1e-6 * (i % 13);
      xs.push(x);
      rm.push(x);
    }
    const v = naiveVar(xs.slice(-180));
    expect(Math.abs(rm.variance() - v) / v).toBeLessThan(1e-9);
  });
});
