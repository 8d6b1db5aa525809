// Cross-file config rules of SPEC §10 and the seed's final checklist, run after every file passed its schema.
import type { PtConfig } from './schemas/index.js';
import type { Violation } from './violation.js';
import { barsPerDay, type Timeframe } from '../core/time.js';

/** Trading days in a month, conservatively (FX trades ~21.7 days a month). */
export const TRADING_DAYS_PER_MONTH = 21;
const SECRET_REF = /^(ENV:[A-Z_][A-Z0-9_]*|VAULT:.+)$/;
const SECRET_KEY = /(api_?key|secret|token|password|webhook|_ref$)/i;
const MAX_PAIRS_PER_SHARD = 10;

/** Bars the feature windows need before the first valid row (SPEC §2: ~375 at the defaults). */
export function warmupBars(f: PtConfig['features_policy']): number {
  return (
    f.beta_window_bars +
    Math.max(f.z_window_bars, f.stability_window_bars, f.half_life_window_bars, f.rho_window_bars) +
    f.slope_window_bars
  );
}

type Rule = (c: PtConfig, raw: Record<string, unknown>) => Violation[];

const timeframeDefaultAllowed: Rule = (c) => {
  const p = c.pipeline_policy;
  return (p.timeframe_allowed as string[]).includes(p.timeframe_default)
    ? []
    : [
        {
          file: 'pipeline_policy.yaml',
          path: 'timeframe_default.value',
          rule: 'timeframe_default_allowed',
          message: `"${p.timeframe_default}" is not in timeframe_allowed [${p.timeframe_allowed.join(', ')}]`,
        },
      ];
};

const retentionCoversWindows: Rule = (c) => {
  const out: Violation[] = [];
  const r = c.data_retention;
  const needMonths = Math.max(c.pipeline_policy.history_lookback_months, c.retrain_policy.min_training_months);
  if (r.canonical_months < needMonths) {
    out.push({
      file: 'data_retention.yaml',
      path: 'canonical_months.value',
      rule: 'retention_covers_windows',
      message: `${r.canonical_months} months is shorter than the ${needMonths} months of history training needs (history_lookback_months, min_training_months)`,
    });
  }
  const warmup = warmupBars(c.features_policy);
  for (const tf of c.pipeline_policy.timeframe_allowed as Timeframe[]) {
    const bpd = barsPerDay(tf);
    const needBars = Math.max(warmup, (c.retrain_policy.wf_min_train_days + c.retrain_policy.wf_step_days) * bpd);
    const checks: Array<[keyof typeof r, number]> = [
      ['canonical_months', needBars],
      ['features_cache_months', warmup],
    ];
    for (const [key, bars] of checks) {
      const have = (r[key] as number) * TRADING_DAYS_PER_MONTH * bpd;
      if (have < bars) {
        out.push({
          file: 'data_retention.yaml',
          path: `${key}.value`,
          rule: 'retention_covers_windows',
          message: `${r[key]} months hold ~${have} ${tf} bars, fewer than the ${bars} bars the windows need`,
        });
      }
    }
  }
  return out;
};

function increasing(file: string, keys: string[], values: number[], rule: string): Violation[] {
  for (let i = 1; i < values.length; i++) {
    if (!(values[i - 1]! < values[i]!)) {
      return [
        {
          file,
          path: `${keys[i - 1]}.value`,
          rule,
          message: `${keys.map((k, j) => `${k} (${values[j]})`).join(' < ')} must increase strictly`,
        },
      ];
    }
  }
  return [];
}

const ddThresholdsIncreasing: Rule = (c) => {
  const d = c.dd_policy;
  return [
    ...increasing(
      'dd_policy.yaml',
      ['dd_warn_portfolio', 'dd_halt_portfolio', 'dd_flatten_portfolio'],
      [d.dd_warn_portfolio, d.dd_halt_portfolio, d.dd_flatten_portfolio],
      'dd_thresholds_increasing',
    ),
    ...increasing(
      'dd_policy.yaml',
      ['k_warn', 'k_halt', 'k_flatten'],
      [d.k_warn, d.k_halt, d.k_flatten],
      'dd_thresholds_increasing',
    ),
  ];
};

