// Acceptance: a replayed shard whose account.json equity falls past dd_policy's halt level sends a
// Slack-format message naming OPS_DD_HALT to a local receiver (SLACK_WEBHOOK_URL), and pages a local
// PagerDuty Events API receiver (PAGERDUTY_EVENTS_URL); the alert is recorded in the replay's
// ops/alerts.jsonl. Bundled XAUUSD/XAGUSD bars, a signed random model, the replay paced.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.js';
import { startAlertReceiver, type AlertReceiver } from '../helpers/alertReceiver.js';
import { ISOLATED_ENV, makeLiveShardFixture } from '../helpers/liveShardFixture.js';
import { runPtAsync } from '../helpers/runPt.js';

const SHARD = 7;
const PAIR = 'XAUUSD_XAGUSD';
const env = { ...ISOLATED_ENV, LOG_LEVEL: 'info' };
let dir = '';
let configDir = '';
let modelDir = '';
let slack: AlertReceiver;
let pager: AlertReceiver;

const sleep = (ms: number) => new Promise((d) => setTimeout(d, ms));

beforeAll(async () => {
  const fx = await makeLiveShardFixture({
    tag: 'pt-alerts-dd-',
    shard: SHARD,
    pairs: [PAIR],
    modelSeed: 7,
    redisPrefix: 'ptalertstest',
    from: '2021-04-01',
    to: '2021-09-01',
    env,
  });
  ({ dir, configDir, modelDir } = fx);
  slack = await startAlertReceiver('ok');
  pager = await startAlertReceiver('accepted');
}, 120_000);

afterAll(async () => {
  await slack?.close();
  await pager?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('alerts end to end', () => {
  it('a replayed shard at DD halt sends the Slack message and the PagerDuty event', async () => {
    const signals = join(dir, 'signals');
    const signalPath = join(signals, `shard_${SHARD}`, 'signal.json');
    const accountPath = join(dir, 'data', 'replay', 'account.json');
    const capital = loadConfig(configDir).backtest_policy.initial_capital_usd;
    const halt = loadConfig(configDir).dd_policy.dd_halt_portfolio;
    const flatten = loadConfig(configDir).dd_policy.dd_flatten_portfolio;
    let pid = 0;
    const live = runPtAsync(
      [
        '-c',
        configDir,
        'live',
        '--shard',
        String(SHARD),
        '--replay',
        '--from',
        '2021-06-01',
        '--to',
        '2021-09-01',
      ].concat(['--speed', '3600x', '--model-dir', modelDir, '--signal-dir', signals]),
      {
        env: {
          HOME: dir,
          ...env,
          SLACK_WEBHOOK_URL: slack.url('/hook'),
          PAGERDUTY_INTEGRATION_KEY: 'test-routing-key',
          PAGERDUTY_EVENTS_URL: pager.url('/v2/enqueue'),
        },
        cwd: dir,
        onStart: (p) => (pid = p),
      },
    );
    try {
      // The replay emits: from now on an account.json written by "the EA" is this run's.
      for (let k = 0; k < 600 && !existsSync(signalPath); k++) await sleep(100);
      expect(existsSync(signalPath)).toBe(true);
      // Equity between the halt and the flatten level below the starting capital (the DD peak).
      const equity = Math.round(capital * (1 - (halt + flatten) / 2));
      mkdirSync(join(dir, 'data', 'replay'), { recursive: true });
      writeFileSync(
        `${accountPath}.tmp`,
        JSON.stringify({
          schema_version: 'v1',
          ts: new Date().toISOString(),
          equity,
          balance: capital,
          positions: {},
        }),
      );
      // Renamed into place, as the EA does: the shard never reads half a file.
      renameSync(`${accountPath}.tmp`, accountPath);
      const t0 = performance.now();
      const got = async (r: AlertReceiver) => {
        for (let k = 0; k < 300; k++) {
          const hit = r.received.find((x) => JSON.stringify(x.body).includes('OPS_DD_HALT'));
          if (hit) return hit;
          await sleep(50);
        }
        throw new Error(`no OPS_DD_HALT message: ${JSON.stringify(r.received)}`);
      };
      const msg = await got(slack);
      console.log(`the Slack receiver got ${msg.path}: ${JSON.stringify(msg.body)}`);
      expect(performance.now() - t0).toBeLessThan(15_000);
      expect(msg.path).toBe('/hook');
      expect(msg.body).toEqual({
        channel: '#risk-alerts',
        text: expect.stringMatching(
          new RegExp(
            `^\\[CRITICAL\\] OPS_DD_HALT live shard_${SHARD}: DD halt: portfolio \\(drawdown \\d+\\.\\d\\d%\\) at `,
          ),
        ),
      });
      const page = await got(pager);
      expect(page.body).toMatchObject({
        routing_key: 'test-routing-key',
        event_action: 'trigger',
        dedup_key: `OPS_DD_HALT:shard_${SHARD}`,
        payload: { severity: 'critical', source: `live shard_${SHARD}`, custom_details: { error_id: 'OPS_DD_HALT' } },
      });
    } finally {
      if (pid) process.kill(pid, 'SIGTERM');
    }
    const r = await live;
    expect(r.code, r.stderr).toBe(0);
    // Once: the level stays halt on the following bars.
    expect(slack.received.filter((x) => JSON.stringify(x.body).includes('OPS_DD_HALT'))).toHaveLength(1);
    const records = readFileSync(join(dir, 'data', 'replay', 'ops', 'alerts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { error_id: string; severity: string });
    expect(records.filter((x) => x.error_id === 'OPS_DD_HALT')).toEqual([
      expect.objectContaining({ severity: 'CRITICAL', source: `live shard_${SHARD}` }),
    ]);
    // The alert's log line, and never the webhook URL in the log.
    expect(r.stderr).toContain('"event":"alert"');
    expect(r.stderr).not.toContain('/hook');
  }, 90_000);
});
