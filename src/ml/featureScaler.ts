// Model-input normalisation (SPEC §2 last paragraph): robust standardisation with the training
// rows' median and MAD, winsorised at the training 1st/99th percentiles, and z, delta_z and slope_*
// clipped to [-5, 5]. Fitted on train only and stored with the model, so live applies the same.
import { medianInPlace, selectKth } from '../features/quickselect.js';

export interface FeatureScalerStats {
  names: string[];
  median: number[];
  /** MAD of the training rows; 1 where it is 0 (a constant feature stays constant). */
  mad: number[];
  /** Winsorisation bounds on the standardised scale. */
  lower: number[];
  upper: number[];
  /** Features clipped to [-clip, clip] after standardisation (SPEC: z, delta_z, slope_*). */
  clipped: string[];
  clip: number;
}

const CLIPPED = /^(z|delta_z|slope_.*)$/;

function quantileOf(sorted: Float64Array, n: number, q: number): number {
  // Linear interpolation between order statistics (numpy's default).
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const a = selectKth(sorted, n, lo);
  const b = hi === lo ? a : selectKth(sorted, n, hi);
  return a + (b - a) * (pos - lo);
}

/** Fits the scaler on `rows` (indices into the columns) of every column; NaNs are ignored. */
export function fitFeatureScaler(
  names: string[],
  columns: Float64Array[],
  rows: ArrayLike<number>,
  quantiles: readonly [number, number],
  clip: number,
): FeatureScalerStats {
  const stats: FeatureScalerStats = {
    names: [...names],
    median: [],
    mad: [],
    lower: [],
    upper: [],
    clipped: names.filter((n) => CLIPPED.test(n)),
    clip,
  };
  const buf = new Float64Array(rows.length);
  for (const col of columns) {
    let n = 0;
    for (let i = 0; i < rows.length; i++) {
      const v = col[rows[i]!]!;
      if (!Number.isNaN(v)) buf[n++] = v;
    }
    if (n === 0) {
      stats.median.push(0);
      stats.mad.push(1);
      stats.lower.push(-Infinity);
      stats.upper.push(Infinity);
      continue;
    }
    const median = medianInPlace(buf, n);
    for (let i = 0; i < n; i++) buf[i] = Math.abs(buf[i]! - median);
    const madRaw = medianInPlace(buf, n);
    const mad = madRaw > 0 ? madRaw : 1;
    let m = 0;
    for (let i = 0; i < rows.length; i++) {
      const v = col[rows[i]!]!;
      if (!Number.isNaN(v)) buf[m++] = (v - median) / mad;
    }
    stats.median.push(median);
    stats.mad.push(mad);
    stats.lower.push(quantileOf(buf, m, quantiles[0]));
    stats.upper.push(quantileOf(buf, m, quantiles[1]));
  }
  return stats;
}

/** Applies the scaler to one value of feature k (NaN stays NaN for the trees' missing branch). */
export function scaleValue(stats: FeatureScalerStats, k: number, v: number): number {
  if (Number.isNaN(v)) return v;
  let s = (v - stats.median[k]!) / stats.mad[k]!;
  if (s < stats.lower[k]!) s = stats.lower[k]!;
  else if (s > stats.upper[k]!) s = stats.upper[k]!;
  if (stats.clipped.includes(stats.names[k]!)) s = Math.max(-stats.clip, Math.min(stats.clip, s));
  return s;
}

/** Scaled copies of the columns for the given rows. */
export function scaleColumns(
  stats: FeatureScalerStats,
  columns: Float64Array[],
  rows: ArrayLike<number>,
): Float64Array[] {
  return columns.map((col, k) => {
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = scaleValue(stats, k, col[rows[i]!]!);
    return out;
  });
}
