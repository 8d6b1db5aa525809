// The grid stage's θ values: the seed's step grid and quantiles of the OOS probabilities; the Pareto set.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gridPoints, quantileGrid, quantileSorted, stepGrid } from '../../src/optimize/searchSpace.js';
import { paretoSet } from '../../src/optimize/paretoSet.js';

describe('stepGrid', () => {
  it('gives the seed grids: 13 values of θ1 from 0.60 and of θ2 from 0.20, step 0.02', () => {
    const t1 = stepGrid(0.6, 0.85, 0.02);
    expect(t1).toEqual([0.6, 0.62, 0.64, 0.66, 0.68, 0.7, 0.72, 0.74, 0.76, 0.78, 0.8, 0.82, 0.84]);
    expect(stepGrid(0.2, 0.45, 0.02)).toHaveLength(13);
    expect(stepGrid(0.2, 0.44, 0.02).at(-1)).toBe(0.44);
    expect(gridPoints(t1, stepGrid(0.2, 0.45, 0.02))).toHaveLength(169);
  });

  it('refuses empty ranges and non-positive steps', () => {
    expect(() => stepGrid(0.5, 0.4, 0.02)).toThrow(/empty range/);
    expect(() => stepGrid(0.1, 0.4, 0)).toThrow(/step/);
    expect(() => quantileGrid([0.1, 0.2], 0.9, 0.5, 5)).toThrow(/empty quantile range/);
    expect(() => quantileGrid([Number.NaN], 0.5, 0.99, 5)).toThrow(/no finite/);
  });
});

describe('quantileGrid', () => {
  it('interpolates between order statistics (hand-computed)', () => {
    // Sorted 0.1, 0.2, 0.3, 0.4, 0.5: q = 0.5 → index 2 → 0.3; q = 0.99 → index 3.96 → 0.4 + 0.96·0.1.
    expect(quantileSorted([0.1, 0.2, 0.3, 0.4, 0.5], 0.5)).toBe(0.3);
    expect(quantileSorted([0.1, 0.2, 0.3, 0.4, 0.5], 0.99)).toBeCloseTo(0.496, 12);
    expect(quantileGrid([0.5, 0.1, Number.NaN, 0.3, 0.2, 0.4], 0.5, 0.99, 2)).toEqual([0.3, expect.closeTo(0.496, 12)]);
  });

  it('is ascending, unique and inside the values’ range', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 20 }),
        (ps, count) => {
          const g = quantileGrid(ps, 0.5, 0.99, count);
          for (let i = 1; i < g.length; i++) expect(g[i]!).toBeGreaterThan(g[i - 1]!);
          expect(g[0]!).toBeGreaterThanOrEqual(Math.min(...ps));
          expect(g.at(-1)!).toBeLessThanOrEqual(Math.max(...ps));
        },
      ),
    );
  });
});

describe('paretoSet', () => {
  it('keeps the trials no other beats on both Sharpe and MaxDD (hand-made)', () => {
    const trials = [
      { sharpe: 1.0, maxDd: 0.1 }, // 0: dominated by 2
      { sharpe: 2.0, maxDd: 0.2 }, // 1: best Sharpe
      { sharpe: 1.5, maxDd: 0.05 }, // 2
      { sharpe: 0.5, maxDd: 0.01 }, // 3: lowest DD
      { sharpe: 1.5, maxDd: 0.05 }, // 4: duplicate of 2
      { sharpe: Number.NaN, maxDd: 0 }, // 5: no Sharpe
      { sharpe: 1.5, maxDd: 0.06 }, // 6: dominated by 2 (same Sharpe, higher DD)
    ];
    expect(paretoSet(trials)).toEqual([1, 2, 3]);
  });

  it('no member is dominated, every non-member is (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ sharpe: fc.integer({ min: -5, max: 5 }), maxDd: fc.integer({ min: 0, max: 5 }) }), {
          maxLength: 40,
        }),
        (ts) => {
          const set = new Set(paretoSet(ts));
          const dominates = (a: (typeof ts)[0], b: (typeof ts)[0]) =>
            a.sharpe >= b.sharpe && a.maxDd <= b.maxDd && (a.sharpe > b.sharpe || a.maxDd < b.maxDd);
          ts.forEach((t, i) => {
            const dominated = ts.some((o) => dominates(o, t));
            if (set.has(i)) expect(dominated).toBe(false);
            else if (!dominated) expect(ts.findIndex((o) => o.sharpe === t.sharpe && o.maxDd === t.maxDd)).not.toBe(i);
          });
        },
      ),
    );
  });
});
