// Purged K-fold and walk-forward options from retrain_policy (SPEC §4), with the embargo resolved.
import type { PtConfig } from '../config/schemas/index.js';
import { checkKFoldOptions, type PurgedKFoldOptions } from './purgedKFold.js';
import { checkWalkForwardOptions, type WalkForwardOptions } from './walkForward.js';

export interface CvOptions {
  kFold: PurgedKFoldOptions;
  walkForward: WalkForwardOptions;
  /** CV_SHORT_EMBARGO when config sets an embargo shorter than the feature lookback. */
  warnings: string[];
}

/**
 * `barsPerDay` comes from `barsPerDay(timeframe)` (SPEC §0); days become bars in `walkForward`.
 * `featureLookbackBars` (features/featureLookback) is the embargo when `embargo_bars` is `auto`; a
 * configured number below it is used as given, with a warning.
 */
export function cvOptionsFrom(config: PtConfig, barsPerDay: number, featureLookbackBars: number): CvOptions {
  const r = config.retrain_policy;
  const warnings: string[] = [];
  const embargoBars = r.embargo_bars === 'auto' ? featureLookbackBars : r.embargo_bars;
  if (embargoBars < featureLookbackBars)
    warnings.push(
      `CV_SHORT_EMBARGO: retrain_policy.embargo_bars ${embargoBars} is shorter than the feature lookback (${featureLookbackBars} bars): train events just after a test block are computed from prices inside it`,
    );
  return {
    kFold: checkKFoldOptions({
      k: r.k_folds,
      purgeBars: r.purge_bars,
      embargoBars,
      minBlockLenBars: r.min_block_len_bars,
      validationFraction: r.validation_fraction,
    }),
    walkForward: checkWalkForwardOptions({
      barsPerDay,
      minTrainDays: r.wf_min_train_days,
      stepDays: r.wf_step_days,
      validationFraction: r.validation_fraction,
      purgeBars: r.purge_bars,
    }),
    warnings,
  };
}
