// Histogram claims: subtraction gives the sibling, the row-major and root passes sum like the columns.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/rng.js';
import { ROW_BLOCK_FEATURES, binDataset } from '../../../src/ml/gbdt/binnedDataset.js';
import {
  HIST_STRIDE,
  buildHistogram,
  buildRootHistogram,
  countRows,
  createHistogram,
  subtractHistogram,
} from '../../../src/ml/gbdt/histogram.js';

describe('histogram subtraction', () => {
  it('parent − child equals the histogram of the other rows (property)', () => {
    const row = fc.record({
      a: fc.integer({ min: 0, max: 40 }),
      b: fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constant(Number.NaN)),
      g: fc.double({ min: -1, max: 1, noNaN: true }),
      h: fc.double({ min: 0, max: 0.25, noNaN: true }),
      inChild: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 300 }), fc.integer({ min: 2, max: 32 }), (rows, maxBin) => {
        const n = rows.length;
        const data = binDataset([Float64Array.from(rows, (r) => r.a), Float64Array.from(rows, (r) => r.b)], maxBin);
        const grad = Float64Array.from(rows, (r) => r.g);
        const hess = Float64Array.from(rows, (r) => r.h);
        const features = Int32Array.from([0, 1]);
        const all = Uint32Array.from({ length: n }, (_, i) => i);
        const child = Uint32Array.from(rows.flatMap((r, i) => (r.inChild ? [i] : [])));
        const rest = Uint32Array.from(rows.flatMap((r, i) => (r.inChild ? [] : [i])));
        const build = (idx: Uint32Array) => {
          const h = createHistogram(data.totalBins);
          buildHistogram(data, idx, 0, idx.length, grad, hess, features, 2, h);
          return h;
        };
        const parent = build(all);
        subtractHistogram(data, parent, build(child), features, 2);
        const direct = build(rest);
        for (let b = 0; b < data.totalBins; b++) {
          const at = b * HIST_STRIDE;
          expect(parent[at + 2]).toBe(direct[at + 2]);
          expect(parent[at]).toBeCloseTo(direct[at]!, 9);
          expect(parent[at + 1]).toBeCloseTo(direct[at + 1]!, 9);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a histogram of a row range sums its rows per bin, NaN in the NaN slot', () => {
    const data = binDataset([Float64Array.from([1, 2, 2, Number.NaN])], 255);
    const h = createHistogram(data.totalBins);
    buildHistogram(
      data,
      Uint32Array.from([0, 1, 2, 3]),
      1,
      3,
      Float64Array.from([1, 2, 3, 4]),
      Float64Array.from([1, 1, 1, 1]),
      Int32Array.from([0]),
      1,
      h,
    );
    // Slots interleave gradient, hessian and count.
    expect([...h]).toEqual([0, 0, 0, 5, 2, 2, 4, 1, 1]);
  });
});

/** Per-slot sums straight from the columns: the reference the row-major passes must reproduce. */
function naiveHistogram(
  columns: Float64Array[],
  rows: number[],
  grad: Float64Array,
  hess: Float64Array,
  features: number[],
) {
  const data = binDataset(columns, 255);
  const out = new Float64Array(data.totalBins * HIST_STRIDE);
  for (const f of features) {
    for (const row of rows) {
      const at = (data.binOffsets[f]! + data.bins[f]![row]!) * HIST_STRIDE;
      out[at]! += grad[row]!;
      out[at + 1]! += hess[row]!;
      out[at + 2]! += 1;
    }
  }
  return out;
}

describe('row-major histogram passes', () => {
  const rng = new SeededRng(5);
  const n = 400;
  // 300 features: two row blocks (256 + 44), few distinct values in some, NaN in others.
  const columns = Array.from({ length: 300 }, (_, f) =>
    Float64Array.from({ length: n }, () => {
      if (f % 7 === 0 && rng.next() < 0.1) return Number.NaN;
      return f % 5 === 0 ? Math.floor(rng.next() * 4) : rng.gaussian();
    }),
  );
  const data = binDataset(columns, 255);
  const grad = Float64Array.from({ length: n }, () => rng.gaussian());
  const hess = Float64Array.from({ length: n }, () => rng.next());
  const all = Array.from({ length: 300 }, (_, f) => f);
  const subset = all.filter((f) => f % 3 !== 1);
  const identity = Uint32Array.from({ length: n }, (_, i) => i);
  const usedSlots = (features: number[]) =>
    features.flatMap((f) =>
      Array.from(
        { length: (data.binOffsets[f + 1]! - data.binOffsets[f]!) * HIST_STRIDE },
        (_, k) => data.binOffsets[f]! * HIST_STRIDE + k,
      ),
    );

  it('spreads the features over row blocks of at most ROW_BLOCK_FEATURES', () => {
    expect(data.rowBlocks.map((b) => [b.firstFeature, b.width])).toEqual([
      [0, ROW_BLOCK_FEATURES],
      [ROW_BLOCK_FEATURES, 300 - ROW_BLOCK_FEATURES],
    ]);
  });

  it.each([
    ['every feature', all],
    ['a feature subset', subset],
  ])('buildHistogram of a row range sums like the columns (%s)', (_, features) => {
    const rows = Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0);
    const expected = naiveHistogram(columns, rows, grad, hess, features);
    // Stale values in the slots must be overwritten, not added to.
    const out = createHistogram(data.totalBins).fill(7);
    buildHistogram(
      data,
      Uint32Array.from([999, ...rows]),
      1,
      rows.length,
      grad,
      hess,
      Int32Array.from(features),
      features.length,
      out,
    );
    const slots = usedSlots(features);
    expect(slots.map((s) => out[s])).toEqual(slots.map((s) => expected[s]));
  });

  it.each([
    ['every feature', all],
    ['a feature subset', subset],
  ])('buildRootHistogram equals buildHistogram over all rows, counts included (%s)', (_, features) => {
    const viaRows = createHistogram(data.totalBins);
    buildHistogram(data, identity, 0, n, grad, hess, Int32Array.from(features), features.length, viaRows);
    const root = createHistogram(data.totalBins).fill(7);
    buildRootHistogram(data, grad, hess, Int32Array.from(features), features.length, countRows(data), identity, root);
    const slots = usedSlots(features);
    expect(slots.map((s) => root[s])).toEqual(slots.map((s) => viaRows[s]));
  });
});