const thetaRanges: Rule = (c) => {
  const out: Violation[] = [];
  const core = c.core_policy;
  const file = 'core_policy.yaml';
  for (const key of ['theta1', 'theta2'] as const) {
    const [lo, hi] = core.theta_search_range[key];
    if (!(lo >= 0 && hi <= 1 && lo < hi)) {
      out.push({
        file,
        path: `theta_search_range.value.${key}`,
        rule: 'theta_range_unit_interval',
        message: `[${lo}, ${hi}] must satisfy 0 <= lo < hi <= 1`,
      });
      continue;
    }
    const initial = key === 'theta1' ? core.theta1_initial : core.theta2_initial;
    if (initial < lo || initial > hi) {
      out.push({
        file,
        path: `${key}_initial.value`,
        rule: 'theta_initial_in_range',
        message: `${initial} is outside theta_search_range.${key} [${lo}, ${hi}]`,
      });
    }
  }
  const stop = c.backtest_policy.exit_rule.theta_stop;
  const theta2Hi = core.theta_search_range.theta2[1];
  if (!(stop >= 0 && stop <= 1) || stop < theta2Hi) {
    out.push({
      file: 'backtest_policy.yaml',
      path: 'exit_rule.value.theta_stop',
      rule: 'theta_stop_consistent',
      message: `${stop} must lie in [0, 1] and be >= the top of core_policy theta2 range (${theta2Hi}), or entries could stop at once`,
    });
  }
  return out;
};

const labelsConsistent: Rule = (c) => {
  const out: Violation[] = [];
  const core = c.core_policy;
  const exit = c.backtest_policy.exit_rule;
  if (!(core.z_exit < core.z_entry)) {
    out.push({
      file: 'core_policy.yaml',
      path: 'z_exit.value',
      rule: 'z_exit_below_entry',
      message: `z_exit (${core.z_exit}) must be < z_entry (${core.z_entry})`,
    });
  }
  const sweep = core.label_sweep;
  if (!sweep.z_entry.some((e) => sweep.z_exit.some((x) => x < e))) {
    out.push({
      file: 'core_policy.yaml',
      path: 'label_sweep.value',
      rule: 'z_exit_below_entry',
      message: `no label_sweep point has z_exit < z_entry (z_entry ${sweep.z_entry.join(', ')}; z_exit ${sweep.z_exit.join(', ')})`,
    });
  }
  if (exit.z_exit !== core.z_exit || exit.M !== core.max_holding_bars) {
    out.push({
      file: 'backtest_policy.yaml',
      path: 'exit_rule.value',
      rule: 'exit_rule_matches_core',
      message: `z_exit/M (${exit.z_exit}/${exit.M}) must equal core_policy z_exit/max_holding_bars (${core.z_exit}/${core.max_holding_bars})`,
    });
  }
  return out;
};

function findPlainSecrets(file: string, node: unknown, path: string, out: Violation[]): void {
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    const childPath = Array.isArray(node) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
    const secretish = SECRET_KEY.test(key) || (key === 'value' && SECRET_KEY.test(path.split('.').pop() ?? ''));
    if (typeof value === 'string' && secretish && !SECRET_REF.test(value)) {
      out.push({
        file,
        path: childPath,
        rule: 'no_plain_secret',
        message: 'secrets must be references (ENV:NAME or VAULT:path), never written in YAML',
      });
    } else {
      findPlainSecrets(file, value, childPath, out);
    }
  }
}

/** Plain secrets anywhere in the parsed files; usable even when a schema failed. */
export function findSecretViolations(raw: Record<string, unknown>): Violation[] {
  const out: Violation[] = [];
  for (const [name, data] of Object.entries(raw)) findPlainSecrets(`${name}.yaml`, data, '', out);
  return out;
}

const noPlainSecrets: Rule = (_c, raw) => findSecretViolations(raw);

const universeConsistent: Rule = (c) => {
  const out: Violation[] = [];
  const file = 'universe.yaml';
  const seen = new Set<string>();
  const shardSizes = new Map<number, number>();
  c.universe.pairs.forEach((pair, i) => {
    const path = `pairs.value[${i}]`;
    const expected = `${pair.leg_A.canonical_symbol}_${pair.leg_B.canonical_symbol}`;
    if (pair.pair_id !== expected)
      out.push({
        file,
        path: `${path}.pair_id`,
        rule: 'pair_id_matches_legs',
        message: `"${pair.pair_id}" must be "${expected}"`,
      });
    if (seen.has(pair.pair_id))
      out.push({ file, path: `${path}.pair_id`, rule: 'pair_id_unique', message: `"${pair.pair_id}" appears twice` });
    seen.add(pair.pair_id);
    shardSizes.set(pair.shard, (shardSizes.get(pair.shard) ?? 0) + 1);
    for (const legKey of ['leg_A', 'leg_B'] as const) {
      const leg = pair[legKey];
      const cal = leg.trading_hours.holidays_calendar;
      if (!(cal in c.calendars.calendars))
        out.push({
          file,
          path: `${path}.${legKey}.trading_hours.holidays_calendar`,
          rule: 'calendar_defined',
          message: `"${cal}" is not a calendar of calendars.yaml (${Object.keys(c.calendars.calendars).join(', ')})`,
        });
      if (leg.min_lot < leg.lot_step - 1e-12)
        out.push({
          file,
          path: `${path}.${legKey}.min_lot`,
          rule: 'leg_contract_fields',
          message: `min_lot (${leg.min_lot}) must be >= lot_step (${leg.lot_step})`,
        });
    }
  });
  for (const [shard, n] of shardSizes) {
    if (n > MAX_PAIRS_PER_SHARD)
      out.push({
        file,
        path: 'pairs.value',
        rule: 'shard_size',
        message: `shard ${shard} has ${n} pairs; a shard holds at most ${MAX_PAIRS_PER_SHARD}`,
      });
  }
  const symbols = new Set(c.universe.pairs.flatMap((p) => [p.leg_A.canonical_symbol, p.leg_B.canonical_symbol]));
  for (const sym of Object.keys(c.cost_table.overrides)) {
    if (!symbols.has(sym))
      out.push({
        file: 'cost_table.yaml',
        path: `overrides.value.${sym}`,
        rule: 'override_symbol_in_universe',
        message: `${sym} is not a leg of any pair in universe.yaml`,
      });
  }
  return out;
};

