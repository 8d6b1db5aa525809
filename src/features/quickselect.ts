// In-place selection (Hoare's quickselect with median-of-three pivots): the k-th smallest of a[0..n) in O(n) average.

/** Reorders a[0..n) so a[k] is the k-th smallest, smaller before and larger after; returns a[k]. */
export function selectKth(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // Median of three as the pivot guards against sorted input.
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
}

/** Median of a[0..n) (mean of the two middle values for even n); reorders a. */
export function medianInPlace(a: Float64Array, n: number): number {
  const k = n >> 1;
  const upper = selectKth(a, n, k);
  if (n % 2 === 1) return upper;
  // After selection everything before k is <= a[k]: the lower middle is their maximum.
  let lower = -Infinity;
  for (let i = 0; i < k; i++) if (a[i]! > lower) lower = a[i]!;
  return (lower + upper) / 2;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/**
 * Median of a[0..n) (a is left untouched) when it is expected within `guess ± halfWidth`: one pass
 * keeps the values inside that band in `band` and counts those below it, and only the band is
 * searched. Falls back to a full quickselect on `band` when the median is outside the band.
 * Rolling windows change little from one bar to the next, so the previous median is a good guess.
 */
export function medianNear(a: Float64Array, n: number, guess: number, halfWidth: number, band: Float64Array): number {
  const lowMid = (n - 1) >> 1;
  const highMid = n >> 1;
  if (Number.isFinite(guess) && halfWidth > 0) {
    const lo = guess - halfWidth;
    const hi = guess + halfWidth;
    let below = 0;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const v = a[i]!;
      if (v < lo) below++;
      else if (v <= hi) band[m++] = v;
    }
    const k1 = lowMid - below;
    const k2 = highMid - below;
    if (k1 >= 0 && k2 < m) {
      const upper = selectKth(band, m, k2);
      if (k1 === k2) return upper;
      let lower = -Infinity;
      for (let i = 0; i < k2; i++) if (band[i]! > lower) lower = band[i]!;
      return (lower + upper) / 2;
    }
  }
  for (let i = 0; i < n; i++) band[i] = a[i]!;
  return medianInPlace(band, n);
}
