import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPt, repoRoot } from '../helpers/runPt.js';
import { isParquet, isTemp, snapshotFiles } from '../helpers/barStoreFiles.js';
import { openBarStore } from '../../src/adapters/duckdb/index.js';
import { SeededRng } from '../../src/core/rng.js';

const configDir = join(repoRoot, 'config');
const symbols = ['SYNA', 'SYNB', 'SYNC', 'SYND', 'SYNE', 'SYNF', 'SYNG', 'SYNH'];
const args = [
  '-c',
  configDir,
  'ingest',
  '--source',
  'synthetic',
  '--symbols',
  symbols.join(','),
  '--timeframe',
  '1h',
  '--from',
  '2020-01-01',
  '--to',
  '2024-01-01',
];

function countParquet(dir: string): number {
  let n = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.parquet') && !e.name.startsWith('.')) n++;
    }
  };
  if (existsSync(dir)) walk(dir);
  return n;
}

/** Runs the ingest and SIGKILLs it after `afterMs`, or as soon as `afterFiles` new partitions exist. */
function runUntilKilled(cwd: string, kill: { afterMs?: number; afterFiles?: number }): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const base = countParquet(join(cwd, 'data'));
    const child = spawn(process.execPath, [join(repoRoot, 'bin/pt.js'), ...args], { cwd, stdio: 'ignore' });
    const timer = kill.afterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
    const poll =
      kill.afterFiles === undefined
        ? undefined
        : setInterval(() => {
            if (countParquet(join(cwd, 'data')) - base >= kill.afterFiles!) child.kill('SIGKILL');
          }, 5);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearInterval(poll);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`pt ingest exited ${code}`));
    });
  });
}

/** Every partition reads, and each watermark points at a stored bar at or before the newest one. */
async function assertStoreConsistent(dataDir: string): Promise<void> {
  if (!existsSync(join(dataDir, 'canonical'))) return;
  const store = await openBarStore(dataDir);
  try {
    for (const s of await store.listSymbols('1h')) {
      const bars = await store.readBars(s, '1h');
      for (let i = 1; i < bars.length; i++) expect(bars.ts[i]!).toBeGreaterThan(bars.ts[i - 1]!);
      const wm = await store.readWatermark(s, '1h');
      if (wm === undefined) continue;
      expect(bars.length).toBeGreaterThan(0);
      expect(wm.last_ts).toBeLessThanOrEqual(bars.ts[bars.length - 1]!);
      expect(Array.from(bars.ts)).toContain(wm.last_ts);
    }
  } finally {
    await store.close();
  }
}

describe('pt ingest under kill -9', () => {
  it('survives 20 SIGKILLs at random moments: never torn, watermark never ahead, final re-run equals a clean run byte for byte', async () => {
    const clean = mkdtempSync(join(tmpdir(), 'pt-crash-clean-'));
    const started = performance.now();
    const cleanRun = runPt(args, {}, clean);
    const cleanMs = performance.now() - started;
    expect(cleanRun.code).toBe(0);

    const crashed = mkdtempSync(join(tmpdir(), 'pt-crash-kill-'));
    const rng = new SeededRng(20261126);
    const total = (await snapshotFiles(join(clean, 'data'), isParquet)).size;
    let killed = 0;
    let midWrite = 0;
    let files = 0;
    for (let k = 0; k < 20; k++) {
      // A quarter of the kills land at a random moment of start-up and fetching, the rest after a random
      // number of partitions of this run are written (so mid-write, between partitions or mid-watermark).
      const outcome = await runUntilKilled(
        crashed,
        rng.next() < 0.25
          ? { afterMs: 50 + rng.next() * Math.min(cleanMs, 1000) }
          : { afterFiles: 1 + Math.floor(rng.next() * 30) },
      );
      if (outcome === 'killed') killed++;
      await assertStoreConsistent(join(crashed, 'data'));
      const now = existsSync(join(crashed, 'data')) ? (await snapshotFiles(join(crashed, 'data'), isParquet)).size : 0;
      if (outcome === 'killed' && now > files && now < total) midWrite++;
      files = now;
    }
    console.log(`kills: ${killed}, mid-write: ${midWrite}`);
    expect(killed).toBeGreaterThanOrEqual(15);
    // The kills must hit the writing phase, not only start-up.
    expect(midWrite).toBeGreaterThanOrEqual(5);

    const final = runPt(args, {}, crashed);
    expect(final.code).toBe(0);
    const want = await snapshotFiles(join(clean, 'data'), isParquet);
    const got = await snapshotFiles(join(crashed, 'data'), isParquet);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [path, facts] of want) expect(got.get(path)!.sha256, path).toBe(facts.sha256);
    expect((await snapshotFiles(join(crashed, 'data'), isTemp)).size).toBe(0);
    for (const s of symbols) {
      const wmOf = (root: string) =>
        JSON.parse(readFileSync(join(root, 'data/canonical/1h', s, '__meta.json'), 'utf8')) as { last_ts: number };
      expect(wmOf(crashed).last_ts).toBe(wmOf(clean).last_ts);
    }
  }, 180_000);
});
