// Golden round trip of the DuckDB bar store: values, nulls, flags, metadata, order, layout, Parquet schema, determinism.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBarStore, type DuckDbBarStore } from '../../../src/adapters/duckdb/index.js';
import type { CanonicalBar } from '../../../src/model/bar.js';
import { barChecksum } from '../../../src/model/barChecksum.js';
import { HOUR, makeBar } from '../../helpers/barFixtures.mjs';
import { isParquet, makeTempDir, removeDir, snapshotFiles } from '../../helpers/barStoreFiles.js';

const T0 = Date.UTC(2023, 0, 31, 20); // crosses Jan → Feb, and Dec → Jan of the next year below

function goldenBars(): CanonicalBar[] {
  const bars: CanonicalBar[] = [];
  for (let k = 0; k < 10; k++) bars.push(makeBar('EURUSD', T0 + k * HOUR, { seq: k }));
  const yearEnd = Date.UTC(2023, 11, 31, 22);
  bars.push(makeBar('EURUSD', yearEnd, { seq: 100 }), makeBar('EURUSD', yearEnd + 3 * HOUR, { seq: 101 }));
  // Every flag, a volume, odd metadata (extra keys in random order, nested object, unicode, quotes).
  const specials: CanonicalBar['quality_flag'][] = ['missing', 'outlier', 'resampled', 'conflict', 'stale', 'revised'];
  specials.forEach((q, i) => {
    bars[i + 1]!.quality_flag = q;
  });
  const b2 = bars[2]!;
  b2.volume = 1234.5;
  // Reads verify each row's checksum, so a changed value gets its checksum again.
  b2.metadata.checksum = barChecksum(b2.ts_utc, b2.open, b2.high, b2.low, b2.close, b2.volume);
  bars[3]!.metadata = {
    zeta: 1,
    ingest_seq: 3,
    alpha: { y: 2, x: [1, 'é"\\'] },
    checksum: bars[3]!.metadata.checksum,
    symbol_source: "EUR/USD 'x'",
  } as unknown as CanonicalBar['metadata'];
  bars[4]!.source_id = 'csv';
  bars[4]!.ingest_run_id = 'run-fixture-0002';
  // Input order must not matter.
  return [...bars].reverse();
}

