// Pearson correlation and sample standard deviation of two equal-length slices (two-pass, for stress windows).

import { mean, sampleStd } from '../../core/sampleStats.js';

/** The mean and sample std of core/sampleStats under the names the stress code uses. */
export const meanOf = (x: Float64Array): number => mean(x);
export const sampleStdOf = (x: Float64Array): number => sampleStd(x);

/** Pearson correlation; NaN below two values or when either side is constant. */
export function pearson(x: Float64Array, y: Float64Array): number {
  if (x.length !== y.length || x.length < 2) return Number.NaN;
  const mx = meanOf(x);
  const my = meanOf(y);
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}
