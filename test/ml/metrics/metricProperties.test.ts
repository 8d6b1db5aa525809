// Property tests of AUC and average precision against naive definitions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auc, averagePrecision } from '../../../src/ml/metrics/index.js';

/** Scores drawn from a few values so that ties are common, labels 0/1, integer weights. */
const rows = fc
  .array(
    fc.record({
      s: fc.integer({ min: -4, max: 4 }),
      y: fc.integer({ min: 0, max: 1 }),
      w: fc.integer({ min: 0, max: 5 }),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .map((r) => ({
    s: Float64Array.from(r, (e) => e.s / 2),
    y: Float64Array.from(r, (e) => e.y),
    w: Float64Array.from(r, (e) => e.w),
  }));

function naiveAuc(s: Float64Array, y: Float64Array, w: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < s.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < s.length; j++) {
      if (y[j] !== 0) continue;
      const ww = w[i]! * w[j]!;
      den += ww;
      num += ww * (s[i]! > s[j]! ? 1 : s[i]! === s[j]! ? 0.5 : 0);
    }
  }
  return den > 0 ? num / den : Number.NaN;
}

/** AP by its definition: for each distinct threshold, precision and recall of `score >= threshold`. */
function naiveAp(s: Float64Array, y: Float64Array, w: Float64Array): number {
  const thresholds = [...new Set(s)].sort((a, b) => b - a);
  let total = 0;
  for (let i = 0; i < s.length; i++) total += y[i]! * w[i]!;
  if (total === 0) return Number.NaN;
  let prevR = 0;
  let ap = 0;
  for (const t of thresholds) {
    let tp = 0;
    let fp = 0;
    for (let i = 0; i < s.length; i++) {
      if (s[i]! < t) continue;
      if (y[i] === 1) tp += w[i]!;
      else fp += w[i]!;
    }
    const r = tp / total;
    if (r > prevR) ap += (r - prevR) * (tp / (tp + fp));
    prevR = r;
  }
  return ap;
}

const same = (a: number, b: number): void => {
  if (Number.isNaN(b)) expect(a).toBeNaN();
  else expect(a).toBeCloseTo(b, 12);
};

describe('metric properties', () => {
  it('AUC equals the naive O(n²) pair count with ties at ½ (weighted and unweighted)', () => {
    fc.assert(
      fc.property(rows, ({ s, y, w }) => {
        same(auc(s, y, w), naiveAuc(s, y, w));
        same(auc(s, y), naiveAuc(s, y, new Float64Array(s.length).fill(1)));
      }),
      { numRuns: 300 },
    );
  });

  it('AUC of the negated scores is 1 − AUC', () => {
    fc.assert(
      fc.property(rows, ({ s, y, w }) => {
        const a = auc(s, y, w);
        const neg = auc(
          s.map((v) => -v),
          y,
          w,
        );
        if (Number.isNaN(a)) expect(neg).toBeNaN();
        else expect(neg).toBeCloseTo(1 - a, 12);
      }),
      { numRuns: 300 },
    );
  });

  it('AUC and AP do not depend on row order', () => {
    fc.assert(
      fc.property(rows, fc.integer(), ({ s, y, w }, seed) => {
        const perm = Array.from(s, (_, i) => i).sort(
          (a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101) || a - b,
        );
        const p = (v: Float64Array): Float64Array => Float64Array.from(perm, (i) => v[i]!);
        same(auc(p(s), p(y), p(w)), auc(s, y, w));
        same(averagePrecision(p(s), p(y), p(w)), averagePrecision(s, y, w));
      }),
      { numRuns: 200 },
    );
  });

  it('AP equals its threshold-by-threshold definition and lies in [0, 1]', () => {
    fc.assert(
      fc.property(rows, ({ s, y, w }) => {
        const ap = averagePrecision(s, y, w);
        same(ap, naiveAp(s, y, w));
        if (!Number.isNaN(ap)) expect(ap >= 0 && ap <= 1 + 1e-12).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
