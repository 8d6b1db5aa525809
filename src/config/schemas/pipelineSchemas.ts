// Schemas of pipeline_policy.yaml and features_policy.yaml.
import { Type } from '@sinclair/typebox';
import {
  configFile,
  strict,
  wrapped,
  OneOf,
  PositiveInt,
  PositiveNumber,
  Probability,
  TimeframeName,
  NonNegInt,
  Range,
} from './wrap.js';

export const pipelinePolicySchema = configFile({
  timeframe_default: wrapped(Type.String()),
  timeframe_allowed: wrapped(Type.Array(TimeframeName, { minItems: 1, uniqueItems: true })),
  history_lookback_months: wrapped(PositiveInt),
  retry_max: wrapped(NonNegInt),
  retry_backoff_base_seconds: wrapped(PositiveNumber),
  retry_backoff_max_seconds: wrapped(PositiveNumber),
  request_timeout_seconds: wrapped(PositiveNumber),
  rest_rate_limit_budget: wrapped(PositiveInt),
  freshness_budget_seconds: wrapped(strict({ '15m': PositiveNumber, '1h': PositiveNumber, '4h': PositiveNumber })),
  circuit_breaker: wrapped(strict({ open_threshold_errors: PositiveInt, half_open_after_seconds: PositiveNumber })),
  dq_thresholds: wrapped(
    strict({ missing_rate: Probability, outlier_rate: Probability, beta_stability_std_jump: PositiveNumber }),
  ),
  missing_fill_max_run: wrapped(NonNegInt),
  outlier_sigma: wrapped(PositiveNumber),
  outlier_action: wrapped(OneOf(['flag', 'drop'] as const)),
  outlier_window_bars: wrapped(Type.Integer({ minimum: 2 })),
  dq_spike_k: wrapped(PositiveNumber),
  dq_spike_window_bars: wrapped(Type.Integer({ minimum: 2 })),
  conflict_diff_thresh: wrapped(PositiveNumber),
  max_revise_share: wrapped(Probability),
  slo_targets: wrapped(
    strict({
      signal_availability: Probability,
      ingest_success_rate: Probability,
      dq_pass_rate: Probability,
      window_days: PositiveInt,
    }),
  ),
});

export const featuresPolicySchema = configFile({
  price_transform: wrapped(OneOf(['log', 'raw'] as const)),
  beta_window_bars: wrapped(Type.Integer({ minimum: 3 })),
  beta_ema_half_life: wrapped(PositiveNumber),
  huber: wrapped(
    strict({ mad_ratio_switch: PositiveNumber, c: PositiveNumber, max_solves: PositiveInt, tolerance: PositiveNumber }),
  ),
  z_window_bars: wrapped(Type.Integer({ minimum: 2 })),
  z_clip: wrapped(PositiveNumber),
  z_ema_half_life: wrapped(PositiveNumber),
  signal_z: wrapped(OneOf(['raw', 'ema'] as const)),
  atr_period: wrapped(PositiveInt),
  atr_baseline_median_bars: wrapped(PositiveInt),
  rho_window_bars: wrapped(Type.Integer({ minimum: 3 })),
  stability_window_bars: wrapped(Type.Integer({ minimum: 2 })),
  half_life_window_bars: wrapped(Type.Integer({ minimum: 3 })),
  half_life_bounds: wrapped(Range),
  ema_fast_span: wrapped(PositiveInt),
  ema_slow_span: wrapped(PositiveInt),
  slope_window_bars: wrapped(Type.Integer({ minimum: 2 })),
  dz_speed_half_life: wrapped(PositiveNumber),
  exact_recompute_every_bars: wrapped(PositiveInt),
  model_input_clip: wrapped(PositiveNumber),
  winsorize_quantiles: wrapped(Range),
});
