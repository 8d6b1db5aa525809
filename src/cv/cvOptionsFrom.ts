// Purged K-fold and walk-forward options from retrain_policy (SPEC §4).
import type { PtConfig } from '../config/schemas/index.js';
import { checkKFoldOptions, type PurgedKFoldOptions } from './purgedKFold.js';
import { checkWalkForwardOptions, type WalkForwardOptions } from './walkForward.js';

export interface CvOptions {
  kFold: PurgedKFoldOptions;
  walkForward: WalkForwardOptions;
}

/** `barsPerDay` comes from `barsPerDay(timeframe)` (SPEC §0); days become bars in `walkForward`. */
export function cvOptionsFrom(config: PtConfig, barsPerDay: number): CvOptions {
  const r = config.retrain_policy;
  return {
    kFold: checkKFoldOptions({
      k: r.k_folds,
      purgeBars: r.purge_bars,
      embargoBars: r.embargo_bars,
      minBlockLenBars: r.min_block_len_bars,
      validationFraction: r.validation_fraction,
    }),
    walkForward: checkWalkForwardOptions({ barsPerDay, minTrainDays: r.wf_min_train_days, stepDays: r.wf_step_days }),
  };
}
