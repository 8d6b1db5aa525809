// One pt live per shard: a second process refuses at once naming the holder; other shards run; a SIGKILLed holder frees it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireShardLock } from '../../src/live/shardLock.js';
import { isPtError } from '../../src/core/ptError.js';

const child = fileURLToPath(new URL('../helpers/shardLockChild.mjs', import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pt-shardlock-'));
  dirs.push(d);
  return d;
}

/** Runs the child; resolves with its first line (`held` or `refused …`) and, once it exits, its code. */
function start(
  dataDir: string,
  shard: number,
): Promise<{ c: ChildProcess; line: string; exit: Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [child, dataDir, String(shard)], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(c);
    const exit = new Promise<number | null>((r) => c.on('exit', (code) => r(code)));
    let out = '';
    c.on('error', reject);
    c.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ c, line: out.split('\n')[0]!, exit });
    });
  });
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('acquireShardLock', () => {
  it('lets one process run a shard: a second refuses with OPS_LIVE_LOCKED naming the holder pid, exit 1', async () => {
    const dataDir = join(tempDir(), 'data');
    const first = await start(dataDir, 0);
    expect(first.line).toBe('held');
    const t0 = performance.now();
    const second = await start(dataDir, 0);
    expect(second.line).toMatch(
      new RegExp(`^refused OPS_LIVE_LOCKED shard 0 is already running: pid ${first.c.pid} \\(.*shardLockChild\\.mjs`),
    );
    expect(await second.exit).toBe(1);
    // Refused, not queued: no wait for the holder.
    expect(performance.now() - t0).toBeLessThan(10_000);
    // Another shard of the same data folder is free.
    const other = await start(dataDir, 1);
    expect(other.line).toBe('held');
    // One lock file per running shard, next to the shard caches.
    expect(readdirSync(join(dataDir, 'live')).sort()).toEqual([
      expect.stringMatching(new RegExp(`^\\.shard_0\\.lock-${first.c.pid}-`)),
      expect.stringMatching(new RegExp(`^\\.shard_1\\.lock-${other.c.pid}-`)),
    ]);
  });

  it('is taken over once the holder was killed with SIGKILL (systemd restart), and refused in-process while held', async () => {
    const dataDir = join(tempDir(), 'data');
    const first = await start(dataDir, 3);
    expect(first.line).toBe('held');
    try {
      await acquireShardLock(dataDir, 3);
      expect.unreachable('the shard is held');
    } catch (e) {
      expect(isPtError(e) && e.id).toBe('OPS_LIVE_LOCKED');
      expect(isPtError(e) && (e.details.holder as { pid: number }).pid).toBe(first.c.pid);
    }
    first.c.kill('SIGKILL');
    await first.exit;
    const next = await start(dataDir, 3);
    expect(next.line).toBe('held');
    expect(readdirSync(join(dataDir, 'live'))).toEqual([expect.stringMatching(`^\\.shard_3\\.lock-${next.c.pid}-`)]);
    next.c.kill('SIGKILL');
    await next.exit;
    // And this process after it; released, the shard is free again for the next.
    const mine = await acquireShardLock(dataDir, 3);
    await mine.release();
    expect(readdirSync(join(dataDir, 'live'))).toEqual([]);
    expect((await start(dataDir, 3)).line).toBe('held');
  });

  it('refuses a shard that is not a non-negative integer', async () => {
    await expect(acquireShardLock(tempDir(), -1)).rejects.toThrow(RangeError);
    await expect(acquireShardLock(tempDir(), 1.5)).rejects.toThrow(RangeError);
  });
});
