// The Huber switch of SPEC §2 for beta_raw: when the OLS residuals are heavy-tailed, refit by IRLS.
// O(window) per call with quickselect medians and preallocated scratch; no sorting, no allocation.
import { medianInPlace } from './quickselect.js';

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
 * Returns beta_raw for x[0..n), y[0..n) given the OLS fit: the OLS slope, or the Huber slope when
 * MAD > 0 and std(e)/(1.4826·MAD) > madRatioSwitch. IRLS starts from the OLS fit; the scale
 * median(|e − median(e)|)/0.6745 (the literal constant) is re-estimated from the current fit's
 * residuals before each weighted solve; weights min(1, c/|e/scale|), 1 where e = 0; it stops when
 * α and β both move < tolerance, or after maxSolves solves.
 */
export function robustSlope(x: Float64Array, y: Float64Array, n: number, olsAlpha: number, olsBeta: number, p: HuberParams, s: HuberScratch): number {
  const e = s.e;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    e[i] = y[i]! - olsAlpha - olsBeta * x[i]!;
    mean += e[i]!;
  }
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (e[i]! - mean) ** 2;
  const std = Math.sqrt(ss / (n - 1));
  const m = mad(e, n, s.work);
  if (!(m > 0) || !(std / (1.4826 * m) > p.madRatioSwitch)) return olsBeta;

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
