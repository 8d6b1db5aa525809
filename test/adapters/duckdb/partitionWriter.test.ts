// Staging many months at once (typed columns, dictionary ids) must give each month the bytes of a plain COPY of its rows.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARQUET_COPY_OPTIONS, PartitionWriter } from '../../../src/adapters/duckdb/partitionWriter.js';
import { barsAsBatch } from '../../../src/adapters/duckdb/barsAsBatch.js';
import { batchByMonth, type StoredRow } from '../../../src/adapters/duckdb/upsertMerge.js';
import { sqlString } from '../../../src/adapters/duckdb/duckdbSql.js';
import type { CanonicalBar } from '../../../src/model/bar.js';
import { makeBar } from '../../helpers/barFixtures.mjs';
import { makeTempDir, removeDir, storedRow } from '../../helpers/barStoreFiles.js';

const QUARTER = 15 * 60_000;

/** The single-month COPY the store used before grouping, from a plain table of the rows. */
async function referenceCopy(conn: DuckDBConnection, rows: readonly StoredRow[], path: string): Promise<void> {
  await conn.run(
    'CREATE OR REPLACE TEMP TABLE ref (ts DOUBLE, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, quality_flag VARCHAR, source_id VARCHAR, ingest_run_id VARCHAR, metadata VARCHAR)',
  );
  const appender = await conn.createAppender('ref');
  for (const r of rows) {
    appender.appendDouble(r.ts);
    for (const v of [r.open, r.high, r.low, r.close]) appender.appendDouble(v);
    if (r.volume === null) appender.appendNull();
    else appender.appendDouble(r.volume);
    appender.appendVarchar(r.quality);
    appender.appendVarchar(r.sourceId);
    appender.appendVarchar(r.ingestRunId);
    appender.appendVarchar(r.metadata);
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
  await conn.run(`COPY (SELECT make_timestamp_ms(ts::BIGINT)::TIMESTAMP_MS AS ts_utc, 'EURUSD' AS symbol, '15m' AS timeframe, open, high, low, close, volume,
    quality_flag, source_id, ingest_run_id, metadata::JSON AS metadata FROM ref) TO ${sqlString(path)} (${PARQUET_COPY_OPTIONS})`);
}

describe('PartitionWriter', () => {
  let dir: string;
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    dir = await makeTempDir('part-writer');
    instance = await DuckDBInstance.create(':memory:', {
      threads: '1',
      preserve_insertion_order: 'true',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    conn = await instance.connect();
  });
  afterAll(async () => {
    conn.closeSync();
    instance.closeSync();
    await removeDir(dir);
  });

  it.each([
    ['several sources, runs and flags', true],
    ['one source, run and flag', false],
  ])(
    'writes each staged month byte-identical to a COPY of that month alone (%s)',
    async (_, mixed) => {
      // 15m bars: a month is about 2,900 rows, so staging chunks of 2,048 rows straddle every month boundary.
      const from = Date.UTC(2021, 11, 1);
      const to = Date.UTC(2023, 1, 1);
      const bars: CanonicalBar[] = [];
      for (let ts = from, k = 0; ts < to; ts += QUARTER, k++) {
        const bar = mixed
          ? makeBar('EURUSD', ts, {
              seq: k,
              timeframe: '15m',
              runId: `run-${k % 3}`,
              source: k % 7 === 0 ? 'twelvedata' : 'synthetic',
              quality: k % 11 === 0 ? 'revised' : k % 13 === 0 ? 'conflict' : 'ok',
            })
          : makeBar('EURUSD', ts, { seq: k, timeframe: '15m' });
        bars.push(k % 5 === 0 ? { ...bar, volume: null } : bar);
      }
      const batch = barsAsBatch(bars, 'EURUSD', '15m');
      const months = batchByMonth(batch);
      expect(months.length).toBe(14);
      // Every third month comes from stored rows, every third plus one mixes the two and marks some input
      // rows revised, the rest is input rows only: the three ways a merged month is staged.
      const staged = months.map((m, k) => {
        const rows = Array.from(m.rows);
        const want = rows.map((i) => storedRow(batch.bar(i)));
        if (k % 3 === 0)
          return { rows: Int32Array.from(rows, (_, j) => -1 - j), revised: undefined, stored: want, want };
        if (mixed && k % 3 === 1) {
          const revised = new Uint8Array(rows.length);
          const interleaved = Int32Array.from(rows, (i, j) => (j % 2 === 0 ? -1 - j : i));
          rows.forEach((i, j) => {
            if (j % 4 === 1 && bars[i]!.quality_flag === 'ok') {
              revised[j] = 1;
              want[j] = { ...want[j]!, quality: 'revised' };
            }
          });
          return { rows: interleaved, revised, stored: want, want };
        }
        return { rows: m.rows, revised: undefined, stored: [], want };
      });
      const writer = await PartitionWriter.create(conn);
      await writer.stageMonths(batch, staged);
      try {
        for (let k = 0; k < months.length; k++) {
          const monthDir = join(dir, `${mixed ? 'mixed' : 'one'}-${months[k]!.month}`);
          await mkdir(monthDir);
          const tmp = await writer.copyPartitionToTemp(
            k,
            'EURUSD',
            '15m',
            join(monthDir, `EURUSD_${months[k]!.month}.parquet`),
          );
          const ref = join(dir, `ref-${mixed ? 'mixed' : 'one'}-${k}.parquet`);
          await referenceCopy(conn, staged[k]!.want, ref);
          expect((await readFile(tmp)).equals(await readFile(ref)), `month ${months[k]!.month}`).toBe(true);
        }
      } finally {
        await writer.clearStage();
      }
    },
    60_000,
  );
});
