// Upsert semantics of the DuckDB bar store: latest_wins, keep-identical, revised, counts, idempotency, watermark.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBarStore, type DuckDbBarStore } from '../../../src/adapters/duckdb/index.js';
import { barsAsBatch } from '../../../src/adapters/duckdb/barsAsBatch.js';
import { isPtError } from '../../../src/core/ptError.js';
import type { CanonicalBar } from '../../../src/model/bar.js';
import { metrics } from '../../../src/observability/metrics.js';
import { hourlyTimes, HOUR, makeBar } from '../../helpers/barFixtures.mjs';
import { isParquet, isTemp, makeTempDir, removeDir, snapshotFiles, walkFiles } from '../../helpers/barStoreFiles.js';

const FROM = Date.UTC(2022, 0, 3);
const TO = Date.UTC(2022, 5, 1); // five month partitions

function monthsOfBars(symbol: string, from = FROM, to = TO): CanonicalBar[] {
  return hourlyTimes(from, to).map((ts, k) => makeBar(symbol, ts, { seq: k }));
}

async function dedupeCounter(symbol: string): Promise<number> {
  const m = await metrics.dedupeDropsTotal.get();
  return m.values.find((v) => v.labels.symbol === symbol && v.labels.timeframe === '1h')?.value ?? 0;
}

