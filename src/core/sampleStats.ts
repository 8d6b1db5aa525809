// Mean and sample standard deviation (ddof = 1) of a numeric series: the one home of both for KPIs,
// stress windows and the DD policy's daily σ.

/** Arithmetic mean; NaN for an empty series. */
export function mean(x: ArrayLike<number>): number {
  if (x.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/** Sample standard deviation with ddof = 1 (two-pass, for accuracy); NaN below two values. */
export function sampleStd(x: ArrayLike<number>): number {
  return sampleStdOfFirst(x, x.length);
}

/** sampleStd of the first `n` values of `x` (a scratch buffer, without a subarray view per call). */
export function sampleStdOfFirst(x: ArrayLike<number>, n: number): number {
  if (n < 2) return Number.NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  const m = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m;
    ss += d * d;
  }
  return Math.sqrt(ss / (n - 1));
}
