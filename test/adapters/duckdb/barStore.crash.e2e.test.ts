// Crash safety: a child ingest is SIGKILLed at 20 seeded moments; the store must stay consistent and end equal to a clean run.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBarStore } from '../../../src/adapters/duckdb/index.js';
import type { Watermark } from '../../../src/ports/barStore.js';
import {
  barValues,
  CRASH_PLAN,
  crashChunkCount,
  crashChunkTimes,
  crashRevisedTimes,
  mulberry32,
} from '../../helpers/barFixtures.mjs';
import { isParquet, isTemp, makeTempDir, removeDir, snapshotFiles, walkFiles } from '../../helpers/barStoreFiles.js';

const CHILD = fileURLToPath(new URL('../../helpers/barStoreCrashChild.mjs', import.meta.url));
const KILLS = 20;
const SEED = 20240917;

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  finished: boolean;
  workMs: number;
}

/**
 * Runs the child; with `kill` it is SIGKILLed `afterMs` after its `upserts`-th upsert starts. Counting upserts
 * rather than wall time lands the kills mid-ingest however loaded the machine is.
 */
function runChild(root: string, kill?: { upserts: number; afterMs: number }): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let readyAt = 0;
    let doneAt = 0;
    let armed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!readyAt && out.includes('ready\n')) readyAt = performance.now();
      if (kill && !armed && (out.match(/^u$/gm)?.length ?? 0) >= kill.upserts) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
      }
      if (!doneAt && out.includes('done\n')) doneAt = performance.now();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`crash child failed (${code}): ${err}`));
      else resolve({ code, signal, finished: doneAt > 0, workMs: doneAt && readyAt ? doneAt - readyAt : 0 });
    });
  });
}

const allTimes = Array.from({ length: crashChunkCount() }, (_, i) => crashChunkTimes(i)).flat();
const revisable = crashRevisedTimes();

/**
 * Every file reads, each symbol holds an untorn prefix of the plan, and no watermark is ahead of its
 * data. Returns the stored row count and how many symbols have data beyond their watermark.
 */
async function checkConsistent(root: string): Promise<{ rows: number; ahead: number }> {
  const store = await openBarStore(root);
  let rows = 0;
  let ahead = 0;
  try {
    for (const symbol of CRASH_PLAN.symbols) {
      const stored = await store.readRows(symbol, '1h');
      rows += stored.length;
      const ts = stored.map((r) => r.ts_utc);
      expect(ts).toEqual(allTimes.slice(0, ts.length));
      // Each row is either the original bar (ok) or its revision (revised), never a mix.
      const bad: number[] = [];
      for (const r of stored) {
        const version = r.quality_flag === 'revised' ? 1 : 0;
        const v = barValues(symbol, r.ts_utc, version);
        const flagOk = version === 1 ? revisable.has(r.ts_utc) : r.quality_flag === 'ok';
        if (
          !flagOk ||
          r.open !== v.open ||
          r.high !== v.high ||
          r.low !== v.low ||
          r.close !== v.close ||
          r.volume !== v.volume
        )
          bad.push(r.ts_utc);
      }
      expect(bad).toEqual([]);
      const wm = await store.readWatermark(symbol, '1h');
      if (wm) {
        expect(ts.length).toBeGreaterThan(0);
        expect(wm.last_ts).toBeLessThanOrEqual(ts[ts.length - 1]!);
        expect(ts.includes(wm.last_ts)).toBe(true);
        if (wm.last_ts < ts[ts.length - 1]!) ahead++;
      } else if (ts.length > 0) ahead++;
    }
  } finally {
    await store.close();
  }
  return { rows, ahead };
}

async function watermarks(root: string): Promise<Record<string, Omit<Watermark, 'last_refreshed_ts' | 'dq_counters'>>> {
  const out: Record<string, Omit<Watermark, 'last_refreshed_ts' | 'dq_counters'>> = {};
  for (const symbol of CRASH_PLAN.symbols) {
    const {
      last_refreshed_ts: _r,
      dq_counters: _c,
      ...rest
    } = JSON.parse(await readFile(join(root, 'canonical/1h', symbol, '__meta.json'), 'utf8')) as Watermark;
    out[symbol] = rest;
  }
  return out;
}

describe('DuckDB bar store crash safety', () => {
  let cleanDir: string;
  let crashDir: string;
  beforeAll(async () => {
    // The child runs the compiled store; the suite's global setup builds it (or run tsc -p tsconfig.build.json first).
    if (!existsSync(fileURLToPath(new URL('../../../dist/adapters/duckdb/index.js', import.meta.url)))) {
      throw new Error(
        'dist/adapters/duckdb/index.js is missing: build with `npx tsc -p tsconfig.build.json` before running with PT_SKIP_BUILD=1',
      );
    }
    cleanDir = await makeTempDir('bars-clean');
    crashDir = await makeTempDir('bars-crash');
  });
  afterAll(async () => {
    await removeDir(cleanDir);
    await removeDir(crashDir);
  });

  it('survives 20 SIGKILLs at seeded moments and converges to the clean result byte for byte', async () => {
    const clean = await runChild(cleanDir);
    expect(clean.finished).toBe(true);
    const rand = mulberry32(SEED);
    // Each kill lands at a seeded upsert, a seeded fraction of one upsert's time after it starts: every phase is hit.
    const upsertMs = clean.workMs / (crashChunkCount() * CRASH_PLAN.symbols.length);
    let midRun = 0;
    let sawTemp = 0;
    let lastRows = 0;
    let dataAhead = 0;
    for (let k = 0; k < KILLS; k++) {
      const run = await runChild(crashDir, { upserts: 1 + Math.floor(rand() * 30), afterMs: rand() * upsertMs });
      if (!run.finished) midRun++;
      if ((await walkFiles(crashDir)).some((p) => isTemp(p.slice(p.lastIndexOf('/') + 1)))) sawTemp++;
      const { rows, ahead } = await checkConsistent(crashDir);
      if (ahead > 0) dataAhead++;
      expect(rows).toBeGreaterThanOrEqual(lastRows);
      lastRows = rows;
    }
    const final = await runChild(crashDir);
    expect(final.finished).toBe(true);
    await checkConsistent(crashDir);

    const a = await snapshotFiles(cleanDir, isParquet);
    const b = await snapshotFiles(crashDir, isParquet);
    expect(a.size).toBe(CRASH_PLAN.symbols.length * 36);
    expect([...b].map(([p, f]) => [p, f.sha256])).toEqual([...a].map(([p, f]) => [p, f.sha256]));
    expect(await watermarks(crashDir)).toEqual(await watermarks(cleanDir));
    expect((await walkFiles(crashDir)).filter((p) => isTemp(p.slice(p.lastIndexOf('/') + 1)))).toEqual([]);
    console.log(
      `crash test: clean ingest ${clean.workMs.toFixed(0)} ms; ${midRun}/${KILLS} kills landed mid-ingest, ${sawTemp} left a temp file behind, ${dataAhead} left data ahead of a watermark`,
    );
    expect(midRun).toBeGreaterThanOrEqual(10);
  }, 120_000);
});
