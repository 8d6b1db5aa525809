// Raising an alert: synchronous and O(1) for the caller (a shard's bar loop). A repeat within the
// suppression window is dropped; an accepted alert is logged (event `alert`), recorded (alerts.jsonl,
// the Redis list) and queued for Slack (and PagerDuty when CRITICAL). Delivery, recording and their
// failures happen in the background and never reach the caller; flush() waits for them, bounded.
// Each delivery that fails is told once (onUndelivered, else a warn line `alert_delivery_failed`).
import { randomUUID } from 'node:crypto';
import { alertMetrics, type AlertOutcome } from '../observability/alertMetrics.js';
import type { AlertChannel, AlertInput, AlertRecord, AlertRecordStore, AlertSink } from '../ports/alerts.js';
import { alertRoute, type ChannelKey } from './alertCatalog.js';
import { pagerDutyEvent, slackMessage, fillTemplate } from './alertPayloads.js';
import { MemorySuppression, type AlertSuppression } from './alertSuppression.js';
import { DeliveryQueue, safeReason, type DeliveryFailure, type DeliveryStats } from './deliveryQueue.js';

export interface AlertPolicy {
  /** slack_policy channels: one per severity, and `analytics`. */
  channels: Record<ChannelKey, string>;
  /** slack_policy message_templates: `alert`, and `ops` for ops actions (falls back to `alert`). */
  templates: Record<string, string>;
  suppressionMs: number;
}

export interface AlertLog {
  info(entry: object): void;
  warn(entry: object): void;
  error(entry: object): void;
  debug?(entry: object): void;
}

/** One channel that did not deliver one alert: which, and why (never the URL or key). */
export interface UndeliveredAlert extends DeliveryFailure {
  channel: string;
  errorId: string;
  eventId: string;
}

export interface AlertDispatcherDeps {
  slack?: AlertChannel;
  pagerDuty?: { channel: AlertChannel; routingKey: string };
  stores?: readonly AlertRecordStore[];
  suppression?: AlertSuppression;
  log?: AlertLog;
  now?: () => number;
  newId?: () => string;
  /** Bodies waiting per channel before the oldest is dropped. */
  queueMax?: number;
  /** Per request. */
  timeoutMs?: number;
  /** Each failed delivery, once; without it, a warn line on `log`. */
  onUndelivered?: (u: UndeliveredAlert) => void;
}

export interface AlertStats {
  accepted: number;
  suppressed: number;
  recordFailures: number;
  recordDropped: number;
  channels: Record<string, DeliveryStats>;
}

/** Record writes waiting per store before new ones are dropped (a store that hangs). */
const RECORD_MAX = 1000;

export class AlertDispatcher implements AlertSink {
  readonly stats: AlertStats = { accepted: 0, suppressed: 0, recordFailures: 0, recordDropped: 0, channels: {} };
  private readonly closing = new AbortController();
  private readonly slack: DeliveryQueue | undefined;
  private readonly pager: DeliveryQueue | undefined;
  private readonly suppression: AlertSuppression;
  private readonly stores: Array<{ store: AlertRecordStore; chain: Promise<void>; pending: number }>;
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(
    private readonly policy: AlertPolicy,
    private readonly deps: AlertDispatcherDeps = {},
  ) {
    const max = deps.queueMax ?? 100;
    const timeoutMs = deps.timeoutMs ?? 5000;
    const events = {
      outcome: (channel: string, outcome: AlertOutcome) => alertMetrics.sentTotal.inc({ channel, outcome }),
      dropped: (channel: string) => alertMetrics.droppedTotal.inc({ channel }),
    };
    const queue = (c: AlertChannel | undefined) =>
      c ? new DeliveryQueue(c, max, timeoutMs, this.closing.signal, events) : undefined;
    this.slack = queue(deps.slack);
    this.pager = queue(deps.pagerDuty?.channel);
    for (const q of [this.slack, this.pager]) if (q) this.stats.channels[q.channel.name] = q.stats;
    this.suppression = deps.suppression ?? new MemorySuppression();
    this.stores = (deps.stores ?? []).map((store) => ({ store, chain: Promise.resolve(), pending: 0 }));
    this.now = deps.now ?? Date.now;
    this.newId = deps.newId ?? randomUUID;
  }

  /** Bodies queued, all channels. */
  get queued(): number {
    return (this.slack?.length ?? 0) + (this.pager?.length ?? 0);
  }

