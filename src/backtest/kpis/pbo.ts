// Probability of Backtest Overfitting by combinatorially symmetric cross-validation (CSCV): Bailey, Borwein,
// López de Prado & Zhu, "The Probability of Backtest Overfitting", Journal of Computational Finance 20(4), 2017.

/** Performance of a trial on a set of periods: Sharpe (mean / std) or the mean return. */
export type PboMetric = 'sharpe' | 'mean';

export interface PboOptions {
  /** S, the number of contiguous blocks the periods are cut into; even, 2..24 (default 16). */
  blocks?: number;
  /** Default 'sharpe'. */
  metric?: PboMetric;
}

export interface PboResult {
  /** Share of combinations whose in-sample best trial ranks at or below the out-of-sample median (λ ≤ 0). */
  pbo: number;
  /** λ = ln(ω / (1 − ω)) per combination, in enumeration order. */
  logits: Float64Array;
  /** C(S, S/2): 12870 for S = 16. */
  combinations: number;
  blocks: number;
  trials: number;
  periods: number;
  /** The in-sample best trial's in-sample and out-of-sample performance, per combination. */
  isPerformance: Float64Array;
  oosPerformance: Float64Array;
  /** Median of ω = rank / (N + 1) of the in-sample best trial out of sample (0.5: no better than chance). */
  medianOosRank: number;
  /** Share of combinations where the in-sample best trial loses out of sample (performance < 0). */
  probabilityOfOosLoss: number;
}

const MAX_BLOCKS = 24;
/** A variance this small against the mean square is rounding noise of a constant series: no spread. */
const RELATIVE_VARIANCE_NOISE = 1e-10;

/**
 * mean / std over n periods from the sum and the sum of squares (population std: every trial in a
 * combination has the same n, so ddof cannot change a rank). Zero spread: 0 for a zero mean (a trial
 * that never trades), otherwise ±Infinity (a riskless gain ranks above every risky one).
 */
function sharpeFromSums(sum: number, sumSq: number, n: number): number {
  const m = sum / n;
  const meanSq = sumSq / n;
  const variance = meanSq - m * m;
  if (variance <= RELATIVE_VARIANCE_NOISE * meanSq) return m === 0 ? 0 : m > 0 ? Infinity : -Infinity;
  return m / Math.sqrt(variance);
}

function validate(columns: readonly ArrayLike<number>[], blocks: number): number {
  if (!Number.isInteger(blocks) || blocks < 2 || blocks % 2 !== 0 || blocks > MAX_BLOCKS)
    throw new RangeError(`blocks (S) must be an even integer in 2..${MAX_BLOCKS}, got ${blocks}`);
  if (columns.length < 2) throw new RangeError(`PBO needs at least two trials, got ${columns.length}`);
  const t = columns[0]!.length;
  if (t < blocks) throw new RangeError(`PBO needs at least one period per block: T = ${t} < S = ${blocks}`);
  for (let j = 0; j < columns.length; j++) {
    const col = columns[j]!;
    if (col.length !== t) throw new RangeError(`trial ${j} has ${col.length} periods, trial 0 has ${t}`);
    for (let i = 0; i < t; i++)
      if (!Number.isFinite(col[i])) throw new RangeError(`trial ${j} has a non-finite return at period ${i}`);
  }
  return t;
}

/**
 * PBO by CSCV over a T×N matrix given as N columns (one per trial) of T per-period returns, all on
 * the same periods. The periods are cut into S contiguous blocks of ⌊T/S⌋ or ⌈T/S⌉ periods (block b
 * covers ⌊b·T/S⌋ … ⌊(b+1)·T/S⌋ − 1). For each of the C(S, S/2) choices of S/2 blocks as in-sample (IS)
 * and the rest as out-of-sample (OOS): n* = the trial with the best IS performance (lowest index on a
 * tie); ω = its OOS rank / (N + 1), rank 1 = worst and tied trials sharing the mean rank; λ = logit(ω).
 * PBO = share of λ ≤ 0. Per-trial block sums and sums of squares are computed once, so a combination
 * costs O(N·S) whatever T is.
 */
