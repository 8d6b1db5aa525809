// What pt monitor takes from the config: shards and their pairs, the heartbeat TTL, the DD thresholds, refresh periods.
import type { PtConfig } from '../config/schemas/index.js';
import { heartbeatTtlSeconds } from '../ops/heartbeatStatus.js';

export type MonitorView = 'portfolio' | 'pairs' | 'alerts';

export interface MonitorSettings {
  /** universe.yaml's pairs (of `--shard` only, when given), with their shard. */
  pairs: ReadonlyArray<{ pairId: string; shard: number }>;
  /** Only this shard (and its pairs) is shown; undefined: every shard. */
  shard?: number;
  heartbeatTtlSeconds: number;
  /** dd_policy.yaml portfolio thresholds (fractions of the trailing peak). */
  dd: { warn: number; halt: number; flatten: number };
  /** Seconds between refreshes of each view (analytics_policy.yaml, or --refresh for all). */
  refreshSeconds: Record<MonitorView, number>;
  /** How many alerts are read each refresh. */
  alertLimit: number;
}

/**
 * analytics_policy's pages, by what each view shows: the portfolio view is the risk page, the pairs view
 * the trading page; alerts refresh like the risk page (an alert is a risk event).
 */
export function monitorSettingsFrom(
  config: PtConfig,
  o: { refreshSeconds?: number; shard?: number } = {},
): MonitorSettings {
  const r = config.analytics_policy.refresh_intervals_seconds;
  const dd = config.dd_policy;
  const pairs = config.universe.pairs
    .filter((p) => o.shard === undefined || p.shard === o.shard)
    .map((p) => ({ pairId: p.pair_id, shard: p.shard }));
  return {
    pairs,
    ...(o.shard !== undefined ? { shard: o.shard } : {}),
    heartbeatTtlSeconds: heartbeatTtlSeconds(config.signals_policy.heartbeat_interval_seconds),
    dd: { warn: dd.dd_warn_portfolio, halt: dd.dd_halt_portfolio, flatten: dd.dd_flatten_portfolio },
    refreshSeconds: {
      portfolio: o.refreshSeconds ?? r.risk_page,
      pairs: o.refreshSeconds ?? r.trading_page,
      alerts: o.refreshSeconds ?? r.risk_page,
    },
    alertLimit: 50,
  };
}
