// Schemas of signals_policy, data_retention, analytics_policy, backtest_policy, slack_policy and runbook_policy.
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

export const signalsPolicySchema = configFile({
  signal_dir: wrapped(Type.String({ minLength: 1 })),
  schema_version: wrapped(Type.Literal('v1')),
  signal_ttl_bars: wrapped(PositiveInt),
  pair_notional_usd: wrapped(PositiveNumber),
  position_scale_max: wrapped(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
  heartbeat_interval_seconds: wrapped(PositiveNumber),
  redis_key_prefix: wrapped(Type.String({ pattern: '^[a-z0-9_]+$' })),
  ops_dir: wrapped(Type.String({ minLength: 1 })),
  account_json_path: wrapped(Type.String({ minLength: 1 })),
  metrics_port: wrapped(Type.Integer({ minimum: 1, maximum: 65535 })),
  magic_number_base: wrapped(NonNegInt),
});

export const dataRetentionSchema = configFile({
  raw_days: wrapped(PositiveInt),
  ws_ticks_hours: wrapped(PositiveInt),
  canonical_months: wrapped(PositiveInt),
  features_cache_months: wrapped(PositiveInt),
  features_snapshot_months: wrapped(PositiveInt),
  model_artifacts_months: wrapped(PositiveInt),
  signals_history_months: wrapped(PositiveInt),
  reports_months: wrapped(PositiveInt),
  logs_days: wrapped(PositiveInt),
  audit_logs_years: wrapped(PositiveInt),
  delete_grace_days: wrapped(NonNegInt),
});

const RefreshSeconds = Type.Number({ minimum: 0.5, maximum: 3600 });

export const analyticsPolicySchema = configFile({
  risk_panels: wrapped(
    strict({ show_pair_dd: Type.Boolean(), show_portfolio_dd: Type.Boolean(), show_leverage_scale: Type.Boolean() }),
  ),
  // The bounds of pt monitor --refresh: shorter hammers Redis, a huge value overflows Node's timer (fires at once).
  refresh_intervals_seconds: wrapped(
    strict({ trading_page: RefreshSeconds, risk_page: RefreshSeconds, data_quality_page: RefreshSeconds }),
  ),
  export_limits: wrapped(strict({ trades_csv_max_rows: PositiveInt })),
  halt_rate_target: wrapped(Range),
});

export const backtestPolicySchema = configFile({
  entry_rule: wrapped(strict({ use_theta: Type.Boolean(), use_position_scale: Type.Boolean() })),
  exit_rule: wrapped(
    strict({ z_exit: NonNegNumber, M: PositiveInt, risk_stop: Type.Boolean(), theta_stop: Type.Number() }),
  ),
  costs: wrapped(
    strict({
      commission_bps_default: NonNegNumber,
      slippage_bps_default: NonNegNumber,
      spread_bps_table: Type.Record(Type.String(), NonNegNumber),
    }),
  ),
  initial_capital_usd: wrapped(PositiveNumber),
  account_ccy: wrapped(Type.String({ pattern: '^[A-Z]{3}$' })),
  latency_bars: wrapped(NonNegInt),
  bootstrap: wrapped(strict({ block_size_bars: PositiveInt, resamples: PositiveInt })),
  acceptance: wrapped(
    strict({
      sharpe_min: Type.Number(),
      max_dd_max: Probability,
      trades_per_year_min: NonNegNumber,
      sharpe_ratio_vs_old: NonNegNumber,
      max_dd_increase_vs_old: NonNegNumber,
      false_stop_max: Probability,
    }),
  ),
  stress: wrapped(
    strict({
      vol_spike: Type.Array(Type.Number({ minimum: 1 })),
      corr_breakdown: Type.Array(Type.Number({ minimum: -1, maximum: 1 })),
      cost_increase_bps: Type.Array(NonNegNumber),
      slippage_increase_bps: Type.Array(NonNegNumber),
      latency_bars: Type.Array(NonNegInt),
      gap_percent: Type.Array(NonNegNumber),
    }),
  ),
});

export const slackPolicySchema = configFile({
  webhook_url_ref: wrapped(Type.String()),
  pagerduty_key_ref: wrapped(Type.String()),
  channels: wrapped(
    strict({ CRITICAL: Type.String(), WARNING: Type.String(), INFO: Type.String(), analytics: Type.String() }),
  ),
  message_templates: wrapped(Type.Record(Type.String(), Type.String())),
  suppression_minutes: wrapped(PositiveNumber),
});

export const runbookPolicySchema = configFile({
  halt_policy: wrapped(
    strict({ soft_on_dd_warn: Type.Boolean(), hard_on_dd_halt: Type.Boolean(), flatten_on_dd_flatten: Type.Boolean() }),
  ),
  resume_policy: wrapped(
    strict({
      stability_days: PositiveInt,
      corr_threshold: Type.Number({ minimum: -1, maximum: 1 }),
      canary_ratio: Probability,
    }),
  ),
  rollback_policy: wrapped(strict({ sharpe_drop_limit: NonNegNumber, maxdd_increase_limit: NonNegNumber })),
  audit_log_path: wrapped(Type.String({ minLength: 1 })),
});
