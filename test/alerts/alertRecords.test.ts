// The record store pt monitor reads: `<ops_dir>/alerts.jsonl` and `<prefix>:alerts` on a real Redis
// (LPUSH, trimmed to 200), written by the dispatcher; the file suppression shared across processes;
// openAlerts turning off a channel whose URL variable is no http(s) URL.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisAlertList } from '../../src/adapters/redis/redisAlertList.js';
import { AlertDispatcher } from '../../src/alerts/alertDispatcher.js';
import { FileSuppression } from '../../src/alerts/alertSuppression.js';
import { JsonlAlertStore } from '../../src/alerts/jsonlAlertStore.js';
import { isHttpUrl, openAlerts, type AlertWarning } from '../../src/cli/openAlerts.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { requireService } from '../helpers/services.js';
import { repoRoot } from '../helpers/runPt.js';

const config = loadConfig(join(repoRoot, 'config'));
const policy = {
  channels: config.slack_policy.channels,
  templates: config.slack_policy.message_templates,
  suppressionMs: 1_800_000,
};
const dir = mkdtempSync(join(tmpdir(), 'pt-alert-records-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.parse('2026-03-02T10:00:00Z');

describe('alert records', () => {
  it('appends one JSON object per accepted alert to alerts.jsonl, none for a suppressed one', async () => {
    const path = join(dir, 'a', 'ops', 'alerts.jsonl');
    const d = new AlertDispatcher(policy, { stores: [new JsonlAlertStore(path)], now: () => T0 });
    d.raise({ errorId: 'OPS_DD_HALT', source: 'live shard_0', message: 'halt', details: { shard: 0 }, dedupeKey: '0' });
    d.raise({ errorId: 'OPS_DD_HALT', source: 'live shard_0', message: 'halt', details: { shard: 0 }, dedupeKey: '0' });
    d.raise({ errorId: 'DATA_FRESH_STALE', source: 'live shard_0', message: 'stale' });
    expect(await d.flush(2000)).toBe(true);
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(Object.keys(lines[0]!)).toEqual([
      'event_id',
      'error_id',
      'severity',
      'source',
      'message',
      'occurred_at',
      'details',
    ]);
    expect(lines[0]).toMatchObject({
      error_id: 'OPS_DD_HALT',
      severity: 'CRITICAL',
      source: 'live shard_0',
      message: 'halt',
      occurred_at: '2026-03-02T10:00:00.000Z',
      details: { shard: 0 },
    });
    expect(lines[0]!.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(lines[1]).toMatchObject({ error_id: 'DATA_FRESH_STALE', severity: 'WARNING' });
  });

  it('a store that fails is logged and counted, never thrown into raise', async () => {
    const bad = { name: 'bad', append: () => Promise.reject(new Error('disk gone')), close: () => Promise.resolve() };
    const d = new AlertDispatcher(policy, { stores: [bad] });
    expect(() => d.raise({ errorId: 'OPS_DD_HALT', source: 'x', message: 'y' })).not.toThrow();
    expect(await d.flush(1000)).toBe(true);
    expect(d.stats.recordFailures).toBe(1);
  });

  it('the file suppression holds across processes (two loads of the same file)', async () => {
    const path = join(dir, 'supp', 'alerts_suppression.json');
    const first = await FileSuppression.load(path);
    expect(first.accept('OPS_HEARTBEAT_LOST|1', T0, 1_800_000)).toBe(true);
    await first.persist();
    const second = await FileSuppression.load(path);
    expect(second.accept('OPS_HEARTBEAT_LOST|1', T0 + 60_000, 1_800_000)).toBe(false);
    expect(second.accept('OPS_HEARTBEAT_LOST|2', T0 + 60_000, 1_800_000)).toBe(true);
    await second.persist();
    const third = await FileSuppression.load(path);
    expect(third.accept('OPS_HEARTBEAT_LOST|2', T0 + 120_000, 1_800_000)).toBe(false);
    expect(third.accept('OPS_HEARTBEAT_LOST|1', T0 + 1_800_000, 1_800_000)).toBe(true);
  });
});

const redisUp = await requireService('Redis', 6379);

describe.runIf(redisUp)('alert records on Redis', () => {
  it('LPUSHes the same JSON to <prefix>:alerts, newest first, trimmed to 200', async () => {
    const prefix = `ptalerttest${process.pid}`;
    const redis = new Redis('redis://127.0.0.1:6379');
    try {
      const list = new RedisAlertList('redis://127.0.0.1:6379', prefix);
      expect(await list.ready(2000)).toBe(true);
      const file = join(dir, 'r', 'alerts.jsonl');
      const d = new AlertDispatcher(policy, { stores: [new JsonlAlertStore(file), list] });
      for (let i = 0; i < 205; i++)
        d.raise({ errorId: 'DATA_FRESH_STALE', source: 'live', message: `m${i}`, dedupeKey: String(i) });
      expect(await d.flush(5000)).toBe(true);
      await d.close();
      const items = await redis.lrange(`${prefix}:alerts`, 0, -1);
      expect(items).toHaveLength(200);
      expect(JSON.parse(items[0]!)).toMatchObject({ message: 'm204', error_id: 'DATA_FRESH_STALE' });
      const fileLines = readFileSync(file, 'utf8').trim().split('\n');
      expect(fileLines).toHaveLength(205);
      expect(items[0]).toBe(fileLines[204]);
    } finally {
      await redis.del(`${prefix}:alerts`);
      redis.disconnect();
    }
  });

  it('openAlerts with REDIS_URL records to both; with no Slack or PagerDuty variable nothing is sent', async () => {
    const cfg = {
      ...config,
      signals_policy: { ...config.signals_policy, redis_key_prefix: `ptalertopen${process.pid}` },
    };
    const opsDir = join(dir, 'open');
    const redis = new Redis('redis://127.0.0.1:6379');
    try {
      const d = await openAlerts(cfg, { opsDir, env: { REDIS_URL: 'redis://127.0.0.1:6379' } });
      d.raise({ errorId: 'OPS_HEARTBEAT_LOST', source: 'ops', message: 'shard 3', dedupeKey: '3' });
      expect(await d.flush(5000)).toBe(true);
      await d.close();
      expect(d.stats.channels).toEqual({});
      const items = await redis.lrange(`ptalertopen${process.pid}:alerts`, 0, -1);
      expect(items.map((i) => JSON.parse(i).message)).toEqual(['shard 3']);
      expect(readFileSync(join(opsDir, 'alerts.jsonl'), 'utf8')).toContain('"shard 3"');
      // The suppression state was kept for the next command.
      expect(JSON.parse(readFileSync(join(opsDir, 'alerts_suppression.json'), 'utf8'))).toHaveProperty([
        'OPS_HEARTBEAT_LOST|3',
      ]);
    } finally {
      await redis.del(`ptalertopen${process.pid}:alerts`);
      redis.disconnect();
    }
  });

  it('a channel URL variable that is no http(s) URL: one warning naming it (not its value), that channel off, alerts still recorded', async () => {
    const opsDir = join(dir, 'malformed');
    const warnings: AlertWarning[] = [];
    const d = await openAlerts(config, {
      opsDir,
      env: {
        SLACK_WEBHOOK_URL: 'hooks.slack.com/services/T0/B0/secret-path',
        PAGERDUTY_INTEGRATION_KEY: 'pd-secret-key',
        PAGERDUTY_EVENTS_URL: 'ftp://127.0.0.1/secret-events',
      },
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings.map((w) => [w.id, w.message])).toEqual([
      ['OPS_ALERT_CONFIG', 'SLACK_WEBHOOK_URL is not an http(s) URL: Slack alerts are off for this run'],
      ['OPS_ALERT_CONFIG', 'PAGERDUTY_EVENTS_URL is not an http(s) URL: PagerDuty alerts are off for this run'],
    ]);
    expect(JSON.stringify(warnings)).not.toContain('secret');
    expect(d.stats.channels).toEqual({});
    expect(d.raise({ errorId: 'OPS_HEARTBEAT_LOST', source: 'ops', message: 'shard 7', dedupeKey: '7' })).toBeDefined();
    expect(await d.flush(5000)).toBe(true);
    await d.close();
    expect(readFileSync(join(opsDir, 'alerts.jsonl'), 'utf8')).toContain('"shard 7"');
    // Only what is wrong is turned off: a good Slack URL with a bad PagerDuty endpoint keeps Slack.
    const e = await openAlerts(config, {
      opsDir,
      env: { SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/x', PAGERDUTY_EVENTS_URL: 'not a url' },
      onWarning: (w) => warnings.push(w),
    });
    await e.close();
    expect(Object.keys(e.stats.channels)).toEqual(['slack']);
    expect(warnings).toHaveLength(3);
  });

  it('isHttpUrl: an absolute http(s) URL with a host and no credentials', () => {
    for (const ok of ['https://hooks.slack.com/services/T0/B0/x', 'http://127.0.0.1:8080/hook', ' https://h/x\n'])
      expect(isHttpUrl(ok), ok).toBe(true);
    for (const bad of ['hooks.slack.com/services/x', 'ftp://h/x', 'https://', 'https://u:p@h/x', '', 'mailto:a@b'])
      expect(isHttpUrl(bad), bad).toBe(false);
  });
});
