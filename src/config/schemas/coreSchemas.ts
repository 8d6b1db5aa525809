// Schemas of core_policy.yaml, dd_policy.yaml and retrain_policy.yaml.
import { Type } from '@sinclair/typebox';
import {
  configFile,
  strict,
  wrapped,
  PositiveInt,
  PositiveNumber,
  NonNegNumber,
  NonNegInt,
  Probability,
  Range,
} from './wrap.js';

export const corePolicySchema = configFile({
  theta1_initial: wrapped(Type.Number()),
  theta2_initial: wrapped(Type.Number()),
  theta_search_range: wrapped(strict({ theta1: Range, theta2: Range })),
  theta_grid_step: wrapped(PositiveNumber),
  tpe: wrapped(strict({ min_trials: PositiveInt, max_trials: PositiveInt, patience: PositiveInt })),
  objective: wrapped(
    strict({
      dd_target: Probability,
      trades_min: NonNegNumber,
      lambda_dd: NonNegNumber,
      lambda_trades: NonNegNumber,
      lambda_stop: NonNegNumber,
      fp_rate_max: Probability,
    }),
  ),
  hysteresis: wrapped(strict({ max_step: PositiveNumber, weight_old: Probability, weight_new: Probability })),
  label_sweep: wrapped(
    strict({
      z_entry: Type.Array(PositiveNumber, { minItems: 1 }),
      z_exit: Type.Array(NonNegNumber, { minItems: 1 }),
      max_holding_bars: Type.Array(PositiveInt, { minItems: 1 }),
    }),
  ),
  pair_delta_theta_max: wrapped(NonNegNumber),
  z_entry: wrapped(PositiveNumber),
  z_exit: wrapped(NonNegNumber),
  max_holding_bars: wrapped(PositiveInt),
  speed_lookback_bars: wrapped(PositiveInt),
  theta_speed: wrapped(PositiveNumber),
  risk_label_thresholds: wrapped(
    strict({
      corr_var: PositiveNumber,
      vol_ratio: PositiveNumber,
      dz_speed: PositiveNumber,
      dd_recent: PositiveNumber,
    }),
  ),
  risk_label_dd_window_days: wrapped(PositiveInt),
  risk_horizon_bars: wrapped(NonNegInt),
  class_weight_ratio_max: wrapped(Type.Number({ minimum: 1 })),
});

export const ddPolicySchema = configFile({
  rolling_window_business_days: wrapped(PositiveInt),
  dd_warn_portfolio: wrapped(Probability),
  dd_halt_portfolio: wrapped(Probability),
  dd_flatten_portfolio: wrapped(Probability),
  k_warn: wrapped(PositiveNumber),
  k_halt: wrapped(PositiveNumber),
  k_flatten: wrapped(PositiveNumber),
  leverage_scale_on_warn: wrapped(Probability),
});

export const retrainPolicySchema = configFile({
  retrain_cron: wrapped(Type.String({ pattern: '^\\S+( \\S+){4}$' })),
  retrain_retry_max: wrapped(NonNegInt),
  retrain_notification_channel: wrapped(Type.String()),
  model_version_retention: wrapped(PositiveInt),
  min_training_months: wrapped(PositiveInt),
  seed: wrapped(NonNegInt),
  k_folds: wrapped(Type.Integer({ minimum: 2 })),
  purge_bars: wrapped(NonNegInt),
  embargo_bars: wrapped(Type.Union([NonNegInt, Type.Literal('auto')])),
  min_block_len_bars: wrapped(PositiveInt),
  validation_fraction: wrapped(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
  ai1_min_positives: wrapped(PositiveInt),
  early_stopping_rounds: wrapped(PositiveInt),
  wf_min_train_days: wrapped(PositiveInt),
  wf_step_days: wrapped(PositiveInt),
  block_bootstrap_size_bars: wrapped(PositiveInt),
  gbdt: wrapped(
    strict({
      num_boost_round: PositiveInt,
      learning_rate: PositiveNumber,
      num_leaves: Type.Integer({ minimum: 2 }),
      max_depth: Type.Integer({ minimum: -1 }),
      min_data_in_leaf: PositiveInt,
      lambda_l2: NonNegNumber,
      feature_fraction: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
      bagging_fraction: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
      bagging_freq: NonNegInt,
      max_bin: Type.Integer({ minimum: 2, maximum: 255 }),
    }),
  ),
});
