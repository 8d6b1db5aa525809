// Circular block bootstrap percentile CIs for statistics of a return series and of new − old (SPEC §7).
import type { PtConfig } from '../../config/schemas/index.js';
import { SeededRng } from '../../core/rng.js';
import { maxDrawdownOfReturns } from './maxDrawdown.js';
import { mean } from '../../core/sampleStats.js';
import { sharpeRatio } from './sharpeRatio.js';

/** A statistic of a return series. It must not keep the array: the bootstrap reuses the buffer. */
export type ReturnStatistic = (returns: Float64Array) => number;

export interface BootstrapOptions {
  seed: number;
  /** Block length in elements of the series (SPEC: 20 bars). */
  blockSize?: number;
  /** Number of resamples (SPEC: 1000). */
  resamples?: number;
  /** Central coverage of the interval (0.95). */
  level?: number;
}

export interface ConfidenceInterval {
  /** The statistic on the original series (for a difference: stat(new) − stat(old)). */
  estimate: number;
  lower: number;
  upper: number;
  level: number;
  /** Resamples whose statistic was finite; the percentiles use only these. */
  validResamples: number;
}

/** Block size and resample count from `backtest_policy.bootstrap`. */
export function bootstrapOptionsFrom(config: PtConfig, seed: number): BootstrapOptions {
  const b = config.backtest_policy.bootstrap;
  return { seed, blockSize: b.block_size_bars, resamples: b.resamples, level: 0.95 };
}

/** Linear-interpolation quantile (type 7) of an ascending array. */
function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function resolve(opts: BootstrapOptions, n: number): { blockSize: number; resamples: number; level: number } {
  const blockSize = opts.blockSize ?? 20;
  const resamples = opts.resamples ?? 1000;
  const level = opts.level ?? 0.95;
  if (!Number.isInteger(blockSize) || blockSize < 1)
    throw new RangeError(`blockSize must be a positive integer, got ${blockSize}`);
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  if (n < 1) throw new RangeError('bootstrap needs at least one return');
  return { blockSize, resamples, level };
}

/**
 * Fills `idx` with one circular block resample of 0..n−1: ⌈n/b⌉ blocks, each starting at a uniform
 * index and wrapping past the end, the last block cut so the resample has length n.
 */
function drawIndices(rng: SeededRng, n: number, blockSize: number, idx: Int32Array): void {
  let k = 0;
  while (k < n) {
    const start = Math.floor(rng.next() * n);
    for (let j = 0; j < blockSize && k < n; j++, k++) idx[k] = (start + j) % n;
  }
}

function interval(stats: Float64Array, count: number, estimate: number, level: number): ConfidenceInterval {
  const finite = Float64Array.from(stats.subarray(0, count).filter((v) => Number.isFinite(v))).sort();
  const tail = (1 - level) / 2;
  return {
    estimate,
    lower: quantileSorted(finite, tail),
    upper: quantileSorted(finite, 1 - tail),
    level,
    validResamples: finite.length,
  };
}

/** Percentile CI of `statistic` over circular block resamples of `returns`, reproducible per seed. */
export function blockBootstrapCi(
  returns: ArrayLike<number>,
  statistic: ReturnStatistic,
  opts: BootstrapOptions,
): ConfidenceInterval {
  const r = Float64Array.from(returns);
  const n = r.length;
  const { blockSize, resamples, level } = resolve(opts, n);
  const rng = new SeededRng(opts.seed);
  const idx = new Int32Array(n);
  const buf = new Float64Array(n);
  const stats = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    drawIndices(rng, n, blockSize, idx);
    for (let i = 0; i < n; i++) buf[i] = r[idx[i]!]!;
    stats[b] = statistic(buf);
  }
  return interval(stats, resamples, statistic(Float64Array.from(r)), level);
}

/**
 * Percentile CI of stat(new) − stat(old) for two aligned series: each resample applies the same block
 * starts to both, so their common shocks (same market days) stay paired and cancel in the difference.
 */
export function blockBootstrapDiffCi(
  newReturns: ArrayLike<number>,
  oldReturns: ArrayLike<number>,
  statistic: ReturnStatistic,
  opts: BootstrapOptions,
): ConfidenceInterval {
  const a = Float64Array.from(newReturns);
  const o = Float64Array.from(oldReturns);
  const n = a.length;
  if (o.length !== n) throw new RangeError(`blockBootstrapDiffCi: series lengths differ (${n} vs ${o.length})`);
  const { blockSize, resamples, level } = resolve(opts, n);
  const rng = new SeededRng(opts.seed);
  const idx = new Int32Array(n);
  const bufA = new Float64Array(n);
  const bufO = new Float64Array(n);
  const stats = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    drawIndices(rng, n, blockSize, idx);
    for (let i = 0; i < n; i++) {
      bufA[i] = a[idx[i]!]!;
      bufO[i] = o[idx[i]!]!;
    }
    stats[b] = statistic(bufA) - statistic(bufO);
  }
  return interval(stats, resamples, statistic(Float64Array.from(a)) - statistic(Float64Array.from(o)), level);
}

/**
 * Compounds consecutive groups of `periodsPerDay` returns into one "trading day" each (SPEC §0: a
 * trading day is bars_per_day bars that exist); a last partial group counts as a day. 1 = already daily.
 */
export function toDailyReturns(returns: Float64Array, periodsPerDay: number): Float64Array {
  if (periodsPerDay === 1) return returns;
  const out = new Float64Array(Math.ceil(returns.length / periodsPerDay));
  for (let d = 0; d < out.length; d++) {
    let g = 1;
    const end = Math.min(returns.length, (d + 1) * periodsPerDay);
    for (let i = d * periodsPerDay; i < end; i++) g *= 1 + returns[i]!;
    out[d] = g - 1;
  }
  return out;
}

function checkPeriods(periodsPerDay: number): void {
  if (!Number.isInteger(periodsPerDay) || periodsPerDay < 1)
    throw new RangeError(`periodsPerDay must be a positive integer, got ${periodsPerDay}`);
}

/** Daily Sharpe ×√252 of (per-bar when periodsPerDay > 1) returns, the same definition as computeKpis. */
export function sharpeStatistic(periodsPerDay = 1): ReturnStatistic {
  checkPeriods(periodsPerDay);
  return (r) => sharpeRatio(toDailyReturns(r, periodsPerDay), 252);
}

/** Simple annual return: mean daily return × 252. */
export function annualReturnStatistic(periodsPerDay = 1): ReturnStatistic {
  checkPeriods(periodsPerDay);
  return (r) => mean(toDailyReturns(r, periodsPerDay)) * 252;
}

/** MaxDD of the curve compounded from the returns (bar or daily; a finer path sees deeper troughs). */
export function maxDrawdownStatistic(): ReturnStatistic {
  return (r) => maxDrawdownOfReturns(r);
}
