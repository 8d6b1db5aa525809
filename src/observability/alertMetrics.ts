// The alert dispatcher's counters, on the one registry of metrics.ts: deliveries by channel and
// outcome, alerts dropped from a full queue, raises suppressed as repeats.
import { Counter } from 'prom-client';
import { registry } from './metrics.js';

export const ALERT_OUTCOMES = ['ok', 'failed', 'timeout'] as const;
export type AlertOutcome = (typeof ALERT_OUTCOMES)[number];

export const alertMetrics = {
  sentTotal: new Counter({
    name: 'analytics_alerts_sent_total',
    help: 'Alert deliveries by channel (slack, pagerduty) and outcome (ok, failed, timeout)',
    labelNames: ['channel', 'outcome'],
    registers: [registry],
  }),
  droppedTotal: new Counter({
    name: 'analytics_alerts_dropped_total',
    help: 'Alert deliveries dropped because the channel queue was full (the oldest goes)',
    labelNames: ['channel'],
    registers: [registry],
  }),
  suppressedTotal: new Counter({
    name: 'analytics_alerts_suppressed_total',
    help: 'Raises of an alert already sent within slack_policy suppression_minutes',
    registers: [registry],
  }),
} as const;
