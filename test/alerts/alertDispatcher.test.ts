// The dispatcher against real HTTP receivers on 127.0.0.1: the exact Slack and PagerDuty bodies,
// routing per severity, suppression with an injected clock, a receiver that fails or hangs never
// slowing raise() and each failed delivery told once, Slack's escaping of the text.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pagerDutyEvents } from '../../src/adapters/http/pagerDutyEvents.js';
import { slackWebhook } from '../../src/adapters/http/slackWebhook.js';
import { AlertDispatcher, type AlertPolicy, type UndeliveredAlert } from '../../src/alerts/alertDispatcher.js';
import { escapeSlack, fillTemplate } from '../../src/alerts/alertPayloads.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { safeReason } from '../../src/alerts/deliveryQueue.js';
import { alertMetrics } from '../../src/observability/alertMetrics.js';
import type { AlertRecord } from '../../src/ports/alerts.js';
import { startAlertReceiver, type AlertReceiver } from '../helpers/alertReceiver.js';
import { capturedLogger } from '../helpers/logLines.js';
import { repoRoot } from '../helpers/runPt.js';

const sp = loadConfig(join(repoRoot, 'config')).slack_policy;
const policy: AlertPolicy = {
  channels: sp.channels,
  templates: sp.message_templates,
  suppressionMs: sp.suppression_minutes * 60_000,
};
const T0 = Date.parse('2026-03-02T10:00:00Z');

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function receiver(mode: Parameters<typeof startAlertReceiver>[0]): Promise<AlertReceiver> {
  const r = await startAlertReceiver(mode);
  open.push(r);
  return r;
}

function dispatcher(
  slack: AlertReceiver | undefined,
  pager: AlertReceiver | undefined,
  extra: Partial<ConstructorParameters<typeof AlertDispatcher>[1]> = {},
): AlertDispatcher {
  let n = 0;
  const d = new AlertDispatcher(policy, {
    ...(slack ? { slack: slackWebhook(slack.url('/hook')) } : {}),
    ...(pager ? { pagerDuty: { channel: pagerDutyEvents(pager.url('/v2/enqueue')), routingKey: 'rk-test' } } : {}),
    now: () => T0,
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    ...extra,
  });
  open.push(d);
  return d;
}

describe('alert payloads', () => {
  it('fills the template from the record, then its details; unknown names become -', () => {
    const r: AlertRecord = {
      event_id: 'e1',
      error_id: 'OPS_ACTION_APPLIED',
      severity: 'INFO',
      source: 'ops',
      message: 'halt',
      occurred_at: '2026-03-02T10:00:00.000Z',
      details: { action: 'halt', scope: 'portfolio', level: 'hard', actor: 'ana', reason: null },
    };
    expect(fillTemplate(sp.message_templates.ops!, r)).toBe('[OPS] halt scope=portfolio level=hard by=ana reason=-');
    expect(fillTemplate(sp.message_templates.alert!, r)).toBe('[INFO] OPS_ACTION_APPLIED ops: halt');
  });

  it('a number that is not finite (an undefined KPI) fills in as n/a, never NaN', () => {
    const r: AlertRecord = {
      event_id: 'e1',
      error_id: 'BT_ACCEPT_FAIL',
      severity: 'CRITICAL',
      source: 'bt run',
      message: 'failed',
      occurred_at: '2026-03-02T10:00:00.000Z',
      details: { sharpe: Number.NaN, dd: Number.POSITIVE_INFINITY, trades: 0 },
    };
    expect(fillTemplate('sharpe={sharpe} dd={dd} trades={trades}', r)).toBe('sharpe=n/a dd=n/a trades=0');
  });

  it("escapes &, < and > as Slack's entities, & first", () => {
    expect(escapeSlack('<@here> & x')).toBe('&lt;@here&gt; &amp; x');
    expect(escapeSlack('&lt;')).toBe('&amp;lt;');
    expect(escapeSlack('<!channel|x>')).toBe('&lt;!channel|x&gt;');
  });
});