describe('DuckDB bar store round trip', () => {
  let dir: string;
  let store: DuckDbBarStore;
  const bars = goldenBars();

  beforeAll(async () => {
    dir = await makeTempDir('bars-rt');
    store = await openBarStore(dir);
    const res = await store.upsert('EURUSD', '1h', bars, 'synthetic');
    expect(res).toEqual({ inserted: bars.length, updated: 0, deduped: 0, partitionsWritten: 4 });
  });
  afterAll(async () => {
    await store.close();
    await removeDir(dir);
  });

  it('reads back every row exactly, sorted by ts', async () => {
    const rows = await store.readRows('EURUSD', '1h');
    const expected = [...bars].sort((a, b) => a.ts_utc - b.ts_utc);
    expect(rows).toEqual(expected);
    expect(rows.filter((r) => r.volume === null).length).toBe(expected.filter((r) => r.volume === null).length);
  });

  it('serialises metadata with a fixed key order', async () => {
    const rows = await store.readRows('EURUSD', '1h', T0 + 3 * HOUR, T0 + 4 * HOUR);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!.metadata)).toEqual(['symbol_source', 'ingest_seq', 'checksum', 'alpha', 'zeta']);
    expect(Object.keys((rows[0]!.metadata as unknown as { alpha: object }).alpha)).toEqual(['x', 'y']);
  });

  it('returns columns with null volume as NaN and flags as indexes', async () => {
    const cols = await store.readBars('EURUSD', '1h');
    const expected = [...bars].sort((a, b) => a.ts_utc - b.ts_utc);
    expect(cols.length).toBe(expected.length);
    expected.forEach((b, i) => {
      expect(cols.ts[i]).toBe(b.ts_utc);
      expect(cols.close[i]).toBe(b.close);
      expect(cols.high[i]).toBe(b.high);
      if (b.volume === null) expect(cols.volume[i]).toBeNaN();
      else expect(cols.volume[i]).toBe(b.volume);
      expect(['ok', 'missing', 'outlier', 'resampled', 'conflict', 'stale', 'revised'][cols.quality[i]!]).toBe(
        b.quality_flag,
      );
    });
  });

  it('lays out one file per UTC month under canonical/{tf}/{symbol}/{YYYY}/{YYYY-MM}/', async () => {
    const files = [...(await snapshotFiles(dir, isParquet)).keys()];
    expect(files).toEqual([
      'canonical/1h/EURUSD/2023/2023-01/EURUSD_2023-01.parquet',
      'canonical/1h/EURUSD/2023/2023-02/EURUSD_2023-02.parquet',
      'canonical/1h/EURUSD/2023/2023-12/EURUSD_2023-12.parquet',
      'canonical/1h/EURUSD/2024/2024-01/EURUSD_2024-01.parquet',
    ]);
    expect(existsSync(join(dir, 'canonical/1h/EURUSD/__meta.json'))).toBe(true);
    expect(await store.listSymbols('1h')).toEqual(['EURUSD']);
    expect(await store.listSymbols('4h')).toEqual([]);
  });

  it('writes the specified columns, order and Parquet types', async () => {
    const file = join(dir, 'canonical/1h/EURUSD/2023/2023-01/EURUSD_2023-01.parquet');
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    try {
      const described = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`))
        .getRows()
        .map((r) => [r[0], r[1]]);
      expect(described).toEqual([
        ['ts_utc', 'TIMESTAMP'],
        ['symbol', 'VARCHAR'],
        ['timeframe', 'VARCHAR'],
        ['open', 'DOUBLE'],
        ['high', 'DOUBLE'],
        ['low', 'DOUBLE'],
        ['close', 'DOUBLE'],
        ['volume', 'DOUBLE'],
        ['quality_flag', 'VARCHAR'],
        ['source_id', 'VARCHAR'],
        ['ingest_run_id', 'VARCHAR'],
        ['metadata', 'JSON'],
      ]);
      // DuckDB reads every Parquet timestamp as TIMESTAMP; the file itself stores milliseconds.
      const schema = (
        await conn.runAndReadAll(
          `SELECT name, type, converted_type FROM parquet_schema('${file}') WHERE name = 'ts_utc'`,
        )
      ).getRows();
      expect(schema).toEqual([['ts_utc', 'INT64', 'TIMESTAMP_MILLIS']]);
      const meta = (
        await conn.runAndReadAll(
          `SELECT compression, row_group_num_rows FROM parquet_metadata('${file}') WHERE path_in_schema = 'close'`,
        )
      ).getRows();
      expect(meta).toEqual([['ZSTD', 4n]]);
      const sym = (
        await conn.runAndReadAll(`SELECT DISTINCT symbol, timeframe FROM read_parquet('${file}')`)
      ).getRows();
      expect(sym).toEqual([['EURUSD', '1h']]);
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  });

  it('writes byte-identical Parquet for the same rows in another folder and another order', async () => {
    const other = await makeTempDir('bars-rt2');
    const s2 = await openBarStore(other);
    try {
      const shuffled = [...bars].sort((a, b) => ((a.ts_utc * 7919) % 13) - ((b.ts_utc * 7919) % 13));
      await s2.upsert('EURUSD', '1h', shuffled, 'synthetic');
      const a = await snapshotFiles(dir, isParquet);
      const b = await snapshotFiles(other, isParquet);
      expect([...b.entries()].map(([k, v]) => [k, v.sha256])).toEqual([...a.entries()].map(([k, v]) => [k, v.sha256]));
    } finally {
      await s2.close();
      await removeDir(other);
    }
  });
});
