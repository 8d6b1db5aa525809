// Metrics (SPEC §4) against hand-computed values on tiny inputs, and their input checks.
import { describe, expect, it } from 'vitest';
import {
  auc,
  averagePrecision,
  brier,
  ece,
  eceBin,
  logLoss,
  recallInBand,
  weightedF1AtPositive,
} from '../../../src/ml/metrics/index.js';

const f64 = (v: number[]): Float64Array => Float64Array.from(v);

describe('auc', () => {
  it('matches the classic 4-row example (0.75)', () => {
    expect(auc(f64([0.1, 0.4, 0.35, 0.8]), f64([0, 0, 1, 1]))).toBeCloseTo(0.75, 15);
  });

  it('counts a tied positive/negative pair as one half', () => {
    // Pairs (pos, neg): (0.5, 0.5) = ½, (0.5, 0.2) = 1, (0.8, 0.5) = 1, (0.8, 0.2) = 1 → 3.5 / 4.
    expect(auc(f64([0.5, 0.5, 0.2, 0.8]), f64([1, 0, 0, 1]))).toBeCloseTo(0.875, 15);
    // All scores equal → 0.5.
    expect(auc(f64([3, 3, 3, 3]), f64([1, 0, 1, 0]))).toBe(0.5);
  });

  it('weights each pair by w_pos·w_neg', () => {
    // Positive weights 2 (s=.5) and 1 (s=.8); negatives 1 (s=.5) and 1 (s=.2):
    // 2·1·½ + 2·1·1 + 1·1·1 + 1·1·1 = 5 over W1·W0 = 3·2.
    expect(auc(f64([0.5, 0.5, 0.2, 0.8]), f64([1, 0, 0, 1]), f64([2, 1, 1, 1]))).toBeCloseTo(5 / 6, 15);
  });

  it('is NaN with one class only and accepts infinite scores', () => {
    expect(auc(f64([0.1, 0.2]), f64([1, 1]))).toBeNaN();
    expect(auc(f64([-Infinity, Infinity]), f64([0, 1]))).toBe(1);
  });
});

describe('averagePrecision', () => {
  it('matches the classic 4-row example (5/6)', () => {
    // .8 (pos): P=1 R=½; .4 (neg): R unchanged; .35 (pos): P=⅔ R=1 → ½·1 + ½·⅔.
    expect(averagePrecision(f64([0.1, 0.4, 0.35, 0.8]), f64([0, 0, 1, 1]))).toBeCloseTo(5 / 6, 15);
  });

  it('enters tied scores as one threshold', () => {
    // .9 (neg): R=0; .7 ×3 (2 pos, 1 neg): tp=2 fp=2 → P=½ R=⅔; .2 (pos): tp=3 fp=2 → P=⅗ R=1.
    // AP = ⅔·½ + ⅓·⅗ = 8/15.
    expect(averagePrecision(f64([0.9, 0.7, 0.7, 0.7, 0.2]), f64([0, 1, 1, 0, 1]))).toBeCloseTo(8 / 15, 15);
    // All tied: AP = prevalence.
    expect(averagePrecision(f64([1, 1, 1, 1]), f64([1, 0, 0, 0]))).toBeCloseTo(0.25, 15);
  });

  it('uses sample weights and is NaN without positives', () => {
    // Weight 3 on the positive at .35: .8: P=1 R=¼; .4: -; .35: tp=4 fp=1 P=⅘ R=1 → ¼ + ¾·⅘ = 0.85.
    expect(averagePrecision(f64([0.1, 0.4, 0.35, 0.8]), f64([0, 0, 1, 1]), f64([1, 1, 3, 1]))).toBeCloseTo(0.85, 15);
    expect(averagePrecision(f64([0.1, 0.2]), f64([0, 0]))).toBeNaN();
  });
});

describe('brier and logLoss', () => {
  it('brier is the (weighted) mean squared error', () => {
    expect(brier(f64([0.1, 0.9, 0.5]), f64([0, 1, 1]))).toBeCloseTo(0.09, 15);
    expect(brier(f64([0.1, 0.9, 0.5]), f64([0, 1, 1]), f64([1, 1, 2]))).toBeCloseTo(0.13, 15);
    expect(brier(f64([]), f64([]))).toBeNaN();
  });

  it('logLoss is the mean cross-entropy with p clipped to [eps, 1 - eps]', () => {
    expect(logLoss(f64([0.5, 0.8]), f64([1, 0]))).toBeCloseTo((Math.log(2) + Math.log(5)) / 2, 14);
    expect(logLoss(f64([0]), f64([1]))).toBeCloseTo(-Math.log(1e-15), 12);
    // 1 − 1e-15 is not exact in binary: the loss is −ln(1 − fl(1 − eps)), finite and ≈ 34.5.
    expect(logLoss(f64([1]), f64([0]))).toBeCloseTo(-Math.log1p(-(1 - 1e-15)), 12);
    expect(logLoss(f64([0.2]), f64([1]), undefined, 0.25)).toBeCloseTo(-Math.log(0.25), 15);
    expect(logLoss(f64([0.5, 0.8]), f64([1, 0]), f64([3, 1]))).toBeCloseTo((3 * Math.log(2) + Math.log(5)) / 4, 14);
  });
});

