// Multiple-testing honesty of a θ search (issue 16): the Deflated Sharpe of the chosen trial given
// every trial that was tried, and the PBO by CSCV over all trials' daily returns. A label sweep passes
// the trials of every label point, so its count is the real number of backtests looked at.
import {
  deflatedSharpe,
  probabilityOfBacktestOverfitting,
  sharpeRatio,
  trialSharpeVariance,
} from '../backtest/kpis/index.js';
import type { OptimizeRun } from './optimizeRun.js';

/** S of the CSCV. */
export const PBO_BLOCKS = 16;

/**
 * `series`: every trial's daily returns on one common selection period (per-day units); `best`: the
 * chosen trial's index. DSR needs the chosen trial and > 2 days; PBO needs ≥ 2 trials and ≥ S days.
 */
export function searchStatistics(
  series: readonly Float64Array[],
  best: number | undefined,
): Pick<OptimizeRun, 'dsr' | 'pbo'> {
  const out: Pick<OptimizeRun, 'dsr' | 'pbo'> = {};
  const dailySharpes = series.map((r) => (r.length > 1 ? sharpeRatio(r, 1) : Number.NaN));
  if (best !== undefined && series[best]!.length > 2) {
    const d = deflatedSharpe(series[best]!, { n: series.length, v: trialSharpeVariance(dailySharpes) });
    out.dsr = { dsr: d.dsr, sr0: d.sr0, srHat: d.srHat, trials: series.length };
  }
  const days = series[0]?.length ?? 0;
  if (days >= PBO_BLOCKS && series.length >= 2) {
    const p = probabilityOfBacktestOverfitting(series, { blocks: PBO_BLOCKS });
    out.pbo = { pbo: p.pbo, blocks: p.blocks, combinations: p.combinations };
  }
  return out;
}
