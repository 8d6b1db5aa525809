// Pearson correlation and sample standard deviation of two equal-length slices (two-pass, for stress windows).

export function meanOf(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/** Sample standard deviation (n − 1); NaN below two values. */
export function sampleStdOf(x: Float64Array): number {
  if (x.length < 2) return Number.NaN;
  const m = meanOf(x);
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i]! - m) ** 2;
  return Math.sqrt(ss / (x.length - 1));
}

/** Pearson correlation; NaN below two values or when either side is constant. */
export function pearson(x: Float64Array, y: Float64Array): number {
  if (x.length !== y.length || x.length < 2) return Number.NaN;
  const mx = meanOf(x);
  const my = meanOf(y);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}
