// The Huber switch of SPEC §2 for beta_raw: when the OLS residuals are heavy-tailed, refit by IRLS.
// O(window) per call with quickselect medians and preallocated scratch; no sorting, no allocation.
import { medianInPlace, medianNear } from './quickselect.js';

export interface HuberParams {
  /** Switch when std(e) / (1.4826 · MAD) exceeds this (2.0). */
  madRatioSwitch: number;
  /** Huber constant (1.345). */
  c: number;
  maxSolves: number;
  tolerance: number;
}

/** Scratch buffers sized to the window, reused across calls. */
export class HuberScratch {
  readonly e: Float64Array;
  readonly work: Float64Array;
  readonly w: Float64Array;
  /** The previous bar's median residual: the guess for this bar's (see medianNear). */
  lastMedian = Number.NaN;
  constructor(window: number) {
    this.e = new Float64Array(window);
    this.work = new Float64Array(window);
    this.w = new Float64Array(window);
  }
}

/** median(|e - median(e)|) of e[0..n), using `work` as scratch. */
function mad(e: Float64Array, n: number, work: Float64Array): number {
  for (let i = 0; i < n; i++) work[i] = e[i]!;
  const med = medianInPlace(work, n);
  for (let i = 0; i < n; i++) work[i] = Math.abs(e[i]! - med);
  return medianInPlace(work, n);
}

/**
 * SPEC §2 switch: MAD > 0 and std(e)/(1.4826·MAD) > ratio, i.e. 0 < MAD < std/(1.4826·ratio).
 * Decided from one median and a count (how many |e − median| lie below the threshold) instead of
 * a second median; only an exact tie at the middle falls back to computing the MAD.
 */
function switchesToHuber(e: Float64Array, n: number, std: number, ratio: number, s: HuberScratch): boolean {
  const work = s.work;
  const med = medianNear(e, n, s.lastMedian, 0.25 * std, work);
  s.lastMedian = med;
  const threshold = std / (1.4826 * ratio);
  let below = 0;
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(e[i]! - med);
    if (d < threshold) below++;
    if (d === 0) zeros++;
  }
  const lowMid = (n - 1) >> 1;
  const highMid = n >> 1;
  // MAD is the mean of the sorted distances at lowMid and highMid (the same index for odd n).
  if (below > highMid && zeros <= lowMid) return true;
  if (below <= lowMid) return false;
  const m = mad(e, n, work);
  return m > 0 && std / (1.4826 * m) > ratio;
}

/**
 * Returns beta_raw for x[0..n), y[0..n) given the OLS fit and the std (ddof 1) of its residuals
 * (an OLS fit with intercept has residual mean 0, so the rolling sums give it in O(1)): the OLS slope, or the Huber slope when
 * MAD > 0 and std(e)/(1.4826·MAD) > madRatioSwitch. IRLS starts from the OLS fit; the scale
 * median(|e − median(e)|)/0.6745 (the literal constant) is re-estimated from the current fit's
 * residuals before each weighted solve; weights min(1, c/|e/scale|), 1 where e = 0; it stops when
 * α and β both move < tolerance, or after maxSolves solves.
 */
export function robustSlope(
  x: Float64Array,
  y: Float64Array,
  n: number,
  olsAlpha: number,
  olsBeta: number,
  residualStd: number,
  p: HuberParams,
  s: HuberScratch,
): number {
  const e = s.e;
  for (let i = 0; i < n; i++) e[i] = y[i]! - olsAlpha - olsBeta * x[i]!;
  if (!switchesToHuber(e, n, residualStd, p.madRatioSwitch, s)) return olsBeta;

  let alpha = olsAlpha;
  let beta = olsBeta;
  for (let solve = 0; solve < p.maxSolves; solve++) {
    for (let i = 0; i < n; i++) e[i] = y[i]! - alpha - beta * x[i]!;
    const scale = mad(e, n, s.work) / 0.6745;
    // A zero scale leaves no finite weights for non-zero residuals: keep the current fit.
    if (!(scale > 0)) break;
    let sw = 0;
    let swx = 0;
    let swy = 0;
    for (let i = 0; i < n; i++) {
      const r = Math.abs(e[i]! / scale);
      const w = r === 0 ? 1 : Math.min(1, p.c / r);
      s.w[i] = w;
      sw += w;
      swx += w * x[i]!;
      swy += w * y[i]!;
    }
    const mx = swx / sw;
    const my = swy / sw;
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      const dx = x[i]! - mx;
      sxx += s.w[i]! * dx * dx;
      sxy += s.w[i]! * dx * (y[i]! - my);
    }
    if (!(sxx > 0)) break;
    const nextBeta = sxy / sxx;
    const nextAlpha = my - nextBeta * mx;
    const converged = Math.abs(nextAlpha - alpha) < p.tolerance && Math.abs(nextBeta - beta) < p.tolerance;
    alpha = nextAlpha;
    beta = nextBeta;
    if (converged) break;
  }
  return beta;
}
