// Inverse-frequency class weights with the ratio clipped to 1:ratioMax (SPEC §3.2).
import { describe, expect, it } from 'vitest';
import { classWeights } from '../../src/labels/classWeights.js';

const labels = (zeros: number, ones: number): number[] => [
  ...Array<number>(zeros).fill(0),
  ...Array<number>(ones).fill(1),
];

describe('classWeights', () => {
  it('gives the balanced weights n / (2 n_c) when the ratio is within the cap', () => {
    const { w0, w1 } = classWeights(labels(70, 30), 5);
    expect(w0).toBeCloseTo(100 / 140, 12);
    expect(w1).toBeCloseTo(100 / 60, 12);
  });

  it('clips the ratio to ratioMax and keeps the mean weight at 1', () => {
    const { w0, w1 } = classWeights(labels(90, 10), 5);
    expect(w1 / w0).toBeCloseTo(5, 12);
    expect(90 * w0 + 10 * w1).toBeCloseTo(100, 12);
    // Minority class 0: the cap applies the other way round.
    const flipped = classWeights(labels(2, 98), 5);
    expect(flipped.w0 / flipped.w1).toBeCloseTo(5, 12);
    expect(2 * flipped.w0 + 98 * flipped.w1).toBeCloseTo(100, 12);
  });

  it('ratioMax = 1 gives equal weights; balanced classes give 1 and 1', () => {
    expect(classWeights(labels(90, 10), 1)).toEqual({ w0: 1, w1: 1 });
    expect(classWeights(labels(50, 50), 5)).toEqual({ w0: 1, w1: 1 });
  });

  it('ignores NaN labels, gives 1 and 1 when a class is absent, rejects labels other than 0/1', () => {
    const withNaN = classWeights(Float64Array.from([...labels(70, 30), Number.NaN, Number.NaN]), 5);
    expect(withNaN.w0).toBeCloseTo(100 / 140, 12);
    expect(classWeights(labels(10, 0), 5)).toEqual({ w0: 1, w1: 1 });
    expect(classWeights([], 5)).toEqual({ w0: 1, w1: 1 });
    expect(() => classWeights([0, 2], 5)).toThrow(/class label 2/);
    expect(() => classWeights([0, 1], 0.5)).toThrow(RangeError);
  });
});
