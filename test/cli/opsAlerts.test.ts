// pt ops's alerts as a user (and cron) runs them, against a real Slack-format receiver on 127.0.0.1:
// each action one INFO message through the `ops` template; `pt ops status --alert` one heartbeat-lost
// message per shard, not sent again by the next run within the suppression window. A delivery that
// fails (500, a closed port) is one WARNING line on stderr whatever LOG_LEVEL says, without the URL;
// a webhook variable that is no URL is one warning at start and the command runs as before.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.js';
import { startAlertReceiver, type AlertReceiver } from '../helpers/alertReceiver.js';
import { repoRoot, runPtAsync, type PtRun } from '../helpers/runPt.js';

let dir = '';
let slack: AlertReceiver;
const shards = [...new Set(loadConfig(join(repoRoot, 'config')).universe.pairs.map((p) => p.shard))].sort();
const pt = (args: string[]) =>
  runPtAsync(['-c', join(repoRoot, 'config'), ...args], {
    env: {
      HOME: dir,
      PT_MODEL_SIGNING_KEY: '',
      PT_MODEL_VERIFY_KEY: '',
      SERVICE_ENV: '',
      REDIS_URL: '',
      SLACK_WEBHOOK_URL: slack.url('/services/T0/B0/secret'),
      PAGERDUTY_INTEGRATION_KEY: '',
    },
    cwd: dir,
  });
const records = () =>
  readFileSync(join(dir, 'data', 'ops', 'alerts.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pt-ops-alerts-'));
  slack = await startAlertReceiver('ok');
});

