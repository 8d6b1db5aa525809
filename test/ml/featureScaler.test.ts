import { describe, expect, it } from 'vitest';
import { fitFeatureScaler, scaleValue } from '../../src/ml/featureScaler.js';

describe('feature scaler', () => {
  it('standardises by the training median and MAD, winsorises at the training quantiles and clips z-like features', () => {
    const x = Float64Array.from([1, 2, 3, 4, 100]);
    const z = Float64Array.from([0, 10, 20, 30, 40]);
    const s = fitFeatureScaler(['vol_ratio_spread', 'z'], [x, z], [0, 1, 2, 3, 4], [0, 1], 5);
    // x: median 3, |x − 3| = 2,1,0,1,97 → MAD 1.
    expect(s.median[0]).toBe(3);
    expect(s.mad[0]).toBe(1);
    expect(scaleValue(s, 0, 4)).toBe(1);
    // Winsorised at the training range on the standardised scale: 1000 → (100 − 3)/1 = 97.
    expect(scaleValue(s, 0, 1000)).toBe(97);
    // z: median 20, MAD 10 → (40 − 20)/10 = 2; clipped to ±5 anyway.
    expect(scaleValue(s, 1, 40)).toBe(2);
    expect(s.clipped).toEqual(['z']);
    expect(scaleValue(s, 1, Number.NaN)).toBeNaN();
  });

  it('uses only the training rows, and a constant feature stays finite', () => {
    const x = Float64Array.from([5, 5, 5, 1e9]);
    const s = fitFeatureScaler(['c'], [x], [0, 1, 2], [0.01, 0.99], 5);
    expect(s.median[0]).toBe(5);
    expect(s.mad[0]).toBe(1);
    expect(scaleValue(s, 0, 1e9)).toBe(0);
  });
});
