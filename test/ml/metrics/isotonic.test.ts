// Isotonic calibration (SPEC §5): hand cases, a naive PAVA, monotonicity, preserved means, JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyIsotonic,
  applyIsotonicAll,
  calibrationScores,
  fitCalibration,
  fitIsotonic,
  IsotonicCalibrator,
  isotonicTableFromJson,
  isotonicTableToJson,
  type IsotonicTable,
} from '../../../src/ml/calibration/index.js';

const f64 = (v: number[]): Float64Array => Float64Array.from(v);

/**
 * Naive PAVA: one block per distinct score, then repeatedly merge the first adjacent pair whose
 * left mean is ≥ the right mean, rescanning from the start after every merge.
 */
function naivePava(s: Float64Array, y: Float64Array, w: Float64Array): { x: number[]; y: number[] } {
  const distinct = [...new Set(Array.from(s).filter((_, i) => w[i]! > 0))].sort((a, b) => a - b);
  const blocks = distinct.map((x) => {
    let sw = 0;
    let swy = 0;
    for (let i = 0; i < s.length; i++) {
      if (s[i] === x) {
        sw += w[i]!;
        swy += w[i]! * y[i]!;
      }
    }
    return { x, sw, swy };
  });
  for (let again = true; again; ) {
    again = false;
    for (let i = 0; i + 1 < blocks.length; i++) {
      const a = blocks[i]!;
      const b = blocks[i + 1]!;
      if (a.swy / a.sw >= b.swy / b.sw) {
        blocks.splice(i, 2, { x: b.x, sw: a.sw + b.sw, swy: a.swy + b.swy });
        again = true;
        break;
      }
    }
  }
  return { x: blocks.map((b) => b.x), y: blocks.map((b) => b.swy / b.sw) };
}

const rows = fc
  .array(
    fc.record({
      s: fc.integer({ min: 0, max: 12 }),
      y: fc.integer({ min: 0, max: 1 }),
      w: fc.integer({ min: 0, max: 4 }),
    }),
    { minLength: 1, maxLength: 50 },
  )
  .filter((r) => r.some((e) => e.w > 0))
  .map((r) => ({
    s: Float64Array.from(r, (e) => e.s / 12),
    y: Float64Array.from(r, (e) => e.y),
    w: Float64Array.from(r, (e) => e.w),
  }));

