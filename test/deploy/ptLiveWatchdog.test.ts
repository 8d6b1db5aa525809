// deploy/bin/pt-live-watchdog.sh: READY=1 at the first heartbeat, WATCHDOG=1 only while the shard's
// heartbeat file (written by its own child) is fresh, and SIGTERM / SIGHUP passed on exactly once.
// pt live is stood in for by a small script writing the heartbeat file as the file bus does, and
// systemd-notify by a script that records its arguments: no systemd runs here.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/runPt.js';
import { requireRedisServerBinary, sparePort } from '../helpers/redisServer.js';
import { portAnswers } from '../helpers/services.js';

const WRAPPER = join(repoRoot, 'deploy/bin/pt-live-watchdog.sh');
const work = mkdtempSync(join(tmpdir(), 'pt-watchdog-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Beats (heartbeat_shard_N.json with its pid, expiring 2 s later) every 0.2 s until data/stop-beating
// exists; logs its arguments and the signals it gets; exits 0 on SIGTERM as pt live does.
const FAKE_PT = `#!/bin/bash
log="$PWD/pt.log"
echo "args $*" >> "$log"
trap 'echo HUP >> "$log"' HUP
trap 'echo TERM >> "$log"; exit 0' TERM
mkdir -p data/ops
while :; do
  if [ -n "\${REDIS_URL:-}" ]; then
    # With Redis up the heartbeat goes to Redis only, under a key that lives 3 intervals.
    # (redis-cli reads redis://:pw@ as the user "", where ioredis reads the default user.)
    [ -e data/stop-beating ] || redis-cli --no-auth-warning -u "redis://default:\${REDIS_URL#redis://:}" SET "$PT_REDIS_PREFIX:heartbeat:shard:3" '{"shard":3,"pid":'$$'}' PX 1000 >/dev/null
  elif [ ! -e data/stop-beating ]; then
    exp=$(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%S.000Z)
    printf '{"shard":3,"pid":%s,"ts":"x","expires_at":"%s"}' "$$" "$exp" > data/ops/.hb.tmp
    mv data/ops/.hb.tmp data/ops/heartbeat_shard_3.json
  fi
  sleep 0.2 & wait $!
done
`;
const FAKE_NOTIFY = `#!/bin/bash
echo "$*" >> "$PWD/notify.log"
`;

// Each wrapper leads its own process group, so a test's end kills it with its pt live and watcher
// (systemd does the same with the unit's cgroup).
const started: ChildProcess[] = [];
afterEach(() => {
  for (const p of started.splice(0))
    try {
      process.kill(-p.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
});

function setUp(name: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'fake-pt'), FAKE_PT);
  writeFileSync(join(dir, 'fake-notify'), FAKE_NOTIFY);
  chmodSync(join(dir, 'fake-pt'), 0o755);
  chmodSync(join(dir, 'fake-notify'), 0o755);
  return dir;
}

function start(dir: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  const { REDIS_URL: _, ...rest } = process.env;
  const child = spawn(WRAPPER, ['3', '--metrics-port', '0'], {
    detached: true,
    cwd: dir,
    env: {
      ...rest,
      PT_BIN: join(dir, 'fake-pt'),
      PT_NOTIFY: join(dir, 'fake-notify'),
      PT_WATCHDOG_POLL_SECONDS: '0.2',
      ...env,
    },
    stdio: 'ignore',
  });
  started.push(child);
  return child;
}

const lines = (path: string): string[] => (existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n') : []);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
const exited = (p: ChildProcess) =>
  new Promise<number | null>((r) => (p.exitCode !== null ? r(p.exitCode) : p.once('exit', (code) => r(code))));

describe('pt-live-watchdog.sh', () => {
  it('runs pt live --shard N with the extra flags, READY at the first beat, then WATCHDOG pings', async () => {
    const dir = setUp('ready');
    start(dir);
    await until('three pings', () => lines(join(dir, 'notify.log')).filter((l) => l === 'WATCHDOG=1').length >= 3);
    expect(lines(join(dir, 'pt.log'))[0]).toBe('args live --shard 3 --metrics-port 0');
    const notes = lines(join(dir, 'notify.log'));
    expect(notes[0]).toMatch(/^--ready STATUS=shard 3 beating \(pid \d+\)$/);
    expect(notes.filter((l) => l.startsWith('--ready'))).toHaveLength(1);
  });

  it('stops pinging when the heartbeat goes stale, and pings again when it returns', async () => {
    const dir = setUp('stale');
    start(dir);
    const pings = () => lines(join(dir, 'notify.log')).filter((l) => l === 'WATCHDOG=1').length;
    await until('a ping', () => pings() >= 1);
    writeFileSync(join(dir, 'data/stop-beating'), '');
    await sleep(2500); // past expires_at
    const atStale = pings();
    await sleep(1000);
    expect(pings()).toBe(atStale);
    rmSync(join(dir, 'data/stop-beating'));
    await until('pings again', () => pings() > atStale);
  });

  it('a heartbeat file of another process is no heartbeat', async () => {
    const dir = setUp('otherpid');
    // The child never beats; a fresh file from pid 1 stands there instead.
    writeFileSync(join(dir, 'data/stop-beating'), '');
    mkdirSync(join(dir, 'data/ops'));
    const exp = new Date(Date.now() + 60_000).toISOString();
    writeFileSync(join(dir, 'data/ops/heartbeat_shard_3.json'), `{"shard":3,"pid":1,"ts":"x","expires_at":"${exp}"}`);
    start(dir);
    await sleep(1500);
    expect(lines(join(dir, 'notify.log'))).toEqual([]);
  });

  it('passes SIGHUP and SIGTERM on once each and exits with pt live exit code 0', async () => {
    const dir = setUp('signals');
    const p = start(dir);
    await until('ready', () => lines(join(dir, 'notify.log')).length >= 1);
    p.kill('SIGHUP');
    await until('HUP', () => lines(join(dir, 'pt.log')).includes('HUP'));
    expect(p.exitCode).toBe(null);
    p.kill('SIGTERM');
    expect(await exited(p)).toBe(0);
    expect(lines(join(dir, 'pt.log')).slice(1)).toEqual(['HUP', 'TERM']);
  });

  it('SIGABRT (the watchdog fired) kills pt live, and the script exits non-zero', async () => {
    const dir = setUp('abort');
    const p = start(dir);
    await until('ready', () => lines(join(dir, 'notify.log')).length >= 1);
    p.kill('SIGABRT');
    expect(await exited(p)).toBe(128 + 9);
    expect(lines(join(dir, 'pt.log'))).not.toContain('TERM');
  });

  it('with REDIS_URL (a password-protected Redis), the heartbeat key counts and its expiry stops the pings', async () => {
    if (!requireRedisServerBinary()) return;
    const port = await sparePort();
    const server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--requirepass', 's3cret'],
      {
        stdio: 'ignore',
      },
    );
    try {
      await until('redis-server', () => portAnswers(port, '127.0.0.1', 200));
      const dir = setUp('redis');
      start(dir, { REDIS_URL: `redis://:s3cret@127.0.0.1:${port}/0`, PT_REDIS_PREFIX: 'core' });
      const pings = () => lines(join(dir, 'notify.log')).filter((l) => l === 'WATCHDOG=1').length;
      await until('pings', () => pings() >= 3);
      expect(existsSync(join(dir, 'data/ops/heartbeat_shard_3.json'))).toBe(false);
      writeFileSync(join(dir, 'data/stop-beating'), '');
      await sleep(1500); // past the key's expiry
      const atStale = pings();
      await sleep(1000);
      expect(pings()).toBe(atStale);
    } finally {
      server.kill('SIGKILL');
    }
  });

  it('refuses to start with REDIS_URL set but no redis-cli on the PATH', async () => {
    const dir = setUp('noredis');
    const p = start(dir, { REDIS_URL: 'redis://127.0.0.1:6379', PATH: '/nonexistent' });
    expect(await exited(p)).toBe(2);
    expect(existsSync(join(dir, 'pt.log'))).toBe(false);
  });
});
