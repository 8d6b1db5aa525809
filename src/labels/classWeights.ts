// Inverse-frequency class weights for binary labels, ratio clipped to 1:ratioMax (SPEC §3.2).

/** Weight of each class; the mean weight over the counted rows is 1. */
export interface ClassWeights {
  w0: number;
  w1: number;
}

/**
 * Inverse-frequency weights (`n / (2 n_c)`, the "balanced" weights) with `max(w)/min(w)` clipped
 * to `ratioMax`, then scaled so that `n0·w0 + n1·w1 = n0 + n1`. NaN labels (rows without a label,
 * such as an undefined y2) are not counted; a class that is absent gives `{ w0: 1, w1: 1 }`.
 */
export function classWeights(y: ArrayLike<number>, ratioMax: number): ClassWeights {
  if (!(ratioMax >= 1)) throw new RangeError(`invalid class weight ratio ${ratioMax}`);
  let n0 = 0;
  let n1 = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (v === 0) n0++;
    else if (v === 1) n1++;
    else if (!Number.isNaN(v)) throw new RangeError(`class label ${v} at ${i} is not 0 or 1`);
  }
  if (n0 === 0 || n1 === 0) return { w0: 1, w1: 1 };
  const n = n0 + n1;
  // Weight of the minority relative to the majority: n_major / n_minor, at most ratioMax.
  const ratio = Math.min(Math.max(n0, n1) / Math.min(n0, n1), ratioMax);
  const minorityIsOne = n1 <= n0;
  const nMajor = minorityIsOne ? n0 : n1;
  const nMinor = minorityIsOne ? n1 : n0;
  const wMajor = n / (nMajor + ratio * nMinor);
  const wMinor = ratio * wMajor;
  return minorityIsOne ? { w0: wMajor, w1: wMinor } : { w0: wMinor, w1: wMajor };
}