  /** The record when accepted, undefined when suppressed (or, never thrown, when raising itself failed). */
  raise(alert: AlertInput): AlertRecord | undefined {
    try {
      const nowMs = this.now();
      const dedupe = alert.dedupeKey ?? '';
      if (!this.suppression.accept(`${alert.errorId}|${dedupe}`, nowMs, this.policy.suppressionMs)) {
        this.stats.suppressed++;
        alertMetrics.suppressedTotal.inc();
        this.deps.log?.debug?.({ event: 'alert_suppressed', details: { error_id: alert.errorId, dedupe_key: dedupe } });
        return undefined;
      }
      const route = alertRoute(alert.errorId);
      const record: AlertRecord = {
        event_id: this.newId(),
        error_id: alert.errorId,
        severity: route.severity,
        source: alert.source,
        message: alert.message,
        occurred_at: new Date(nowMs).toISOString(),
        details: alert.details ?? {},
      };
      this.stats.accepted++;
      const line = { event: 'alert', error_id: record.error_id, severity: record.severity, details: record };
      if (route.severity === 'CRITICAL') this.deps.log?.error(line);
      else if (route.severity === 'WARNING') this.deps.log?.warn(line);
      else this.deps.log?.info(line);
      for (const s of this.stores) this.record(s, record);
      const template = this.policy.templates[route.template] ?? this.policy.templates.alert!;
      // A repeat is suppressed only once somebody got the alert: when every channel it went to failed
      // (500, timeout, dropped), its acceptance is taken back and the next raise goes out again.
      const key = `${alert.errorId}|${dedupe}`;
      let pending = (this.slack ? 1 : 0) + (route.page && this.pager ? 1 : 0);
      let delivered = false;
      const done = (channel: string) => (failure?: DeliveryFailure) => {
        delivered ||= failure === undefined;
        if (failure) this.undelivered({ channel, errorId: record.error_id, eventId: record.event_id, ...failure });
        if (--pending === 0 && !delivered) this.suppression.forget(key, nowMs);
      };
      if (this.slack)
        this.slack.push(
          slackMessage(record, this.policy.channels[route.channel], template),
          done(this.slack.channel.name),
        );
      if (route.page && this.pager)
        this.pager.push(
          pagerDutyEvent(
            record,
            this.deps.pagerDuty!.routingKey,
            `${record.error_id}:${dedupe}`,
            fillTemplate(template, record),
          ),
          done(this.pager.channel.name),
        );
      return record;
    } catch (e) {
      this.deps.log?.error({ event: 'alert_raise_failed', details: { error_id: alert.errorId, why: safeReason(e) } });
      return undefined;
    }
  }

  private undelivered(u: UndeliveredAlert): void {
    try {
      if (this.deps.onUndelivered) this.deps.onUndelivered(u);
      else
        this.deps.log?.warn({
          event: 'alert_delivery_failed',
          details: { channel: u.channel, error_id: u.errorId, event_id: u.eventId, outcome: u.outcome, why: u.why },
        });
    } catch {
      /* telling of a failure never fails the delivery loop */
    }
  }

  private record(s: { store: AlertRecordStore; chain: Promise<void>; pending: number }, r: AlertRecord): void {
    if (s.pending >= RECORD_MAX) {
      this.stats.recordDropped++;
      return;
    }
    s.pending++;
    s.chain = s.chain
      .then(() => s.store.append(r))
      .catch((e: unknown) => {
        this.stats.recordFailures++;
        this.deps.log?.warn({
          event: 'alert_record_failed',
          details: { store: s.store.name, event_id: r.event_id, why: e instanceof Error ? e.message : String(e) },
        });
      })
      .finally(() => {
        s.pending--;
      });
  }

  /**
   * Waits until every queued delivery and record write is done and the suppression state is kept,
   * at most `timeoutMs`. True when everything finished in time.
   */
  async flush(timeoutMs: number): Promise<boolean> {
    // The suppression state is kept after the deliveries: a failed one takes its key back first.
    const all = Promise.all([this.slack?.idle(), this.pager?.idle(), ...this.stores.map((s) => s.chain)])
      .then(() => this.suppression.persist())
      .catch((e: unknown) => {
        this.deps.log?.warn({
          event: 'alert_suppression_failed',
          details: { why: e instanceof Error ? e.message : String(e) },
        });
      })
      .then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([all, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Aborts what is in flight, forgets what is queued, closes the stores. */
  async close(): Promise<void> {
    this.closing.abort();
    this.slack?.clear();
    this.pager?.clear();
    for (const s of this.stores)
      await s.store.close().catch(() => {
        /* closing: nothing left to tell */
      });
  }
}
