// Range reads, partition pruning and the aligned pair join of the DuckDB bar store.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBarStore, type DuckDbBarStore } from '../../../src/adapters/duckdb/index.js';
import { isPtError } from '../../../src/core/ptError.js';
import { hourlyTimes, HOUR, makeBar } from '../../helpers/barFixtures.mjs';
import { makeTempDir, removeDir } from '../../helpers/barStoreFiles.js';

const FROM = Date.UTC(2022, 0, 3);
const TO = Date.UTC(2022, 3, 1);
const times = hourlyTimes(FROM, TO);
// Leg A misses every 5th bar, leg B every 7th: the join keeps bars present in both.
const timesA = times.filter((_, i) => i % 5 !== 0);
const timesB = times.filter((_, i) => i % 7 !== 0);

describe('DuckDB bar store reads', () => {
  let dir: string;
  let store: DuckDbBarStore;
  beforeAll(async () => {
    dir = await makeTempDir('bars-rd');
    store = await openBarStore(dir);
    await store.upsert(
      'XAUUSD',
      '1h',
      timesA.map((ts, k) => makeBar('XAUUSD', ts, { seq: k })),
      'synthetic',
    );
    await store.upsert(
      'XAGUSD',
      '1h',
      timesB.map((ts, k) => makeBar('XAGUSD', ts, { seq: k })),
      'synthetic',
    );
    // A corrupt partition outside the ranges read below: pruning must never open it.
    await store.upsert('XAUUSD', '1h', [makeBar('XAUUSD', Date.UTC(2021, 5, 1, 3), { seq: 1 })], 'synthetic');
    await writeFile(join(dir, 'canonical/1h/XAUUSD/2021/2021-06/XAUUSD_2021-06.parquet'), 'garbage');
  });
  afterAll(async () => {
    await store.close();
    await removeDir(dir);
  });

  it('returns [from, to) sorted, reading only overlapping partitions', async () => {
    const from = Date.UTC(2022, 1, 10, 5);
    const to = Date.UTC(2022, 2, 2, 0);
    const cols = await store.readBars('XAUUSD', '1h', from, to);
    const want = timesA.filter((t) => t >= from && t < to);
    expect(Array.from(cols.ts)).toEqual(want);
    want.forEach((ts, i) => expect(cols.close[i]).toBe(makeBar('XAUUSD', ts).close));
    // Boundaries: from is inclusive, to exclusive.
    const one = await store.readBars('XAUUSD', '1h', want[0], want[0]! + 1);
    expect(one.length).toBe(1);
    expect((await store.readBars('XAUUSD', '1h', want[0]! + 1, want[0]! + HOUR)).length).toBe(0);
    // Open-ended from the start of 2022 avoids the corrupt 2021 file; the whole history does not.
    expect((await store.readBars('XAUUSD', '1h', Date.UTC(2022, 0, 1))).length).toBe(timesA.length);
    const err = await store.readBars('XAUUSD', '1h').catch((e: unknown) => e);
    expect(isPtError(err) && err.id).toBe('DATA_STORAGE_CORRUPT');
    expect(isPtError(err) && err.message).toMatch(
      /XAUUSD_2021-\d\d\.parquet: unreadable: .*pt store repair --symbols XAUUSD --timeframe 1h/,
    );
  });

  it('returns an empty result for a range or symbol without data', async () => {
    expect((await store.readBars('XAUUSD', '1h', Date.UTC(2030, 0, 1), Date.UTC(2031, 0, 1))).length).toBe(0);
    const none = await store.readBars('EURUSD', '4h');
    expect(none.length).toBe(0);
    expect(none.ts).toBeInstanceOf(Float64Array);
  });

  it('inner-joins the legs on ts and counts the bars each leg loses', async () => {
    const from = Date.UTC(2022, 0, 1);
    const pair = await store.readAlignedPair('XAUUSD', 'XAGUSD', '1h', from, TO);
    const setB = new Set(timesB);
    const both = timesA.filter((t) => setB.has(t));
    expect(pair.pairId).toBe('XAUUSD_XAGUSD');
    expect(pair.length).toBe(both.length);
    expect(Array.from(pair.ts)).toEqual(both);
    expect(pair.droppedA).toBe(timesA.length - both.length);
    expect(pair.droppedB).toBe(timesB.length - both.length);
    expect(pair.droppedA).toBeGreaterThan(0);
    expect(pair.droppedB).toBeGreaterThan(0);
    both.forEach((ts, i) => {
      expect(pair.a.close[i]).toBe(makeBar('XAUUSD', ts).close);
      expect(pair.b.close[i]).toBe(makeBar('XAGUSD', ts).close);
    });
    expect(pair.a.volume.every((v) => !Number.isNaN(v))).toBe(true); // metals carry volume in the fixture
    expect(pair.a.quality.every((q) => q === 0)).toBe(true);
  });

  it('lists the symbols of a timeframe', async () => {
    expect(await store.listSymbols('1h')).toEqual(['XAGUSD', 'XAUUSD']);
  });
});
