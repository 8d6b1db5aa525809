// Upserts asked back to back (one prepares while the one before it writes) must end exactly as when each waits for the last.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBarStore, type DuckDbBarStore } from '../../../src/adapters/duckdb/index.js';
import type { CanonicalBar } from '../../../src/model/bar.js';
import type { UpsertResult } from '../../../src/ports/barStore.js';
import { hourlyTimes, makeBar } from '../../helpers/barFixtures.mjs';
import { isParquet, isTemp, makeTempDir, removeDir, snapshotFiles } from '../../helpers/barStoreFiles.js';

const FROM = Date.UTC(2022, 0, 3);
const TO = Date.UTC(2023, 2, 1); // 15 months: two watermark groups per symbol

function bars(symbol: string, version = 0, from = FROM, to = TO, seq = 0): CanonicalBar[] {
  return hourlyTimes(from, to).map((ts, k) => makeBar(symbol, ts, { seq: seq + k, version }));
}

/** The same upserts, each awaited before the next (`serial`) or all asked at once. */
async function runAll(
  store: DuckDbBarStore,
  calls: Array<[string, CanonicalBar[]]>,
  serial: boolean,
): Promise<UpsertResult[]> {
  if (serial) {
    const out: UpsertResult[] = [];
    for (const [symbol, b] of calls) out.push(await store.upsert(symbol, '1h', b, 'synthetic'));
    return out;
  }
  return Promise.all(calls.map(([symbol, b]) => store.upsert(symbol, '1h', b, 'synthetic')));
}

describe('DuckDB bar store, upserts back to back', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('bars-pipe');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('gives the same results, files and watermarks as upserts that wait for each other', async () => {
    // Several symbols, the same symbol twice in a row (a revision of some months), and again later.
    const calls: Array<[string, CanonicalBar[]]> = [
      ['XAUUSD', bars('XAUUSD')],
      ['XAGUSD', bars('XAGUSD')],
      ['XAGUSD', bars('XAGUSD', 1, Date.UTC(2022, 5, 1), Date.UTC(2022, 7, 1), 100_000)],
      ['EURUSD', bars('EURUSD')],
      ['XAUUSD', bars('XAUUSD', 1, Date.UTC(2023, 0, 1), TO, 100_000)],
      ['GBPUSD', bars('GBPUSD')],
    ];
    const results: UpsertResult[][] = [];
    for (const serial of [true, false]) {
      const store = await openBarStore(join(dir, serial ? 'serial' : 'together'));
      try {
        results.push(await runAll(store, calls, serial));
        // A read asked behind pending upserts sees all of them.
        const pending = store.upsert('NZDUSD', '1h', bars('NZDUSD'), 'synthetic');
        expect((await store.readBars('NZDUSD', '1h')).length).toBe(hourlyTimes(FROM, TO).length);
        await pending;
      } finally {
        await store.close();
      }
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]![2]).toMatchObject({ inserted: 0, deduped: 0, partitionsWritten: 2 });
    expect(results[0]![2]!.updated).toBeGreaterThan(0);
    const serial = await snapshotFiles(join(dir, 'serial'), isParquet);
    const together = await snapshotFiles(join(dir, 'together'), isParquet);
    expect([...together.keys()]).toEqual([...serial.keys()]);
    for (const [file, facts] of serial) expect(together.get(file)!.sha256, file).toBe(facts.sha256);
    for (const symbol of ['XAUUSD', 'XAGUSD', 'EURUSD', 'GBPUSD', 'NZDUSD']) {
      const wm = async (root: string) => {
        const store = await openBarStore(root);
        try {
          const w = await store.readWatermark(symbol, '1h');
          return { last_ts: w?.last_ts, dq: w?.dq_counters, window: w?.window_params };
        } finally {
          await store.close();
        }
      };
      expect(await wm(join(dir, 'together')), symbol).toEqual(await wm(join(dir, 'serial')));
    }
  }, 120_000);

  it('a failed upsert leaves nothing staged or half-copied behind: the next ones write exactly their own rows', async () => {
    const store = await openBarStore(join(dir, 'fail'));
    const clean = await openBarStore(join(dir, 'clean'));
    // Faults come from the progress callback: at 0 the rows are staged (end of the prepare phase),
    // later a group of months is committed (the next group's COPYs are running).
    const failAt = (when: (done: number) => boolean) => (done: number) => {
      if (when(done)) throw new Error('injected fault');
    };
    try {
      const afterFirstGroup = store.upsert(
        'EURUSD',
        '1h',
        bars('EURUSD'),
        'synthetic',
        failAt((d) => d > 0),
      );
      const next = store.upsert('GBPUSD', '1h', bars('GBPUSD'), 'synthetic');
      const staged = store.upsert(
        'XAGUSD',
        '1h',
        bars('XAGUSD'),
        'synthetic',
        failAt((d) => d === 0),
      );
      await expect(afterFirstGroup).rejects.toMatchObject({ id: 'DATA_STORAGE_IOFAIL' });
      await expect(staged).rejects.toMatchObject({ id: 'DATA_STORAGE_IOFAIL' });
      await next;
      const wm = await store.readWatermark('EURUSD', '1h');
      expect(wm?.last_ts).toBeLessThan(Date.UTC(2023, 0, 1)); // behind the data, never ahead
      await store.upsert('EURUSD', '1h', bars('EURUSD'), 'synthetic');
      await store.upsert('XAGUSD', '1h', bars('XAGUSD'), 'synthetic');

      for (const symbol of ['EURUSD', 'GBPUSD', 'XAGUSD']) await clean.upsert(symbol, '1h', bars(symbol), 'synthetic');
    } finally {
      await store.close();
      await clean.close();
    }
    const got = await snapshotFiles(join(dir, 'fail'), isParquet);
    const want = await snapshotFiles(join(dir, 'clean'), isParquet);
    expect([...got.keys()]).toEqual([...want.keys()]);
    for (const [file, facts] of want) expect(got.get(file)!.sha256, file).toBe(facts.sha256);
    expect((await snapshotFiles(join(dir, 'fail'), isTemp)).size).toBe(0);
  }, 120_000);
});