describe('ece', () => {
  it('matches a hand-binned case with 10 bins; p = 1.0 falls in the last bin', () => {
    // bin 0: {.05 / 0} → .05; bin 1: {.15 / 0, .12 / 1} → |.135 − .5| × 2 rows; bin 5: {.55 / 0} → .55;
    // bin 9: {.95 / 1, 1.0 / 1} → |.975 − 1| × 2 rows. ECE = (.05 + .73 + .55 + .05) / 6 = .23.
    const p = f64([0.05, 0.15, 0.12, 0.95, 1.0, 0.55]);
    const y = f64([0, 0, 1, 1, 1, 0]);
    expect(ece(p, y)).toBeCloseTo(0.23, 14);
    expect(eceBin(1.0, 10)).toBe(9);
    expect(eceBin(0.0, 10)).toBe(0);
    expect(eceBin(0.5, 2)).toBe(1); // left-closed bins: 0.5 opens the second of two
  });

  it('is 0 for perfectly calibrated bins and honours the bin count', () => {
    expect(ece(f64([0.25, 0.25, 0.25, 0.25]), f64([1, 0, 0, 0]))).toBeCloseTo(0, 15);
    // One bin: |mean p − mean y|.
    expect(ece(f64([0.1, 0.9, 0.8]), f64([0, 0, 1]), 1)).toBeCloseTo(Math.abs(1.8 / 3 - 1 / 3), 15);
  });
});

describe('weightedF1AtPositive', () => {
  it('is 2TP / (2TP + FP + FN) with weighted counts', () => {
    const preds = f64([1, 1, 0, 0, 1]);
    const labels = f64([1, 0, 1, 0, 1]);
    // Unweighted: TP 2, FP 1, FN 1 → 4/6.
    expect(weightedF1AtPositive(preds, labels)).toBeCloseTo(2 / 3, 15);
    // Weights 2,1,3,1,1: TP = 2 + 1 = 3, FP = 1, FN = 3 → 6/10.
    expect(weightedF1AtPositive(preds, labels, f64([2, 1, 3, 1, 1]))).toBeCloseTo(0.6, 15);
  });

  it('is NaN with no predicted and no actual positive, 0 with positives never predicted', () => {
    expect(weightedF1AtPositive(f64([0, 0]), f64([0, 0]))).toBeNaN();
    expect(weightedF1AtPositive(f64([0, 0]), f64([1, 0]))).toBe(0);
  });
});

describe('recallInBand', () => {
  it('is the share of label-0 weight with score strictly below the bound', () => {
    const s = f64([0.1, 0.3, 0.6, 0.2, 0.9]);
    const y = f64([0, 0, 0, 1, 1]);
    expect(recallInBand(s, y, 0.5)).toBeCloseTo(2 / 3, 15);
    expect(recallInBand(s, y, 0.3)).toBeCloseTo(1 / 3, 15); // strict: 0.3 is outside the band
    expect(recallInBand(s, y, 0.5, f64([1, 2, 1, 5, 5]))).toBeCloseTo(3 / 4, 15);
    expect(recallInBand(f64([0.1]), f64([1]), 0.5)).toBeNaN();
  });
});

describe('input checks', () => {
  it('rejects NaN scores and labels, labels other than 0/1, bad weights and lengths with RangeErrors', () => {
    const s = f64([0.1, 0.2]);
    const y = f64([0, 1]);
    expect(() => auc(f64([0.1, Number.NaN]), y)).toThrow(/score at 1 is NaN/);
    expect(() => auc(s, f64([0, Number.NaN]))).toThrow(RangeError);
    expect(() => averagePrecision(s, f64([0, 2]))).toThrow(/label 2 at 1 is not 0 or 1/);
    expect(() => averagePrecision(f64([Number.NaN, 1]), y)).toThrow(RangeError);
    expect(() => brier(f64([0.1, Number.NaN]), y)).toThrow(/probability NaN/);
    expect(() => brier(f64([0.1, 1.2]), y)).toThrow(RangeError);
    expect(() => logLoss(s, f64([Number.NaN, 1]))).toThrow(RangeError);
    expect(() => ece(f64([Number.NaN, 0.1]), y)).toThrow(RangeError);
    expect(() => ece(s, y, 0)).toThrow(RangeError);
    expect(() => weightedF1AtPositive(f64([0.5, 1]), y)).toThrow(/prediction 0.5/);
    expect(() => recallInBand(s, f64([Number.NaN, 0]), 0.5)).toThrow(RangeError);
    expect(() => recallInBand(s, y, Number.NaN)).toThrow(RangeError);
    expect(() => auc(s, y, f64([1, -1]))).toThrow(/weight -1/);
    expect(() => auc(s, f64([0]))).toThrow(/length/);
  });
});
