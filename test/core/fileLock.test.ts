// The inter-process file lock: waits, --no-wait, a SIGKILLed holder, and several processes taking over a stale lock at once.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireFileLock } from '../../src/core/fileLock.js';
import { isPtError } from '../../src/core/ptError.js';

const child = fileURLToPath(new URL('../helpers/lockChild.mjs', import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pt-lock-'));
  dirs.push(d);
  return d;
}

/** Starts a child that takes the lock; resolves once it says it holds it. */
function holder(dir: string, name: string, hold: string, log?: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [child, dir, name, hold, ...(log ? [log] : [])], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(c);
    c.on('error', reject);
    c.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('held')) resolve(c);
    });
  });
}

const exited = (c: ChildProcess) =>
  new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.on('exit', () => r())));

/** A pid that belonged to a process that has ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('acquireFileLock', () => {
  it('is exclusive within a process: the second waits (told once) until the first releases, and nothing is left', async () => {
    const dir = tempDir();
    const first = await acquireFileLock(dir, 'XAUUSD', { label: '1h/XAUUSD' });
    const told: string[] = [];
    let second = false;
    const waiting = acquireFileLock(dir, 'XAUUSD', {
      label: '1h/XAUUSD',
      pollMs: 20,
      onWait: (m) => told.push(m),
    }).then((l) => {
      second = true;
      return l;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(second).toBe(false);
    expect(told).toEqual([
      expect.stringMatching(new RegExp(`^waiting for the lock on 1h/XAUUSD held by pid ${process.pid} `)),
    ]);
    // Another name is another lock.
    await (await acquireFileLock(dir, 'XAGUSD', { label: '1h/XAGUSD', noWait: true })).release();
    await first.release();
    const l2 = await waiting;
    expect(second).toBe(true);
    expect(told).toHaveLength(1);
    await l2.release();
    await l2.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fails at once with DATA_STORAGE_LOCKED naming the holder under noWait', async () => {
    const dir = tempDir();
    const c = await holder(dir, 'SYNA', 'forever');
    const t0 = performance.now();
    const err = await acquireFileLock(dir, 'SYNA', { label: '1h/SYNA', noWait: true }).catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(isPtError(err) && err.id).toBe('DATA_STORAGE_LOCKED');
    expect((err as Error).message).toMatch(
      new RegExp(`^1h/SYNA is locked by pid ${c.pid} \\(.*lockChild\\.mjs.*\\) since `),
    );
  });

  it('takes over the lock of a holder killed with SIGKILL, and removes its file', async () => {
    const dir = tempDir();
    const c = await holder(dir, 'SYNA', 'forever');
    const left = readdirSync(dir);
    expect(left).toEqual([expect.stringMatching(new RegExp(`^\\.SYNA\\.lock-${c.pid}-`))]);
    c.kill('SIGKILL');
    await exited(c);
    const lock = await acquireFileLock(dir, 'SYNA', { label: '1h/SYNA', noWait: true });
    expect(readdirSync(dir)).not.toContain(left[0]);
    await lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('lets exactly one of several processes at a time through a stale lock they all found at once', async () => {
    const dir = tempDir();
    const log = join(dir, 'log.txt');
    // A lock left by a process that is gone (and one that died while writing its file, long ago).
    writeFileSync(
      join(dir, `.R.lock-${deadPid()}-aaaaaaaaaaaa`),
      JSON.stringify({
        pid: deadPid(),
        host: (await import('node:os')).hostname(),
        started: '',
        since: '',
        command: 'x',
      }),
    );
    const n = 5;
    const runs = Array.from({ length: n }, () => {
      const c = spawn(process.execPath, [child, dir, 'R', '60', log], { stdio: 'ignore' });
      children.push(c);
      return exited(c);
    });
    await Promise.all(runs);
    const events = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .map(([kind, pid, t]) => ({ kind, pid, t: Number(t) }))
      .sort((a, b) => a.t - b.t);
    expect(events).toHaveLength(2 * n);
    // Strictly alternating enter/exit of the same process: never two holders at once.
    for (let k = 0; k < events.length; k += 2) {
      expect(events[k]!.kind).toBe('enter');
      expect(events[k + 1]!.kind).toBe('exit');
      expect(events[k + 1]!.pid).toBe(events[k]!.pid);
    }
    expect(readdirSync(dir)).toEqual(['log.txt']);
  });
});