describe('DuckDB bar store upsert', () => {
  let dir: string;
  let store: DuckDbBarStore;
  beforeEach(async () => {
    dir = await makeTempDir('bars-up');
    store = await openBarStore(dir);
  });
  afterEach(async () => {
    await store.close();
    await removeDir(dir);
  });

  it('resolves duplicates within the input by ingest_seq, ties to the later element', async () => {
    const ts = Date.UTC(2022, 1, 1, 10);
    const low = makeBar('XAUUSD', ts, { version: 0, seq: 5 });
    const high = makeBar('XAUUSD', ts, { version: 1, seq: 9 });
    const ts2 = ts + HOUR;
    const tieFirst = makeBar('XAUUSD', ts2, { version: 0, seq: 3 });
    const tieLast = makeBar('XAUUSD', ts2, { version: 1, seq: 3 });
    const before = await dedupeCounter('XAUUSD');
    const res = await store.upsert('XAUUSD', '1h', [high, low, tieFirst, tieLast], 'synthetic');
    expect(res).toEqual({ inserted: 2, updated: 0, deduped: 2, partitionsWritten: 1 });
    const rows = await store.readRows('XAUUSD', '1h');
    expect(rows).toEqual([high, tieLast]);
    expect((await dedupeCounter('XAUUSD')) - before).toBe(2);
  });

  it('leaves every Parquet byte and mtime alone when the same ingest runs again', async () => {
    const bars = monthsOfBars('EURUSD');
    const first = await store.upsert('EURUSD', '1h', bars, 'synthetic');
    expect(first).toEqual({ inserted: bars.length, updated: 0, deduped: 0, partitionsWritten: 5 });
    const snap1 = await snapshotFiles(dir, isParquet);
    await new Promise((r) => setTimeout(r, 20));
    const before = await dedupeCounter('EURUSD');
    // Another run id and another source on identical bars: still duplicates, the stored rows win.
    const again = bars.map((b) => ({
      ...b,
      ingest_run_id: 'run-fixture-0009',
      source_id: 'csv',
      metadata: { ...b.metadata, ingest_seq: b.metadata.ingest_seq + 1 },
    }));
    const second = await store.upsert('EURUSD', '1h', again, 'csv');
    expect(second).toEqual({ inserted: 0, updated: 0, deduped: bars.length, partitionsWritten: 0 });
    expect((await dedupeCounter('EURUSD')) - before).toBe(bars.length);
    const snap2 = await snapshotFiles(dir, isParquet);
    expect(snap2).toEqual(snap1); // sha256, size and mtime of every file
    expect(
      (await store.readRows('EURUSD', '1h')).every(
        (r) => r.ingest_run_id === 'run-fixture-0001' && r.source_id === 'synthetic',
      ),
    ).toBe(true);
    const wm = await store.readWatermark('EURUSD', '1h');
    expect(wm?.dq_counters).toEqual({ inserted: bars.length, updated: 0, deduped: bars.length });
    expect(wm?.source).toBe('csv');
  });

  it('marks a changed bar revised, keeps a non-ok flag, and rewrites only its partition', async () => {
    const bars = monthsOfBars('XAGUSD');
    await store.upsert('XAGUSD', '1h', bars, 'synthetic');
    const snap1 = await snapshotFiles(dir, isParquet);
    const march = Date.UTC(2022, 2, 15, 12);
    const april = Date.UTC(2022, 3, 12, 9);
    const newTs = Date.UTC(2022, 2, 19, 12); // a Saturday: not in the stored set
    const changed = makeBar('XAGUSD', march, { version: 1, seq: 1 });
    const conflict = { ...makeBar('XAGUSD', april, { version: 1, seq: 2 }), quality_flag: 'conflict' as const };
    const same = makeBar('XAGUSD', march + HOUR, { seq: 77 });
    const inserted = makeBar('XAGUSD', newTs, { seq: 3 });
    const res = await store.upsert('XAGUSD', '1h', [changed, conflict, same, inserted], 'synthetic');
    expect(res).toEqual({ inserted: 1, updated: 2, deduped: 1, partitionsWritten: 2 });
    const rows = await store.readRows('XAGUSD', '1h');
    const byTs = new Map(rows.map((r) => [r.ts_utc, r]));
    expect(byTs.get(march)).toEqual({ ...changed, quality_flag: 'revised' });
    expect(byTs.get(april)).toEqual(conflict);
    expect(byTs.get(march + HOUR)?.metadata.ingest_seq).not.toBe(77);
    expect(byTs.get(newTs)).toEqual(inserted);
    expect(rows.length).toBe(bars.length + 1);
    const snap2 = await snapshotFiles(dir, isParquet);
    const changedFiles = [...snap2.keys()].filter((k) => snap1.get(k)?.sha256 !== snap2.get(k)?.sha256);
    expect(changedFiles).toEqual([
      'canonical/1h/XAGUSD/2022/2022-03/XAGUSD_2022-03.parquet',
      'canonical/1h/XAGUSD/2022/2022-04/XAGUSD_2022-04.parquet',
    ]);
    // Replaying the original ok bar after its revision leaves the revision in place (latest ingest wins).
    const replay = await store.upsert('XAGUSD', '1h', [changed], 'synthetic');
    expect(replay).toEqual({ inserted: 0, updated: 0, deduped: 1, partitionsWritten: 0 });
  });

  it('is idempotent: ingesting the same set twice in another folder gives identical files', async () => {
    const bars = monthsOfBars('GBPUSD');
    const revisions = bars
      .filter((_, i) => i % 97 === 0)
      .map((b) => makeBar('GBPUSD', b.ts_utc, { version: 1, seq: 1_000_000 + b.metadata.ingest_seq }));
    await store.upsert('GBPUSD', '1h', bars, 'synthetic');
    await store.upsert('GBPUSD', '1h', revisions, 'synthetic');
    const snap1 = await snapshotFiles(dir, isParquet);
    await store.upsert('GBPUSD', '1h', [...bars, ...revisions], 'synthetic');
    expect(await snapshotFiles(dir, isParquet)).toEqual(snap1);

    const other = await makeTempDir('bars-up2');
    const s2 = await openBarStore(other);
    try {
      await s2.upsert('GBPUSD', '1h', bars, 'synthetic');
      await s2.upsert('GBPUSD', '1h', revisions, 'synthetic');
      const snapOther = await snapshotFiles(other, isParquet);
      expect([...snapOther].map(([k, v]) => [k, v.sha256])).toEqual([...snap1].map(([k, v]) => [k, v.sha256]));
    } finally {
      await s2.close();
      await removeDir(other);
    }
  });

  it('advances the watermark to the newest stored bar and never past it', async () => {
    const bars = monthsOfBars('USDJPY');
    const seen: number[] = [];
    await store.upsert('USDJPY', '1h', bars, 'synthetic', (done, total) => {
      seen.push(done / total);
    });
    expect(seen.at(-1)).toBe(1);
    const wm = await store.readWatermark('USDJPY', '1h');
    expect(wm?.last_ts).toBe(bars.at(-1)!.ts_utc);
    expect(wm?.window_params).toMatchObject({ timeframe: '1h', bars: bars.length });
    // An older revision does not move it back.
    await store.upsert('USDJPY', '1h', [makeBar('USDJPY', bars[0]!.ts_utc, { version: 1, seq: 9 })], 'synthetic');
    expect((await store.readWatermark('USDJPY', '1h'))?.last_ts).toBe(bars.at(-1)!.ts_utc);
    expect(await store.readWatermark('NZDUSD', '1h')).toBeUndefined();
  });

  it('removes temp files left by a dead writer and refuses bars of another symbol', async () => {
    const bars = monthsOfBars('AUDUSD', FROM, Date.UTC(2022, 1, 1));
    await store.upsert('AUDUSD', '1h', bars, 'synthetic');
    const monthDir = join(dir, 'canonical/1h/AUDUSD/2022/2022-01');
    await writeFile(join(monthDir, '.AUDUSD_2022-01.parquet.tmp-999999999'), 'torn');
    await writeFile(join(dir, 'canonical/1h/AUDUSD/.__meta.json.tmp-999999999'), '{"last_ts": 9');
    expect((await store.readBars('AUDUSD', '1h')).length).toBe(bars.length);
    await store.upsert('AUDUSD', '1h', [bars[0]!], 'synthetic');
    expect((await walkFiles(dir)).filter((p) => isTemp(p.slice(p.lastIndexOf('/') + 1)))).toEqual([]);

    const err = await store
      .upsert('AUDUSD', '1h', [makeBar('EURUSD', FROM, { seq: 1 })], 'synthetic')
      .catch((e: unknown) => e);
    expect(isPtError(err) && err.id).toBe('DATA_SCHEMA_BAR');
    const bad = await store
      .upsert('AUDUSD', '1h', [{ ...bars[0]!, high: bars[0]!.low / 2 }], 'synthetic')
      .catch((e: unknown) => e);
    expect(isPtError(bad) && bad.id).toBe('DATA_SCHEMA_BAR');
  });

  it("refuses a bar off its timeframe's UTC grid, as objects and as a batch, and stores nothing of it", async () => {
    const bars = hourlyTimes(FROM, FROM + 10 * HOUR).map((ts, i) => makeBar('NZDUSD', ts, { seq: i }));
    // An MT4 hh:05 stamp, and a 1h bar at 01:00 given as a 4h bar (a broker-clock H4 bar).
    const late = [...bars.slice(0, 3), makeBar('NZDUSD', bars[3]!.ts_utc + 5 * 60_000, { seq: 3 })];
    for (const input of [late, barsAsBatch(late, 'NZDUSD', '1h')]) {
      const err = await store.upsert('NZDUSD', '1h', input, 'synthetic').catch((e: unknown) => e);
      expect(isPtError(err) && err.id).toBe('DATA_SCHEMA_BAR');
      expect(isPtError(err) && err.message).toBe(
        'bar-store: bar 3 (NZDUSD 2022-01-03T03:05:00.000Z) is off the 1h UTC grid by 5 min; a stored bar opens at a multiple of 1h since 1970-01-01 UTC',
      );
    }
    const h4 = [makeBar('NZDUSD', FROM + HOUR, { timeframe: '4h' })];
    const err4 = await store.upsert('NZDUSD', '4h', h4, 'synthetic').catch((e: unknown) => e);
    expect(isPtError(err4) && err4.message).toContain('is off the 4h UTC grid by 60 min');
    expect((await store.readBars('NZDUSD', '1h')).length).toBe(0);
    expect((await store.readBars('NZDUSD', '4h')).length).toBe(0);
    // On the grid, the same bars go in.
    expect((await store.upsert('NZDUSD', '1h', bars, 'synthetic')).inserted).toBe(bars.length);
  });

  it('reports an unreadable partition as DATA_STORAGE_CORRUPT naming the file', async () => {
    const bars = monthsOfBars('USDCAD', FROM, Date.UTC(2022, 1, 1));
    await store.upsert('USDCAD', '1h', bars, 'synthetic');
    await writeFile(join(dir, 'canonical/1h/USDCAD/2022/2022-01/USDCAD_2022-01.parquet'), 'not parquet');
    const err = await store
      .upsert('USDCAD', '1h', [makeBar('USDCAD', bars[0]!.ts_utc, { version: 1, seq: 5 })], 'synthetic')
      .catch((e: unknown) => e);
    expect(isPtError(err) && err.id).toBe('DATA_STORAGE_CORRUPT');
    expect(isPtError(err) && err.message).toContain('USDCAD_2022-01.parquet: unreadable: ');
    const err2 = await store.readBars('USDCAD', '1h').catch((e: unknown) => e);
    expect(isPtError(err2) && err2.id).toBe('DATA_STORAGE_CORRUPT');
    // The store stays usable after a failure, and close() twice is harmless.
    expect((await store.readBars('EURUSD', '1h')).length).toBe(0);
    await store.close();
    const closed = await store.readBars('EURUSD', '1h').catch((e: unknown) => e);
    expect(isPtError(closed) && closed.id).toBe('DATA_STORAGE_IOFAIL');
  });
});