describe('fitIsotonic', () => {
  it('pools violators into block means (hand case)', () => {
    // Scores 1..5 with labels 0 1 0 1 1: (1)→0; (2,3) violate → ½; (4,5) are 1 and 1 → merged (equal means).
    const t = fitIsotonic(f64([1, 2, 3, 4, 5]), f64([0, 1, 0, 1, 1]));
    expect(Array.from(t.x)).toEqual([1, 3, 5]);
    expect(Array.from(t.y)).toEqual([0, 0.5, 1]);
  });

  it('pools tied scores before anything else, with weights', () => {
    // Score 2 appears twice (labels 1 and 0, weights 1 and 3) → one block of mean ¼, then 3 → 1.
    const t = fitIsotonic(f64([2, 1, 2, 3]), f64([1, 0, 0, 1]), f64([1, 1, 3, 1]));
    expect(Array.from(t.x)).toEqual([1, 2, 3]);
    expect(Array.from(t.y)).toEqual([0, 0.25, 1]);
    // Decreasing data collapses to one block at the weighted mean.
    const d = fitIsotonic(f64([1, 2, 3]), f64([1, 1, 0]), f64([1, 1, 2]));
    expect(Array.from(d.x)).toEqual([3]);
    expect(d.y[0]).toBeCloseTo(0.5, 15);
  });

  it('ignores zero-weight rows and rejects NaN, empty and all-zero-weight input', () => {
    const t = fitIsotonic(f64([1, 2, 3]), f64([0, 0, 1]), f64([1, 0, 1]));
    expect(Array.from(t.x)).toEqual([1, 3]);
    expect(() => fitIsotonic(f64([1, Number.NaN]), f64([0, 1]))).toThrow(/score NaN at 1/);
    expect(() => fitIsotonic(f64([1, 2]), f64([0, Number.NaN]))).toThrow(/label NaN at 1/);
    expect(() => fitIsotonic(f64([]), f64([]))).toThrow(RangeError);
    expect(() => fitIsotonic(f64([1]), f64([1]), f64([0]))).toThrow(RangeError);
    expect(() => fitIsotonic(f64([1]), f64([1]), f64([-1]))).toThrow(RangeError);
  });

  it('equals a naive PAVA, is strictly increasing and preserves the weighted mean (property)', () => {
    fc.assert(
      fc.property(rows, ({ s, y, w }) => {
        const t = fitIsotonic(s, y, w);
        const naive = naivePava(s, y, w);
        expect(Array.from(t.x)).toEqual(naive.x);
        expect(t.y.length).toBe(naive.y.length);
        naive.y.forEach((v, i) => expect(t.y[i]).toBeCloseTo(v, 12));
        for (let i = 1; i < t.y.length; i++) expect(t.y[i]!).toBeGreaterThan(t.y[i - 1]!);
        // Applying the table to the training scores gives block means; Σ w f(s) = Σ w y.
        const fitted = applyIsotonicAll(t, s);
        let a = 0;
        let b = 0;
        for (let i = 0; i < s.length; i++) {
          a += w[i]! * fitted[i]!;
          b += w[i]! * y[i]!;
        }
        expect(a).toBeCloseTo(b, 10);
      }),
      { numRuns: 300 },
    );
  });

  it('gives a non-decreasing map on arbitrary scores (property)', () => {
    fc.assert(
      fc.property(
        rows,
        fc.array(fc.double({ min: -1, max: 2, noNaN: true }), { minLength: 2, maxLength: 20 }),
        ({ s, y, w }, q) => {
          const t = fitIsotonic(s, y, w);
          const sorted = [...q].sort((a, b) => a - b);
          for (let i = 1; i < sorted.length; i++)
            expect(applyIsotonic(t, sorted[i]!)).toBeGreaterThanOrEqual(applyIsotonic(t, sorted[i - 1]!));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('applyIsotonic', () => {
  const t: IsotonicTable = { x: f64([0.2, 0.5, 0.8]), y: f64([0.1, 0.4, 0.9]) };

  it('is a step function: block b owns (x[b−1] + 1e-6, x[b] + 1e-6], clipped outside', () => {
    expect(applyIsotonic(t, 0.2)).toBe(0.1);
    // Up to 1e-6 above an edge stays in its block (onnxruntime's float32 score may be an ulp above).
    expect(applyIsotonic(t, 0.2000009)).toBe(0.1);
    expect(applyIsotonic(t, 0.2000011)).toBe(0.4);
    expect(applyIsotonic(t, 0.8000009)).toBe(0.9);
    expect(applyIsotonic(t, 0.5)).toBe(0.4);
    expect(applyIsotonic(t, 0.6)).toBe(0.9);
    expect(applyIsotonic(t, 0.8)).toBe(0.9);
    expect(applyIsotonic(t, -5)).toBe(0.1);
    expect(applyIsotonic(t, 7)).toBe(0.9);
    expect(applyIsotonic(t, -Infinity)).toBe(0.1);
    expect(applyIsotonic(t, Infinity)).toBe(0.9);
    expect(applyIsotonic(t, Number.NaN)).toBeNaN();
  });
});

describe('fitCalibration', () => {
  it('fits on float32 scores with edges more than 2e-6 apart, and never lets the tolerance pass half-way', () => {
    const p = f64([0.1, 0.3000000001, 0.3000015, 0.3, 0.6, 0.6000019, 0.9]);
    const scores = calibrationScores(p);
    // 0.3, 0.3000000001 and 0.3000015 form one run (steps ≤ 2e-6), moved to its float32 top.
    expect(Array.from(scores)).toEqual(
      [0.1, 0.3000015, 0.3000015, 0.3000015, 0.6000019, 0.6000019, 0.9].map(Math.fround),
    );
    const t = fitCalibration(p, f64([0, 1, 0, 0, 1, 0, 1]));
    for (let b = 1; b < t.x.length; b++) expect(t.x[b]! - t.x[b - 1]!).toBeGreaterThan(2e-6);
    expect(Array.from(t.x).every((v) => Math.fround(v) === v)).toBe(true);
    // A hand table whose edges are closer than 2e-6: each edge still maps to its own block.
    const close: IsotonicTable = { x: f64([0.5, 0.5000004]), y: f64([0.2, 0.6]) };
    expect(applyIsotonic(close, 0.5)).toBe(0.2);
    expect(applyIsotonic(close, 0.5000001)).toBe(0.2);
    expect(applyIsotonic(close, 0.5000003)).toBe(0.6);
    expect(applyIsotonic(close, 0.5000004)).toBe(0.6);
  });
});

describe('isotonic JSON', () => {
  it('round-trips exactly through JSON.stringify / parse and through the calibrator', () => {
    const t = fitIsotonic(f64([0.11, 0.37, 0.52, 0.53, 0.9]), f64([0, 1, 0, 1, 1]), f64([1, 0.3, 0.7, 1, 2]));
    const back = isotonicTableFromJson(JSON.stringify(isotonicTableToJson(t)));
    expect(back.x).toEqual(t.x);
    expect(back.y).toEqual(t.y);
    const cal = IsotonicCalibrator.fit(
      f64([0.11, 0.37, 0.52, 0.53, 0.9]),
      f64([0, 1, 0, 1, 1]),
      f64([1, 0.3, 0.7, 1, 2]),
    );
    const again = IsotonicCalibrator.fromJSON(JSON.parse(JSON.stringify(cal)));
    expect(again.applyAll(f64([0, 0.4, 0.525, 1]))).toEqual(cal.applyAll(f64([0, 0.4, 0.525, 1])));
    expect(again.apply(0.37)).toBe(t.y[1]);
  });

  it('rejects malformed tables', () => {
    expect(() => isotonicTableFromJson({ kind: 'other', version: 1, x: [1], y: [0] })).toThrow(RangeError);
    expect(() => isotonicTableFromJson({ kind: 'isotonic_step', version: 1, x: [1, 1], y: [0, 1] })).toThrow(
      /strictly increasing/,
    );
    expect(() => isotonicTableFromJson({ kind: 'isotonic_step', version: 1, x: [1, 2], y: [1, 0] })).toThrow(
      /decreases/,
    );
    expect(() => isotonicTableFromJson({ kind: 'isotonic_step', version: 1, x: [], y: [] })).toThrow(RangeError);
    expect(() => isotonicTableFromJson({ kind: 'isotonic_step', version: 1, x: ['a'], y: [0] })).toThrow(RangeError);
    expect(() => isotonicTableFromJson('null')).toThrow(RangeError);
  });
});
