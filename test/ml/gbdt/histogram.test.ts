// Histogram claims: the larger sibling by subtraction equals its histogram built directly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binDataset } from '../../../src/ml/gbdt/binnedDataset.js';
import { buildHistogram, createHistogram, subtractHistogram } from '../../../src/ml/gbdt/histogram.js';

describe('histogram subtraction', () => {
  it('parent − child equals the histogram of the other rows (property)', () => {
    const row = fc.record({ a: fc.integer({ min: 0, max: 40 }), b: fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constant(Number.NaN)),
      g: fc.double({ min: -1, max: 1, noNaN: true }), h: fc.double({ min: 0, max: 0.25, noNaN: true }), inChild: fc.boolean() });
    fc.assert(fc.property(fc.array(row, { minLength: 1, maxLength: 300 }), fc.integer({ min: 2, max: 32 }), (rows, maxBin) => {
      const n = rows.length;
      const data = binDataset([Float64Array.from(rows, (r) => r.a), Float64Array.from(rows, (r) => r.b)], maxBin);
      const grad = Float64Array.from(rows, (r) => r.g);
      const hess = Float64Array.from(rows, (r) => r.h);
      const features = Int32Array.from([0, 1]);
      const all = Uint32Array.from({ length: n }, (_, i) => i);
      const child = Uint32Array.from(rows.flatMap((r, i) => (r.inChild ? [i] : [])));
      const rest = Uint32Array.from(rows.flatMap((r, i) => (r.inChild ? [] : [i])));
      const scratchG = new Float64Array(n);
      const scratchH = new Float64Array(n);
      const build = (idx: Uint32Array) => {
        const h = createHistogram(data.totalBins);
        buildHistogram(data, idx, 0, idx.length, grad, hess, features, 2, scratchG, scratchH, h);
        return h;
      };
      const parent = build(all);
      subtractHistogram(data, parent, build(child), features, 2);
      const direct = build(rest);
      for (let b = 0; b < data.totalBins; b++) {
        expect(parent.count[b]).toBe(direct.count[b]);
        expect(parent.grad[b]).toBeCloseTo(direct.grad[b]!, 9);
        expect(parent.hess[b]).toBeCloseTo(direct.hess[b]!, 9);
      }
    }), { numRuns: 200 });
  });

  it('a histogram of a row range sums its rows per bin, NaN in the NaN slot', () => {
    const data = binDataset([Float64Array.from([1, 2, 2, Number.NaN])], 255);
    const h = createHistogram(data.totalBins);
    buildHistogram(data, Uint32Array.from([0, 1, 2, 3]), 1, 3, Float64Array.from([1, 2, 3, 4]), Float64Array.from([1, 1, 1, 1]),
      Int32Array.from([0]), 1, new Float64Array(4), new Float64Array(4), h);
    expect([...h.grad]).toEqual([0, 5, 4]);
    expect([...h.count]).toEqual([0, 2, 1]);
  });
});