export function probabilityOfBacktestOverfitting(
  columns: readonly ArrayLike<number>[],
  options: PboOptions = {},
): PboResult {
  const s = options.blocks ?? 16;
  const metricName = options.metric ?? 'sharpe';
  const t = validate(columns, s);
  const n = columns.length;
  const half = s / 2;

  const blockSum = new Float64Array(n * s);
  const blockSq = new Float64Array(n * s);
  const blockLen = new Int32Array(s);
  const totalSum = new Float64Array(n);
  const totalSq = new Float64Array(n);
  for (let b = 0; b < s; b++) blockLen[b] = Math.floor(((b + 1) * t) / s) - Math.floor((b * t) / s);
  for (let j = 0; j < n; j++) {
    const col = columns[j]!;
    for (let b = 0; b < s; b++) {
      let sum = 0;
      let sq = 0;
      for (let i = Math.floor((b * t) / s); i < Math.floor(((b + 1) * t) / s); i++) {
        const r = col[i]!;
        sum += r;
        sq += r * r;
      }
      blockSum[b * n + j] = sum;
      blockSq[b * n + j] = sq;
      totalSum[j] = totalSum[j]! + sum;
      totalSq[j] = totalSq[j]! + sq;
    }
  }

  const metric = metricName === 'mean' ? (sum: number, _sq: number, len: number): number => sum / len : sharpeFromSums;
  const combinations = binomial(s, half);
  const logits = new Float64Array(combinations);
  const omegas = new Float64Array(combinations);
  const isPerformance = new Float64Array(combinations);
  const oosPerformance = new Float64Array(combinations);
  const oos = new Float64Array(n);
  const isSum = new Float64Array(n);
  const isSq = new Float64Array(n);
  const chosen = new Int32Array(half);
  let overfit = 0;
  let losses = 0;

  // Gosper's hack walks every S-bit mask with S/2 bits set, in increasing order.
  let mask = (1 << half) - 1;
  for (let c = 0; c < combinations; c++) {
    let isLen = 0;
    for (let b = 0, k = 0; b < s; b++)
      if (mask & (1 << b)) {
        chosen[k++] = b;
        isLen += blockLen[b]!;
      }
    const oosLen = t - isLen;
    // Block-major layout: each chosen block adds one contiguous row of N sums.
    isSum.fill(0);
    isSq.fill(0);
    for (let k = 0; k < half; k++) {
      const base = chosen[k]! * n;
      for (let j = 0; j < n; j++) {
        isSum[j] = isSum[j]! + blockSum[base + j]!;
        isSq[j] = isSq[j]! + blockSq[base + j]!;
      }
    }
    let best = 0;
    let bestIs = metric(isSum[0]!, isSq[0]!, isLen);
    oos[0] = metric(totalSum[0]! - isSum[0]!, totalSq[0]! - isSq[0]!, oosLen);
    for (let j = 1; j < n; j++) {
      const perfIs = metric(isSum[j]!, isSq[j]!, isLen);
      if (perfIs > bestIs) {
        bestIs = perfIs;
        best = j;
      }
      oos[j] = metric(totalSum[j]! - isSum[j]!, totalSq[j]! - isSq[j]!, oosLen);
    }
    const target = oos[best]!;
    let below = 0;
    let tied = 0;
    for (let j = 0; j < n; j++) {
      if (oos[j]! < target) below++;
      else if (oos[j]! === target && j !== best) tied++;
    }
    const omega = (below + 1 + tied / 2) / (n + 1);
    const logit = Math.log(omega / (1 - omega));
    logits[c] = logit;
    omegas[c] = omega;
    isPerformance[c] = bestIs;
    oosPerformance[c] = target;
    if (logit <= 0) overfit++;
    if (target < 0) losses++;

    const low = mask & -mask;
    const ripple = mask + low;
    mask = (((ripple ^ mask) >>> 2) / low) | ripple;
  }

  omegas.sort();
  const mid = combinations >> 1;
  const medianOosRank = combinations % 2 === 1 ? omegas[mid]! : (omegas[mid - 1]! + omegas[mid]!) / 2;
  return {
    pbo: overfit / combinations,
    logits,
    combinations,
    blocks: s,
    trials: n,
    periods: t,
    isPerformance,
    oosPerformance,
    medianOosRank,
    probabilityOfOosLoss: losses / combinations,
  };
}

/** C(n, k) for the small n used here (exact in doubles). */
function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}
