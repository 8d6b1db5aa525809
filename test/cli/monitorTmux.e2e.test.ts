// pt monitor in a real terminal (tmux) beside a running pt live --replay on real Redis: the pair rows
// update as bars arrive, and a halt typed in the monitor reaches the shard's next signal.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignalFile } from '../../src/live/signal/signalTypes.js';
import { makeLiveShardFixture, type LiveShardFixture } from '../helpers/liveShardFixture.js';
import { repoRoot } from '../helpers/runPt.js';
import { isCi, requireService } from '../helpers/services.js';

const SHARD = 7;
const PREFIX = 'ptmontest';
const REDIS_URL = 'redis://127.0.0.1:6379';
const SOCKET = `ptmon-${process.pid}`;
const SESSION = 'mon';
const sleep = (ms: number) => new Promise((d) => setTimeout(d, ms));

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
let fx: LiveShardFixture;
let redisUp = false;

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', SESSION);
/** Polls the screen until `test` holds; returns that screen. */
async function screenUntil(test: (s: string) => boolean, what: string, ms = 30_000): Promise<string> {
  let last = '';
  for (const end = Date.now() + ms; Date.now() < end; await sleep(250)) {
    last = screen();
    if (test(last)) return last;
  }
  throw new Error(`the monitor did not show ${what} within ${ms} ms; screen:\n${last}`);
}
const signalNow = (signals: string): SignalFile | undefined => {
  try {
    return JSON.parse(readFileSync(join(signals, `shard_${SHARD}`, 'signal.json'), 'utf8')) as SignalFile;
  } catch {
    return undefined;
  }
};
/** One pair's row on the screen (the line naming it), trimmed. */
const rowOf = (s: string, pairId: string) =>
  s
    .split('\n')
    .find((l) => l.includes(pairId))
    ?.trim() ?? '';

beforeAll(async () => {
  if (isCi && !hasTmux) throw new Error('tmux is not installed, and CI=true requires it (.ci/run installs it)');
  redisUp = await requireService('Redis', 6379);
  fx = await makeLiveShardFixture({
    tag: 'pt-montmux-',
    shard: SHARD,
    redisPrefix: PREFIX,
    from: '2021-04-01',
    to: '2021-09-01',
  });
  const redis = new Redis(REDIS_URL);
  const stale = await redis.keys(`${PREFIX}:*`);
  if (stale.length > 0) await redis.del(...stale);
  await redis.quit();
}, 180_000);

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  if (fx) rmSync(fx.dir, { recursive: true, force: true });
});

describe('pt monitor in tmux beside pt live --replay (real Redis)', () => {
  it('shows the shard and its pairs updating, and a halt typed in it stops the shard taking entries', async () => {
    if (!redisUp || !hasTmux) return;
    const signals = join(fx.dir, 'sig');
    let livePid = 0;
    const live = fx.ptAsync(
      [
        'live',
        '--shard',
        String(SHARD),
        '--replay',
        '--from',
        '2021-06-01',
        '--to',
        '2021-06-05',
        '--speed',
        '3600x',
        '--model-dir',
        fx.modelDir,
        '--theta1',
        '0.3',
        '--theta2',
        '0.7',
        '--signal-dir',
        signals,
      ],
      { REDIS_URL },
      (p) => (livePid = p),
    );
    try {
      // The monitor as a user starts it, in an interactive terminal: CI unset (ink draws every frame only then).
      const command = [
        'env',
        '-u',
        'CI',
        `HOME=${fx.dir}`,
        `REDIS_URL=${REDIS_URL}`,
        'TERM=xterm-256color',
        process.execPath,
        join(repoRoot, 'bin', 'pt.js'),
        '-c',
        fx.configDir,
        'monitor',
        '--shard',
        String(SHARD),
        '--refresh',
        '1',
      ].join(' ');
      tmux('new-session', '-d', '-s', SESSION, '-x', '100', '-y', '30', '-c', fx.dir, command);
      // The portfolio view: shard 7 beating (its heartbeat a few seconds old) with its two pairs.
      const first = await screenUntil(
        (s) => s.includes('pt monitor') && new RegExp(`^${SHARD}\\s+\\d+s ago .* 2 XAUUSD_XAGUSD`, 'm').test(s),
        'shard 7 beating with its two pairs',
      );
      console.log(`--- pt monitor, first frame ---\n${first}`);
      // The pair view: rows change as bars arrive (bar time, z, signal age).
      tmux('send-keys', '-t', SESSION, '2');
      const before = await screenUntil(
        (s) => /\[2 Pairs\]/.test(s) && rowOf(s, 'XAUUSD_XAGUSD') !== '' && rowOf(s, 'AUDUSD_USDCAD') !== '',
        'the pairs view with both pairs',
      );
      const later = await screenUntil(
        (s) => rowOf(s, 'XAUUSD_XAGUSD') !== rowOf(before, 'XAUUSD_XAGUSD'),
        'the XAUUSD_XAGUSD row updating',
      );
      console.log(`--- pt monitor, pairs view ---\n${later}`);

      // Halt from the monitor: h, the confirmation word, Enter.
      tmux('send-keys', '-t', SESSION, 'h');
      await screenUntil((s) => /HALT/.test(s), 'the halt prompt');
      tmux('send-keys', '-t', SESSION, '-l', 'HALT');
      tmux('send-keys', '-t', SESSION, 'Enter');
      const redis = new Redis(REDIS_URL);
      try {
        let flag: string | null = null;
        for (let k = 0; k < 100 && flag === null; k++) {
          flag = await redis.hget(`${PREFIX}:ops:flags`, 'global_halt');
          if (flag === null) await sleep(100);
        }
        expect(flag).toBe('soft');
      } finally {
        await redis.quit();
      }
      const haltedAt = Date.now();
      // The shard takes it: a signal.json written after the halt says global_halt and opens nothing.
      let halted: SignalFile | undefined;
      for (let k = 0; k < 200 && halted === undefined; k++) {
        const f = signalNow(signals);
        if (f && Date.parse(f.generated_at) > haltedAt + 1500 && f.ops.global_halt) halted = f;
        else await sleep(100);
      }
      expect(halted, 'no halted signal.json after the monitor halt').toBeDefined();
      expect(halted!.signals.every((s) => s.action !== 'open')).toBe(true);
      await screenUntil((s) => /^halted \(soft\) portfolio/m.test(s), 'the outcome of the halt');
      tmux('send-keys', '-t', SESSION, '1');
      const shown = await screenUntil((s) => /^flags\s+global halt soft/im.test(s), 'the soft halt in the flags');
      console.log(`--- pt monitor, after the halt ---\n${shown}`);
      // The halt's INFO alert (as pt ops raises it), recorded in Redis and shown in the alerts view.
      tmux('send-keys', '-t', SESSION, '3');
      const alerts = await screenUntil((s) => /\[3 Alerts\]/.test(s) && s.includes('OPS_ACTION_APPLIED'), 'the alert');
      console.log(`--- pt monitor, alerts view ---\n${alerts}`);
      tmux('send-keys', '-t', SESSION, 'q');
    } finally {
      if (livePid > 0) process.kill(livePid, 'SIGTERM');
      await live;
    }
  }, 180_000);
});
