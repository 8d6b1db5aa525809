// runLiveJob on a live source with a clock the test moves: a fresh bar goes out fresh; when the next
// bar is overdue by more than the freshness budget the shard says so by itself (signal.json rewritten
// with stale: true and a new seq, the same signals, the state on the bus stale); a new θ by reload
// (core:ops:reload) applies in place without a restart. Real adapters: the DuckDB store, SQLite cache,
// file bus and Parquet history; the fixture's model.
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { openBarStore } from '../../src/adapters/duckdb/index.js';
import { FileLiveBus } from '../../src/adapters/files/fileLiveBus.js';
import { openSqliteLiveCache } from '../../src/adapters/sqlite/sqliteLiveCache.js';
import { writeTable } from '../../src/cli/writeTable.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import type { PtConfig } from '../../src/config/schemas/index.js';
import { runLiveJob } from '../../src/live/job/runLiveJob.js';
import { writeAppliedTheta } from '../../src/ml/registry/index.js';
import { acquireShardLock } from '../../src/live/shardLock.js';
import type { SignalFile } from '../../src/live/signal/index.js';
import { ArrayLegBarFeed } from '../helpers/arrayLegBarFeed.js';
import { repoRoot } from '../helpers/runPt.js';

const H = 3_600_000;
const SHARD = 7;
let dir = '';
let config: PtConfig;
let modelDir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-live-job-'));
  const f = inject('fixtures');
  cpSync(f.root, dir, { recursive: true });
  modelDir = join(dir, 'models', f.modelVersion);
  // The fixture's model is signed with the local key under its root (.pt/keys of the working folder).
  process.chdir(dir);
  for (const k of ['PT_MODEL_SIGNING_KEY', 'PT_MODEL_VERIFY_KEY', 'SERVICE_ENV']) delete process.env[k];
  config = loadConfig(join(repoRoot, 'config'));
  config.universe.pairs.find((p) => p.pair_id === 'SYNA_SYNB')!.shard = SHARD;
});

const waitFor = async <T>(what: string, probe: () => T | undefined, done: Promise<unknown>): Promise<T> => {
  let finished = false;
  void done.finally(() => (finished = true));
  const end = Date.now() + 60_000;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (finished) throw new Error(`the job ended before ${what}`);
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('runLiveJob on a live source', () => {
  it('marks itself stale when the next bar is overdue, and applies a reloaded θ in place', async () => {
    const budgetMs = config.pipeline_policy.freshness_budget_seconds['1h'] * 1000;
    const barTs = Date.UTC(2025, 0, 2, 10);
    const clock = { ms: barTs + H + 5_000 };
    const leg = (symbol: string, close: number) => ({
      symbol,
      tsMs: barTs,
      open: close,
      high: close,
      low: close,
      close,
      revised: false,
    });
    const feed = new ArrayLegBarFeed([leg('SYNA', 1.1), leg('SYNB', 0.9)]);
    const signalDir = join(dir, 'sig');
    const dataDir = join(dir, 'data');
    const opsDir = join(dataDir, 'replay', 'ops');
    const logs: Array<{ event?: string; details?: Record<string, unknown> }> = [];
    const log = {
      debug: () => undefined,
      info: (e: object) => logs.push(e),
      warn: (e: object) => logs.push(e),
      error: (e: object) => logs.push(e),
    };
    let stop = false;
    const job = runLiveJob(
      config,
      { shard: SHARD, source: 'watch', timeframe: '1h', speed: 'max', modelDir, signalDir, dataDir },
      {
        openBarStore,
        openBus: async (dir) => new FileLiveBus({ opsDir: dir, heartbeatIntervalSeconds: 10 }),
        openCache: (path) => openSqliteLiveCache(path),
        acquireLock: acquireShardLock,
        writeTable,
        log,
        now: () => clock.ms,
        stopRequested: () => stop,
        openFeed: () => feed,
        pollMs: 5,
      },
    );
    const path = join(signalDir, `shard_${SHARD}`, 'signal.json');
    const read = () => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as SignalFile) : undefined);
    const fresh = await waitFor('the fresh bar', () => read(), job);
    expect(fresh.stale).toBe(false);
    expect(Date.parse(fresh.signals[0]!.bar_ts)).toBe(barTs);

    // The next bar (barTs + 1h, closing at barTs + 2h) is overdue by more than the budget.
    clock.ms = barTs + 2 * H + budgetMs + 1;
    const stale = await waitFor('the stale re-announcement', () => (read()?.stale ? read() : undefined), job);
    expect(stale.seq).toBeGreaterThan(fresh.seq);
    expect(stale.signals).toEqual(fresh.signals);
    // The bus state follows signal.json (written first): wait for it rather than race it.
    const statePath = join(opsDir, 'state', 'SYNA_SYNB.json');
    await waitFor(
      'the stale state on the bus',
      () => (existsSync(statePath) && JSON.parse(readFileSync(statePath, 'utf8')).stale === true ? true : undefined),
      job,
    );
    expect(logs.find((e) => e.event === 'stale')!.details).toMatchObject({ budget_seconds: budgetMs / 1000 });

    // A reload with nothing new changes nothing; after pt optimize --apply's record, a reload takes the
    // new θ in place: no restart, the job goes on.
    let n = 0;
    const reloaded = (k: number) =>
      waitFor(
        `reload ${k}`,
        () => {
          const seen = logs.filter((e) => e.event === 'reload');
          if (seen.length >= k) return seen[k - 1]!;
          writeFileSync(join(opsDir, 'reload'), String(n++));
          return undefined;
        },
        job,
      );
    expect((await reloaded(1)).details).toEqual({ trigger: 'core:ops:reload', action: 'none', changes: [] });
    await writeAppliedTheta(modelDir, {
      theta1: 0.21,
      theta2: 0.79,
      old: { theta1: 0.5, theta2: 0.5, source: 'params.yaml' },
      proposed: { theta1: 0.21, theta2: 0.79 },
      reason: 'test',
      improvement_ci: { lower: 0.1, upper: 0.2, level: 0.95, metric: 'sharpe' },
      oos_trades: 200,
      trades_min: 150,
      run_id: 'run_test',
      source: 'pt optimize',
    });
    const theta = (await reloaded(2)).details!;
    expect(theta).toMatchObject({ trigger: 'core:ops:reload', action: 'theta' });
    expect(theta.changes).toEqual([
      expect.stringMatching(/^theta1 \S+ → 0\.21$/),
      expect.stringMatching(/^theta2 \S+ → 0\.79$/),
    ]);
    stop = true;
    const result = await job;
    expect(result.restart).toBeUndefined();
    expect(result.stopped).toBe(true);
    expect(feed.closed).toBe(true);
    // The source was asked from the bar after the store's last one (the fixture's store ends on 2024-12-31).
    expect(feed.startedWith!.fromMs).toBeGreaterThan(Date.UTC(2024, 11, 31));
    expect(feed.startedWith!.fromMs).toBeLessThanOrEqual(Date.UTC(2025, 0, 1));
  });
});