afterAll(async () => {
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('pt ops alerts', () => {
  it('halt and resume each send one [OPS] message to #config-changes and record it', async () => {
    const h = await pt(['ops', 'halt', '--level', 'hard', '--reason', 'NFP release', '--actor', 'ana']);
    expect(h.code, h.stderr).toBe(0);
    const r = await pt(['ops', 'resume', '--force', '--reason', 'checked', '--actor', 'ben']);
    expect(r.code, r.stderr).toBe(0);
    expect(slack.received.map((x) => x.body)).toEqual([
      { channel: '#config-changes', text: '[OPS] halt scope=portfolio level=hard by=ana reason=NFP release' },
      { channel: '#config-changes', text: '[OPS] resume scope=portfolio level=forced by=ben reason=checked' },
    ]);
    expect(records().map((x) => [x.error_id, x.severity, (x.details as { action: string }).action])).toEqual([
      ['OPS_ACTION_APPLIED', 'INFO', 'halt'],
      ['OPS_ACTION_APPLIED', 'INFO', 'resume'],
    ]);
    // The webhook URL holds a secret: never printed or logged.
    expect(h.stdout + h.stderr + r.stdout + r.stderr).not.toContain('secret');
  });

  it('status --alert sends heartbeat-lost once per shard; the next run within the window sends nothing', async () => {
    const before = slack.received.length;
    const first = await pt(['ops', 'status', '--alert']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`alerts: ${shards.length} raised (`);
    expect(first.stdout).toContain(`${shards.length} not suppressed`);
    const sent = slack.received.slice(before).map((x) => x.body as { channel: string; text: string });
    expect(sent.map((b) => b.channel)).toEqual(shards.map(() => '#risk-alerts'));
    expect(sent.map((b) => b.text)).toEqual(
      shards.map((s) =>
        expect.stringMatching(
          new RegExp(`^\\[CRITICAL\\] OPS_HEARTBEAT_LOST ops status: shard ${s} \\(.*\\): no heartbeat$`),
        ),
      ),
    );
    const second = await pt(['ops', 'status', '--alert', '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).alerts).toEqual({
      raised: shards.map((s) => `OPS_HEARTBEAT_LOST shard_${s}`),
      sent: 0,
    });
    expect(slack.received.length).toBe(before + shards.length);
  });

  it('status --alert with Redis not answering pages OPS_BUS_DOWN (no heartbeat can be seen), then fails with its line', async () => {
    const before = slack.received.length;
    // A port nothing listens on: the bus is down.
    const r = await runPtAsync(['-c', join(repoRoot, 'config'), 'ops', 'status', '--alert', '--bus', 'redis'], {
      env: {
        HOME: dir,
        REDIS_URL: 'redis://127.0.0.1:1',
        SLACK_WEBHOOK_URL: slack.url('/services/T0/B0/secret'),
        PAGERDUTY_INTEGRATION_KEY: '',
      },
      cwd: dir,
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^ERROR OPS_BUS_DOWN: /);
    expect(slack.received.slice(before).map((x) => x.body)).toEqual([
      {
        channel: '#risk-alerts',
        text: expect.stringMatching(
          /^\[CRITICAL\] OPS_BUS_DOWN ops status: no shard heartbeat can be checked: Redis at redis:\/\/127\.0\.0\.1:1 does not answer/,
        ),
      },
    ]);
    expect(records().at(-1)).toMatchObject({ error_id: 'OPS_BUS_DOWN', severity: 'CRITICAL' });
  });
});

describe('pt ops alerts that do not go out', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  /** `pt ops halt` in a folder of its own, with these alert variables. */
  const halt = (env: NodeJS.ProcessEnv): Promise<PtRun> => {
    const home = mkdtempSync(join(tmpdir(), 'pt-ops-unsent-'));
    dirs.push(home);
    return runPtAsync(
      ['-c', join(repoRoot, 'config'), 'ops', 'halt', '--level', 'soft', '--reason', 'test', '--actor', 'ana'],
      {
        env: { HOME: home, REDIS_URL: '', PAGERDUTY_INTEGRATION_KEY: '', PAGERDUTY_EVENTS_URL: '', ...env },
        cwd: home,
      },
    );
  };
  const warnings = (r: PtRun) => r.stderr.split('\n').filter((l) => /^WARN/.test(l));
  const unsent = (why: string) =>
    new RegExp(
      `^WARNING OPS_ALERT_UNSENT: slack did not deliver alert OPS_ACTION_APPLIED \\(event [0-9a-f-]{36}\\): ${why}$`,
    );

  it('a receiver answering 500: one WARNING line (channel, alert, HTTP 500) without and with LOG_LEVEL, never the URL', async () => {
    const down = await startAlertReceiver('error');
    try {
      const url = down.url('/services/T0/B0/secret');
      for (const LOG_LEVEL of ['', 'error', 'info']) {
        const r = await halt({ SLACK_WEBHOOK_URL: url, LOG_LEVEL });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toMatch(/^halted \(soft\) portfolio/);
        expect(warnings(r), `LOG_LEVEL=${LOG_LEVEL}`).toEqual([expect.stringMatching(unsent('HTTP 500'))]);
        // Under LOG_LEVEL the failure is not told twice (no JSON line of it besides).
        expect(r.stderr).not.toContain('alert_delivery_failed');
        expect(r.stdout + r.stderr).not.toContain('secret');
        expect(r.stdout + r.stderr).not.toContain(`:${new URL(url).port}`);
      }
      expect(down.requests).toBe(3);
    } finally {
      await down.close();
    }
  });

  it('a closed port: one WARNING line with ECONNREFUSED', async () => {
    const gone = await startAlertReceiver('ok');
    const url = gone.url('/services/T0/B0/secret');
    await gone.close();
    const r = await halt({ SLACK_WEBHOOK_URL: url, LOG_LEVEL: '' });
    expect(r.code, r.stderr).toBe(0);
    expect(warnings(r)).toEqual([expect.stringMatching(unsent('ECONNREFUSED'))]);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout + r.stderr).not.toContain('secret');
  });

  it('a SLACK_WEBHOOK_URL that is no URL: one warning at start naming the variable; the halt applies and is recorded', async () => {
    const r = await halt({ SLACK_WEBHOOK_URL: 'hooks.slack.com/services/T0/B0/secret', LOG_LEVEL: '' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^halted \(soft\) portfolio/);
    expect(r.stderr.trim().split('\n')).toEqual([
      'WARNING OPS_ALERT_CONFIG: SLACK_WEBHOOK_URL is not an http(s) URL: Slack alerts are off for this run',
    ]);
    expect(r.stdout + r.stderr).not.toContain('secret');
    const home = dirs.at(-1)!;
    expect(readFileSync(join(home, 'data', 'ops', 'alerts.jsonl'), 'utf8')).toContain('"OPS_ACTION_APPLIED"');
  });
});
