// The block-bootstrap 95% CI of a proposed θ's improvement over the old θ (SPEC §6 hold rule).
import { annualReturnStatistic, blockBootstrapDiffCi, type ConfidenceInterval } from '../backtest/kpis/index.js';

export interface ImprovementCiInput {
  /** Daily returns of the backtest with the proposed θ, and with the old θ, over the same trading days. */
  newDaily: ArrayLike<number>;
  oldDaily: ArrayLike<number>;
  seed: number;
  /** retrain_policy.block_bootstrap_size_bars. */
  blockBars: number;
  /** bars_per_day of the timeframe, to turn the block length in bars into days. */
  barsPerDay: number;
  /** backtest_policy.bootstrap.resamples (SPEC: 1000). */
  resamples?: number;
}

export interface ImprovementCi extends ConfidenceInterval {
  metric: 'annualised_mean_daily_return_difference';
  /** The block length used, in days: ⌈blockBars / barsPerDay⌉. */
  blockDays: number;
}

/** Block length in days covering at least `blockBars` bars (20 bars at 1h → 1 day, at 4h → 4 days). */
export function blockDaysFor(blockBars: number, barsPerDay: number): number {
  if (!(blockBars >= 1) || !(barsPerDay > 0))
    throw new RangeError(`blockDaysFor: need blockBars ≥ 1 and barsPerDay > 0, got ${blockBars}, ${barsPerDay}`);
  return Math.max(1, Math.ceil(blockBars / barsPerDay));
}

/**
 * The metric is the difference of the simple annualised returns, 252 · (mean(new) − mean(old)) of the
 * daily returns: the score's leading term (SPEC §6 AnnualizedReturn), and unlike a Sharpe difference
 * it stays defined when one run has no trades (zero variance). Both series are resampled with the
 * same circular blocks (blockBootstrapDiffCi), so common market days stay paired. Seeded.
 */
export function improvementCi(input: ImprovementCiInput): ImprovementCi {
  if (input.newDaily.length !== input.oldDaily.length)
    throw new RangeError(
      `improvementCi: the runs must cover the same days (${input.newDaily.length} vs ${input.oldDaily.length})`,
    );
  const blockDays = blockDaysFor(input.blockBars, input.barsPerDay);
  const ci = blockBootstrapDiffCi(input.newDaily, input.oldDaily, annualReturnStatistic(1), {
    seed: input.seed,
    blockSize: blockDays,
    resamples: input.resamples ?? 1000,
    level: 0.95,
  });
  return { ...ci, metric: 'annualised_mean_daily_return_difference', blockDays };
}
