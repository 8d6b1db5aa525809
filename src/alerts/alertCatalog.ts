// The alerts pt raises (seed: アラート & エスカレーション), each an id of the error catalog (which gives
// its severity), with when it fires. Routing: slack_policy's channel of the severity, except the
// seed's analytics news (retrain outcomes, the monthly report: `analytics`, #analytics-info); ops
// actions read through the `ops` template; CRITICAL also pages (PagerDuty).
import { ERROR_CATALOG, type ErrorId, type Severity } from '../core/errorCatalog.js';

export type ChannelKey = Severity | 'analytics';
export type TemplateKey = 'alert' | 'ops';

interface AlertSpec {
  /** When it fires and who raises it (docs/alerts.md lists the same). */
  when: string;
  channel?: 'analytics';
  template?: 'ops';
}

export const ALERT_CATALOG = {
  ANALYTICS_LOSS_STREAK: { when: 'pt live: more than 5 consecutive losing closes in the shard' },
  DATA_API_DOWN: { when: 'pt ingest: a source has failed for more than 10 minutes (consecutive failed runs)' },
  OPS_HEARTBEAT_LOST: { when: 'pt ops status --alert: a shard heartbeat expired or is missing' },
  OPS_BUS_DOWN: { when: 'pt ops status --alert: the ops bus (Redis) does not answer, so no heartbeat can be checked' },
  OPS_RECONCILE_MISMATCH: { when: 'pt live: account.json holds a pair otherwise than the last target' },
  OPS_DD_HALT: { when: 'pt live: the DD level of the portfolio or a pair becomes halt' },
  OPS_DD_FLATTEN: { when: 'pt live: the DD level of the portfolio or a pair becomes flatten' },
  OPS_ACCOUNT_ALERT: { when: 'pt live: account.json lists an alert the EA marks critical' },
  OPS_RETRAIN_FAILED: { when: 'pt retrain: a step failed after its retries' },
  BT_ACCEPT_FAIL: { when: 'pt bt run --alert: the acceptance verdict failed' },
  DATA_API_CIRCUIT: { when: 'pt ingest: the circuit breaker of a source is open' },
  DATA_DQ_THRESHOLD: { when: 'pt dq: a month newly quarantined (missing or outlier rate over the thresholds)' },
  DATA_DQ_OUTLIER: { when: 'pt dq: the outlier rate of a symbol over 10%' },
  DATA_FRESH_STALE: { when: 'pt live: the shard turns stale (bars later than freshness_budget_seconds)' },
  OPS_LATENCY_REDIS: { when: 'pt ops status --alert: Redis took more than 2 s to answer' },
  OPS_RETRAIN_PROMOTED: { when: 'pt retrain: a candidate was promoted', channel: 'analytics' },
  OPS_RETRAIN_HELD: { when: 'pt retrain: the candidate was held', channel: 'analytics' },
  OPS_ACTION_APPLIED: { when: 'pt ops halt, flatten, resume, rollback: the action applied', template: 'ops' },
} as const satisfies Partial<Record<ErrorId, AlertSpec>>;

export interface AlertRoute {
  severity: Severity;
  channel: ChannelKey;
  template: TemplateKey;
  /** CRITICAL pages (PagerDuty) as well. */
  page: boolean;
}

export function alertRoute(id: ErrorId): AlertRoute {
  const severity = ERROR_CATALOG[id].severity;
  const spec = (ALERT_CATALOG as Partial<Record<ErrorId, AlertSpec>>)[id];
  return {
    severity,
    channel: spec?.channel ?? severity,
    template: spec?.template ?? 'alert',
    page: severity === 'CRITICAL',
  };
}
