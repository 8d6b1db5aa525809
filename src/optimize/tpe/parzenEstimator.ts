// A Parzen estimator (mixture of truncated normals plus a prior kernel) over one or more parameters,
// following Optuna's optuna/samplers/_tpe/parzen_estimator.py with its default settings.
import type { SeededRng } from '../../core/rng.js';
import type { SpaceParam } from './searchSpace.js';
import { quantize } from './searchSpace.js';
import { logGaussMass, sampleTruncatedNormal, truncatedNormalLogPdf } from './truncatedNormal.js';

/** Kernels of one parameter: observations first, the prior last. */
interface KernelColumn {
  readonly param: SpaceParam;
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
  /** log mass of each kernel inside the kernel bounds (its truncation constant). */
  readonly logMass: Float64Array;
}

/**
 * Optuna's default_weights: equal weights up to 25 observations; beyond that the oldest n − 25 ramp
 * linearly from 1/n towards 1 and the newest 25 weigh 1. `n` observations in trial order.
 */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const out: number[] = [];
  for (let i = 0; i < ramp; i++) out.push(ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1));
  for (let i = 0; i < 25; i++) out.push(1);
  return out;
}

/**
 * Bandwidths (Optuna's univariate rule, consider_endpoints = false, magic clip on): each kernel's sigma is
 * the larger distance to its sorted neighbours, the bounds counting as neighbours except that the lowest
 * and highest observation look only inwards; then clipped to [range / min(100, n + 2), range].
 */
export function bandwidths(mus: readonly number[], low: number, high: number): Float64Array {
  const n = mus.length;
  const order = mus.map((_, i) => i).sort((i, j) => mus[i]! - mus[j]! || i - j);
  const sorted = [low, ...order.map((i) => mus[i]!), high];
  const sigmas = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const at = r + 1;
    let s = Math.max(sorted[at]! - sorted[at - 1]!, sorted[at + 1]! - sorted[at]!);
    if (n >= 2 && r === 0) s = sorted[2]! - sorted[1]!;
    if (n >= 2 && r === n - 1) s = sorted[n]! - sorted[n - 1]!;
    sigmas[order[r]!] = s;
  }
  const range = high - low;
  const minSigma = range / Math.min(100, n + 2);
  for (let i = 0; i < n; i++) sigmas[i] = Math.min(range, Math.max(minSigma, sigmas[i]!));
  return sigmas;
}

export class ParzenEstimator {
  private readonly columns: KernelColumn[];
  private readonly logWeights: Float64Array;
  private readonly cumulative: Float64Array;

  /**
   * @param observations one row of values per observation, in trial order, one value per param.
   * @param priorWeight weight of the prior kernel (centre of the range, sigma = the whole range).
   */
  constructor(
    params: readonly SpaceParam[],
    observations: readonly (readonly number[])[],
    priorWeight: number,
    weights: readonly number[] = defaultWeights(observations.length),
  ) {
    const n = observations.length;
    const raw = n === 0 ? [1] : [...weights, priorWeight];
    const total = raw.reduce((a, b) => a + b, 0);
    this.logWeights = Float64Array.from(raw, (w) => Math.log(w / total));
    this.cumulative = new Float64Array(raw.length);
    let acc = 0;
    raw.forEach((w, k) => (this.cumulative[k] = acc += w / total));
    this.columns = params.map((param, d) => {
      const values = observations.map((row) => row[d]!);
      const low = param.kernelLow;
      const high = param.kernelHigh;
      const mus = Float64Array.from([...values, 0.5 * (low + high)]);
      const sigmas = Float64Array.from([...bandwidths(values, low, high), high - low]);
      const logMass = mus.map((mu, k) => logGaussMass((low - mu) / sigmas[k]!, (high - mu) / sigmas[k]!));
      return { param, mus, sigmas, logMass };
    });
  }

  /** `size` draws; each picks one kernel (shared by all params of this estimator) and samples it. */
  sample(rng: SeededRng, size: number): number[][] {
    const out: number[][] = [];
    for (let s = 0; s < size; s++) {
      const u = rng.next();
      let k = 0;
      while (k < this.cumulative.length - 1 && this.cumulative[k]! <= u) k++;
      out.push(
        this.columns.map((c) =>
          quantize(c.param, sampleTruncatedNormal(rng, c.mus[k]!, c.sigmas[k]!, c.param.kernelLow, c.param.kernelHigh)),
        ),
      );
    }
    return out;
  }

  /** log density of each point (a stepped param uses the kernel's mass over the point's grid cell). */
  logPdf(points: readonly (readonly number[])[]): Float64Array {
    const nk = this.logWeights.length;
    // Per column, each distinct value's per-kernel log terms: stepped candidates repeat grid values often.
    const termsByColumn = this.columns.map((c, d) => {
      const cache = new Map<number, Float64Array>();
      return points.map((x) => {
        const v = x[d]!;
        let terms = cache.get(v);
        if (terms === undefined) {
          terms = kernelLogTerms(c, v);
          cache.set(v, terms);
        }
        return terms;
      });
    });
    const sum = new Float64Array(nk);
    return Float64Array.from(points, (_, i) => {
      sum.set(this.logWeights);
      for (const column of termsByColumn) {
        const terms = column[i]!;
        for (let k = 0; k < nk; k++) sum[k]! += terms[k]!;
      }
      return logSumExp(sum);
    });
  }
}

/** log density (continuous) or log cell mass (stepped) of value `v` under each kernel of a column. */
function kernelLogTerms(c: KernelColumn, v: number): Float64Array {
  const step = c.param.step;
  return c.mus.map((mu, k) => {
    const sigma = c.sigmas[k]!;
    return step === 0
      ? truncatedNormalLogPdf(v, mu, sigma, c.logMass[k]!)
      : logGaussMass((v - step / 2 - mu) / sigma, (v + step / 2 - mu) / sigma) - c.logMass[k]!;
  });
}

function logSumExp(xs: Float64Array): number {
  let max = -Infinity;
  for (const x of xs) if (x > max) max = x;
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (const x of xs) s += Math.exp(x - max);
  return max + Math.log(s);
}