const internalOrder: Rule = (c) => {
  const out: Violation[] = [];
  const f = c.features_policy;
  if (!(f.ema_fast_span < f.ema_slow_span))
    out.push({
      file: 'features_policy.yaml',
      path: 'ema_fast_span.value',
      rule: 'ema_spans_ordered',
      message: `ema_fast_span (${f.ema_fast_span}) must be < ema_slow_span (${f.ema_slow_span})`,
    });
  const ordered: Array<[string, string, readonly [number, number]]> = [
    ['features_policy.yaml', 'half_life_bounds.value', f.half_life_bounds],
    ['features_policy.yaml', 'winsorize_quantiles.value', f.winsorize_quantiles],
    ['analytics_policy.yaml', 'halt_rate_target.value', c.analytics_policy.halt_rate_target],
  ];
  for (const [file, path, [lo, hi]] of ordered)
    if (!(lo < hi)) out.push({ file, path, rule: 'range_ordered', message: `[${lo}, ${hi}] must have lo < hi` });
  const t = c.core_policy.tpe;
  if (t.min_trials > t.max_trials)
    out.push({
      file: 'core_policy.yaml',
      path: 'tpe.value.min_trials',
      rule: 'range_ordered',
      message: `min_trials (${t.min_trials}) must be <= max_trials (${t.max_trials})`,
    });
  const h = c.core_policy.hysteresis;
  if (Math.abs(h.weight_old + h.weight_new - 1) > 1e-9)
    out.push({
      file: 'core_policy.yaml',
      path: 'hysteresis.value',
      rule: 'weights_sum_to_one',
      message: `weight_old + weight_new = ${h.weight_old + h.weight_new}, must be 1`,
    });
  const p = c.pipeline_policy;
  if (p.retry_backoff_base_seconds > p.retry_backoff_max_seconds)
    out.push({
      file: 'pipeline_policy.yaml',
      path: 'retry_backoff_base_seconds.value',
      rule: 'range_ordered',
      message: 'base backoff must be <= the cap',
    });
  const priorities = Object.values(c.sources.providers).map((s) => s.priority);
  if (new Set(priorities).size !== priorities.length)
    out.push({
      file: 'sources.yaml',
      path: 'providers.value',
      rule: 'priority_unique',
      message: `provider priorities must differ (${priorities.join(', ')})`,
    });
  for (const [symbol, [lo, hi]] of Object.entries(c.universe.price_ranges ?? {})) {
    if (!(lo < hi))
      out.push({
        file: 'universe.yaml',
        path: `price_ranges.value.${symbol}`,
        rule: 'range_ordered',
        message: `the low end ${lo} must be below the high end ${hi}`,
      });
  }
  for (const [name, s] of Object.entries(c.sources.providers)) {
    if (s.type === 'twelvedata' && (!s.base_url || !s.api_key_ref))
      out.push({
        file: 'sources.yaml',
        path: `providers.value.${name}`,
        rule: 'provider_complete',
        message: 'a twelvedata provider needs base_url and api_key_ref',
      });
  }
  return out;
};

export const CROSS_RULES: Rule[] = [
  timeframeDefaultAllowed,
  retentionCoversWindows,
  ddThresholdsIncreasing,
  thetaRanges,
  labelsConsistent,
  noPlainSecrets,
  universeConsistent,
  internalOrder,
];

export function checkCrossRules(config: PtConfig, raw: Record<string, unknown>): Violation[] {
  return CROSS_RULES.flatMap((rule) => rule(config, raw));
}