describe('AlertDispatcher', () => {
  it('CRITICAL goes to Slack #risk-alerts and PagerDuty with the exact bodies', async () => {
    const slack = await receiver('ok');
    const pd = await receiver('accepted');
    const d = dispatcher(slack, pd);
    const rec = d.raise({
      errorId: 'OPS_DD_HALT',
      source: 'live shard_0',
      message: 'portfolio DD halt at 10.2%',
      details: { shard: 0, level: 'halt', drawdown: 0.102 },
      dedupeKey: 'shard_0',
    });
    expect(await d.flush(5000)).toBe(true);
    expect(rec).toEqual({
      event_id: '00000000-0000-4000-8000-000000000001',
      error_id: 'OPS_DD_HALT',
      severity: 'CRITICAL',
      source: 'live shard_0',
      message: 'portfolio DD halt at 10.2%',
      occurred_at: '2026-03-02T10:00:00.000Z',
      details: { shard: 0, level: 'halt', drawdown: 0.102 },
    });
    expect(slack.received).toEqual([
      {
        path: '/hook',
        body: { channel: '#risk-alerts', text: '[CRITICAL] OPS_DD_HALT live shard_0: portfolio DD halt at 10.2%' },
      },
    ]);
    expect(pd.received).toEqual([
      {
        path: '/v2/enqueue',
        body: {
          routing_key: 'rk-test',
          event_action: 'trigger',
          dedup_key: 'OPS_DD_HALT:shard_0',
          payload: {
            summary: '[CRITICAL] OPS_DD_HALT live shard_0: portfolio DD halt at 10.2%',
            source: 'live shard_0',
            severity: 'critical',
            timestamp: '2026-03-02T10:00:00.000Z',
            custom_details: {
              error_id: 'OPS_DD_HALT',
              event_id: '00000000-0000-4000-8000-000000000001',
              shard: 0,
              level: 'halt',
              drawdown: 0.102,
            },
          },
        },
      },
    ]);
    expect(d.stats.channels).toEqual({
      slack: { ok: 1, failed: 0, timeout: 0, dropped: 0 },
      pagerduty: { ok: 1, failed: 0, timeout: 0, dropped: 0 },
    });
  });

  it('WARNING and INFO go to Slack only, each to its channel; ops actions use the ops template', async () => {
    const slack = await receiver('ok');
    const pd = await receiver('accepted');
    const d = dispatcher(slack, pd);
    d.raise({ errorId: 'DATA_FRESH_STALE', source: 'live shard_1', message: 'stale: lag 400 s' });
    d.raise({ errorId: 'OPS_RETRAIN_PROMOTED', source: 'retrain g1', message: 'v2 promoted' });
    d.raise({
      errorId: 'OPS_ACTION_APPLIED',
      source: 'ops',
      message: 'flatten',
      details: { action: 'flatten', scope: 'pair:XAUUSD_XAGUSD', level: 'immediate', actor: 'ana', reason: 'news' },
    });
    expect(await d.flush(5000)).toBe(true);
    expect(slack.received.map((r) => r.body)).toEqual([
      { channel: '#ml-ops', text: '[WARNING] DATA_FRESH_STALE live shard_1: stale: lag 400 s' },
      { channel: '#analytics-info', text: '[INFO] OPS_RETRAIN_PROMOTED retrain g1: v2 promoted' },
      { channel: '#config-changes', text: '[OPS] flatten scope=pair:XAUUSD_XAGUSD level=immediate by=ana reason=news' },
    ]);
    expect(pd.received).toEqual([]);
  });

  it('suppresses a repeat of the same id and key within the window, sends it again after', async () => {
    const slack = await receiver('ok');
    let now = T0;
    const d = dispatcher(slack, undefined, { now: () => now });
    const raise = (key: string) =>
      d.raise({ errorId: 'OPS_RECONCILE_MISMATCH', source: 'live shard_0', message: key, dedupeKey: key });
    expect(raise('XAUUSD_XAGUSD')).toBeDefined();
    now += 29 * 60_000;
    expect(raise('XAUUSD_XAGUSD')).toBeUndefined();
    // Another pair is another alert.
    expect(raise('AUDUSD_USDCAD')).toBeDefined();
    now = T0 + 30 * 60_000;
    expect(raise('XAUUSD_XAGUSD')).toBeDefined();
    now += 60_000;
    expect(raise('XAUUSD_XAGUSD')).toBeUndefined();
    expect(await d.flush(5000)).toBe(true);
    expect(slack.received.map((r) => (r.body as { text: string }).text)).toEqual([
      '[CRITICAL] OPS_RECONCILE_MISMATCH live shard_0: XAUUSD_XAGUSD',
      '[CRITICAL] OPS_RECONCILE_MISMATCH live shard_0: AUDUSD_USDCAD',
      '[CRITICAL] OPS_RECONCILE_MISMATCH live shard_0: XAUUSD_XAGUSD',
    ]);
    expect(d.stats.suppressed).toBe(2);
  });

  it('a repeat is suppressed only after a delivery: every channel failing (500, timeout) takes the acceptance back', async () => {
    const down = await receiver('error');
    const hung = await receiver('hang');
    let now = T0;
    const d = dispatcher(down, hung, { now: () => now, timeoutMs: 200 });
    const raise = () => d.raise({ errorId: 'OPS_HEARTBEAT_LOST', source: 'ops', message: 'shard 3', dedupeKey: '3' });
    expect(raise()).toBeDefined();
    expect(await d.flush(5000)).toBe(true);
    // Nobody got it (Slack 500, PagerDuty timed out): a minute later it goes out again.
    now += 60_000;
    expect(raise()).toBeDefined();
    expect(await d.flush(5000)).toBe(true);
    expect(down.received).toHaveLength(2);
    // Slack answering again: delivered once, then suppressed within the window.
    down.mode = 'ok';
    now += 60_000;
    expect(raise()).toBeDefined();
    expect(await d.flush(5000)).toBe(true);
    now += 60_000;
    expect(raise()).toBeUndefined();
    expect(await d.flush(5000)).toBe(true);
    expect(down.received).toHaveLength(3);
  });

  it('logs each accepted alert as one JSON line (event alert) and never the webhook URL', async () => {
    const slack = await receiver('error');
    const { log, lines } = capturedLogger('live');
    const d = dispatcher(slack, undefined, { log });
    d.raise({ errorId: 'OPS_DD_FLATTEN', source: 'live shard_0', message: 'flatten', dedupeKey: 'shard_0' });
    d.raise({ errorId: 'OPS_DD_FLATTEN', source: 'live shard_0', message: 'flatten', dedupeKey: 'shard_0' });
    await d.flush(5000);
    const alerts = lines.filter((l) => l.event === 'alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ level: 'error', error_id: 'OPS_DD_FLATTEN', severity: 'CRITICAL' });
    // pt live's line of a failed delivery: warn level, the alert's id and event id, the status.
    const failed = lines.filter((l) => l.event === 'alert_delivery_failed');
    expect(failed).toEqual([
      expect.objectContaining({
        level: 'warn',
        details: {
          channel: 'slack',
          error_id: 'OPS_DD_FLATTEN',
          event_id: '00000000-0000-4000-8000-000000000001',
          outcome: 'failed',
          why: 'HTTP 500',
        },
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain(slack.url('/hook'));
    expect(JSON.stringify(lines)).not.toContain('/hook');
  });

  it('a receiver answering 500: raise stays immediate, failures are counted, nothing is retried', async () => {
    const slack = await receiver('error');
    const d = dispatcher(slack, undefined, { queueMax: 1000 });
    const before = (await alertMetrics.sentTotal.get()).values.find(
      (v) => v.labels.channel === 'slack' && v.labels.outcome === 'failed',
    )?.value;
    for (let i = 0; i < 20; i++)
      d.raise({ errorId: 'DATA_FRESH_STALE', source: 'live', message: `m${i}`, dedupeKey: String(i) });
    expect(await d.flush(5000)).toBe(true);
    expect(slack.requests).toBe(20);
    expect(d.stats.channels.slack).toEqual({ ok: 0, failed: 20, timeout: 0, dropped: 0 });
    const after = (await alertMetrics.sentTotal.get()).values.find(
      (v) => v.labels.channel === 'slack' && v.labels.outcome === 'failed',
    )?.value;
    expect((after ?? 0) - (before ?? 0)).toBe(20);
  });

  it('a receiver that hangs: 1000 raises take < 50 ms, the queue stays bounded, drops and timeouts are counted', async () => {
    const slack = await receiver('hang');
    const pd = await receiver('hang');
    const d = dispatcher(slack, pd, { queueMax: 100, timeoutMs: 300 });
    // The first request goes out and hangs before the burst.
    d.raise({ errorId: 'OPS_DD_HALT', source: 'live', message: 'first', dedupeKey: 'first' });
    await new Promise((r) => setTimeout(r, 50));
    expect(slack.requests).toBe(1);
    // Five bursts of 1000; the fastest is the cost of raise (a slower one is the JIT warming up, or the
    // scheduler of a loaded machine, not the receiver: a raise that waited on it would make every burst slow).
    const bursts: number[] = [];
    for (let b = 0; b < 5; b++) {
      const t0 = performance.now();
      for (let i = 0; i < 1000; i++)
        d.raise({ errorId: 'OPS_DD_HALT', source: 'live', message: `m${i}`, dedupeKey: `${b}-${i}` });
      bursts.push(performance.now() - t0);
    }
    expect(Math.min(...bursts)).toBeLessThan(50);
    expect(d.queued).toBe(200);
    expect(d.stats.channels.slack!.dropped).toBe(4900);
    expect(d.stats.channels.pagerduty!.dropped).toBe(4900);
    expect(slack.requests).toBe(1);
    // The in-flight request times out; flush gives up at its bound with the rest still queued.
    const f0 = performance.now();
    expect(await d.flush(700)).toBe(false);
    expect(performance.now() - f0).toBeLessThan(1000);
    expect(d.stats.channels.slack!.timeout).toBeGreaterThanOrEqual(1);
    expect(d.stats.channels.slack!.ok).toBe(0);
    await d.close();
    expect(d.queued).toBe(0);
  });

  it('each failed delivery is told once, with channel, alert and reason: HTTP 500, refused, timeout, full queue, close', async () => {
    const down = await receiver('error');
    const hung = await receiver('hang');
    const gone = await receiver('ok');
    const goneUrl = gone.url('/secret-hook');
    await gone.close();
    const told: UndeliveredAlert[] = [];
    const onUndelivered = (u: UndeliveredAlert) => told.push(u);
    const { log, lines } = capturedLogger('ops');
    const raise = (d: AlertDispatcher, key: string) =>
      d.raise({ errorId: 'OPS_HEARTBEAT_LOST', source: 'ops', message: `shard ${key}`, dedupeKey: key })!.event_id;

    // Slack answers 500, PagerDuty's port is closed: one report per channel, none in the log.
    const a = new AlertDispatcher(policy, {
      slack: slackWebhook(down.url('/secret-hook')),
      pagerDuty: { channel: pagerDutyEvents(goneUrl), routingKey: 'rk-secret' },
      onUndelivered,
      log,
    });
    open.push(a);
    const first = raise(a, '1');
    expect(await a.flush(5000)).toBe(true);
    expect(told.sort((x, y) => x.channel.localeCompare(y.channel))).toEqual([
      { channel: 'pagerduty', errorId: 'OPS_HEARTBEAT_LOST', eventId: first, outcome: 'failed', why: 'ECONNREFUSED' },
      { channel: 'slack', errorId: 'OPS_HEARTBEAT_LOST', eventId: first, outcome: 'failed', why: 'HTTP 500' },
    ]);
    expect(lines.filter((l) => l.event === 'alert_delivery_failed')).toEqual([]);
    expect(JSON.stringify(told)).not.toMatch(/secret|127\.0\.0\.1/);

    // A hung receiver: the timeout; a full queue: the oldest dropped; close: in flight and still queued.
    told.length = 0;
    const b = new AlertDispatcher(policy, {
      slack: slackWebhook(hung.url('/hook')),
      onUndelivered,
      queueMax: 1,
      timeoutMs: 200,
    });
    open.push(b);
    const timedOut = raise(b, '2');
    await new Promise((r) => setTimeout(r, 50));
    const dropped = raise(b, '3');
    const inFlight = raise(b, '4');
    expect(told).toEqual([
      expect.objectContaining({ eventId: dropped, outcome: 'dropped', why: 'dropped: 1 newer alerts queued' }),
    ]);
    expect(await b.flush(100)).toBe(false);
    // The first times out at 200 ms; the next is then in flight.
    await vi.waitFor(() => expect(told).toHaveLength(2), { timeout: 2000 });
    const queued = raise(b, '5');
    await b.close();
    await vi.waitFor(() => expect(told).toHaveLength(4), { timeout: 2000 });
    expect(told.map((u) => [u.eventId, u.outcome, u.why])).toEqual([
      [dropped, 'dropped', 'dropped: 1 newer alerts queued'],
      [timedOut, 'timeout', 'timeout (no answer in 200 ms)'],
      [queued, 'cancelled', 'not sent before close'],
      [inFlight, 'cancelled', 'cancelled in flight at close'],
    ]);
    expect(hung.requests).toBe(2);
  });

  it("a failure's reason is a status, an errno code or a few plain words, never the URL", async () => {
    const reason = (url: string) =>
      fetch(url, { method: 'POST' }).then(
        () => 'ok',
        (e: unknown) => safeReason(e),
      );
    // fetch refuses some ports outright; its cause says so in plain words.
    expect(await reason('http://127.0.0.1:1/secret')).toBe('bad port');
    expect(await reason('http://user:secret@127.0.0.1:9999/x')).toBe('TypeError');
    expect(await reason('not a url /secret')).toBe('ERR_INVALID_URL');
    expect(safeReason(new Error('HTTP 503'))).toBe('HTTP 503');
    expect(safeReason(new Error('connect to https://hooks.slack.com/services/secret failed'))).toBe('Error');
  });

  it('the Slack text escapes the data (&, <, >), not the template; PagerDuty gets it as written', async () => {
    const slack = await receiver('ok');
    const pd = await receiver('accepted');
    const d = dispatcher(slack, pd, {});
    // A template of pt's own may mention the channel on purpose.
    const custom = new AlertDispatcher(
      { ...policy, templates: { ...policy.templates, alert: '<!here> {error_id}: {message} [{pair}]' } },
      { slack: slackWebhook(slack.url('/custom')) },
    );
    open.push(custom);
    const alert = {
      errorId: 'OPS_RECONCILE_MISMATCH' as const,
      source: 'live <shard_0>',
      message: '<@here> & x',
      details: { pair: 'A<B>&C' },
      dedupeKey: 'x',
    };
    d.raise(alert);
    custom.raise(alert);
    expect(await d.flush(5000)).toBe(true);
    expect(await custom.flush(5000)).toBe(true);
    expect(slack.received.map((r) => [r.path, (r.body as { text: string }).text]).sort()).toEqual([
      ['/custom', '<!here> OPS_RECONCILE_MISMATCH: &lt;@here&gt; &amp; x [A&lt;B&gt;&amp;C]'],
      ['/hook', '[CRITICAL] OPS_RECONCILE_MISMATCH live &lt;shard_0&gt;: &lt;@here&gt; &amp; x'],
    ]);
    expect(pd.received[0]!.body).toMatchObject({
      payload: { summary: '[CRITICAL] OPS_RECONCILE_MISMATCH live <shard_0>: <@here> & x', source: 'live <shard_0>' },
    });
  });

  it('no channel configured: alerts are accepted (logged, recorded) and flush returns at once', async () => {
    const d = dispatcher(undefined, undefined);
    expect(d.raise({ errorId: 'OPS_HEARTBEAT_LOST', source: 'ops', message: 'shard 1' })).toBeDefined();
    expect(await d.flush(100)).toBe(true);
    expect(d.stats.accepted).toBe(1);
  });
});
