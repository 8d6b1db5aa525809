// The store's writer lock seen from pt ingest: --no-wait, the wait message, a holder killed with SIGKILL.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticIngestArgs } from '../helpers/ingestArgs.js';
import { acquireFileLock } from '../../src/core/fileLock.js';
import { repoRoot, runPtAsync } from '../helpers/runPt.js';
import { storedBars } from '../helpers/storedBars.js';

const configDir = join(repoRoot, 'config');
const ptAsync = (args: string[], onStart?: (pid: number) => void) =>
  runPtAsync(['-c', configDir, ...args], { onStart });
/** A pt run, and a promise that settles once its stderr says it is waiting for a lock. */
function ptWaiting(args: string[]): { run: Promise<Awaited<ReturnType<typeof runPtAsync>>>; waiting: Promise<void> } {
  let said: () => void = () => {};
  const waiting = new Promise<void>((resolve) => (said = resolve));
  const run = runPtAsync(['-c', configDir, ...args], {
    onStderr: (text) => {
      if (/waiting for the lock/.test(text)) said();
    },
  });
  return { run, waiting: Promise.race([waiting, run.then(() => undefined)]) };
}
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pt-race-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The writer lock files of a symbol (in its folder). */
const lockFiles = (dataDir: string, symbol = 'SYNA') =>
  readdirSync(join(dataDir, 'canonical', '1h', symbol)).filter((n) => n.startsWith('.writer.lock-'));

describe('one writer per symbol and timeframe', () => {
  it('fails at once with DATA_STORAGE_LOCKED under --no-wait, and waits (saying so) without it', async () => {
    const dataDir = join(tempDir(), 'data');
    const args = syntheticIngestArgs('SYNA', '2023-01-01', '2023-02-01', '--data-dir', dataDir);
    const symDir = join(dataDir, 'canonical', '1h', 'SYNA');
    mkdirSync(symDir, { recursive: true });
    const held = await acquireFileLock(symDir, 'writer', { label: '1h/SYNA' });
    const refused = await ptAsync([...args, '--no-wait']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`ERROR DATA_STORAGE_LOCKED: 1h/SYNA is locked by pid ${process.pid} `));
    expect((await storedBars(dataDir, 'SYNA')).bars.length).toBe(0);
    // Released only once the second run says it waits: a fixed sleep raced its start on a loaded machine.
    const second = ptWaiting(args);
    await second.waiting;
    await held.release();
    const r = await second.run;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/waiting for the lock on 1h\/SYNA held by pid \d+/g)).toHaveLength(1);
    expect((await storedBars(dataDir, 'SYNA')).bars.length).toBeGreaterThan(0);
  });

  it('pt dq waits for, or with --no-wait refuses, the lock on the quarantine file another process holds', async () => {
    const dataDir = join(tempDir(), 'data');
    const ingest = await ptAsync(syntheticIngestArgs('SYNA', '2023-01-01', '2023-02-01', '--data-dir', dataDir));
    expect(ingest.code, ingest.stderr).toBe(0);
    const held = await acquireFileLock(join(dataDir, 'canonical', '1h'), '__quarantine.json', { label: 'q' });
    const dq = [
      'dq',
      '--symbols',
      'SYNA',
      '--timeframe',
      '1h',
      '--data-dir',
      dataDir,
      '--report',
      join(tempDir(), 'dq.json'),
    ];
    const refused = await ptAsync([...dq, '--no-wait']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(`^ERROR DATA_STORAGE_LOCKED: 1h/__quarantine.json is locked by pid ${process.pid} `),
    );
    const second = ptWaiting(dq);
    await second.waiting;
    await held.release();
    const r = await second.run;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/waiting for the lock on 1h\/__quarantine.json held by pid \d+/);
  });

  it('takes over the lock of an ingest killed with SIGKILL while it held it', async () => {
    const dataDir = join(tempDir(), 'data');
    const args = syntheticIngestArgs('SYNA', '2016-01-01', '2024-01-01', '--data-dir', dataDir);
    let killed = false;
    await new Promise<void>((resolve, reject) => {
      const c = spawn(process.execPath, [join(repoRoot, 'bin/pt.js'), '-c', configDir, ...args], { stdio: 'ignore' });
      const poll = setInterval(() => {
        let names: string[] = [];
        try {
          names = lockFiles(dataDir);
        } catch {
          return;
        }
        if (names.some((n) => n.includes(`-${c.pid}-`))) {
          c.kill('SIGKILL');
          killed = true;
        }
      }, 2);
      c.on('error', reject);
      c.on('exit', () => {
        clearInterval(poll);
        resolve();
      });
    });
    expect(killed).toBe(true);
    expect(lockFiles(dataDir)).toHaveLength(1);
    const again = await ptAsync([...args, '--no-wait']);
    expect(again.code, again.stderr).toBe(0);
    expect(lockFiles(dataDir)).toEqual([]);
  });
});
