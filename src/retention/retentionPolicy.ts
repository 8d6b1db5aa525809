// How long each kind is kept (data_retention.yaml) and the floor the guard holds (what training needs).
import { TRADING_DAYS_PER_MONTH, warmupBars } from '../config/crossRules.js';
import type { PtConfig } from '../config/schemas/index.js';
import { barsPerDay, type Timeframe } from '../core/time.js';

export interface RetentionPolicy {
  canonicalMonths: number;
  featuresMonths: number;
  modelMonths: number;
  signalsMonths: number;
  reportsMonths: number;
  graceDays: number;
  modelVersionRetention: number;
  /** Per timeframe: whole months kept back from the newest stored bar whatever the ages say. */
  guardMonths: (timeframe: Timeframe) => number;
  /** Why the guard is that long, for the kept list. */
  guardReason: (timeframe: Timeframe) => string;
}

/**
 * The guard: a training run takes max(min_training_months, history_lookback_months) months of bars,
 * and walk-forward (wf_min_train_days of train plus one wf_step_days test, at 21 trading days a
 * month) runs inside that history, so the longer of the two counts; the feature windows (the 180-bar
 * windows and their chain, warmupBars) need their warm-up before the first valid row on top.
 */
export function retentionPolicyFrom(config: PtConfig): RetentionPolicy {
  const r = config.data_retention;
  const t = config.retrain_policy;
  const historyMonths = Math.max(t.min_training_months, config.pipeline_policy.history_lookback_months);
  const wfDays = t.wf_min_train_days + t.wf_step_days;
  const wfMonths = Math.ceil(wfDays / TRADING_DAYS_PER_MONTH);
  const warmup = warmupBars(config.features_policy);
  const warmupMonths = (tf: Timeframe) => Math.ceil(warmup / (barsPerDay(tf) * TRADING_DAYS_PER_MONTH));
  return {
    canonicalMonths: r.canonical_months,
    featuresMonths: r.features_cache_months,
    modelMonths: r.model_artifacts_months,
    signalsMonths: r.signals_history_months,
    reportsMonths: r.reports_months,
    graceDays: r.delete_grace_days,
    modelVersionRetention: t.model_version_retention,
    guardMonths: (tf) => Math.max(historyMonths, wfMonths) + warmupMonths(tf),
    guardReason: (tf) =>
      `training needs max(${historyMonths} months of history, ${wfMonths} months of walk-forward (${wfDays} trading days)) + ${warmupMonths(tf)} month(s) of ${tf} feature warm-up (${warmup} bars)`,
  };
}
