// Verified reads (probe cases 51, 53, 54, 60): every partition read checks each row's checksum, its
// symbol, the timeframe grid and the month of its file; a failure names the file and the repair.
import { copyFile, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBarStore, type DuckDbBarStore } from '../../../src/adapters/duckdb/index.js';
import { isPtError, type PtError } from '../../../src/core/ptError.js';
import type { CanonicalBar } from '../../../src/model/bar.js';
import { hourlyTimes, HOUR, makeBar } from '../../helpers/barFixtures.mjs';
import { makeTempDir, removeDir } from '../../helpers/barStoreFiles.js';

const MAY = Date.UTC(2022, 4, 1);
const JUNE = Date.UTC(2022, 5, 1);
const JULY = Date.UTC(2022, 6, 1);
const times = hourlyTimes(MAY, JULY);
const firstJune = times.find((t) => t >= JUNE)!;

let dir: string;
let store: DuckDbBarStore;
const part = (symbol: string, month: string) =>
  join(dir, 'canonical/1h', symbol, month.slice(0, 4), month, `${symbol}_${month}.parquet`);

/** Rewrites a partition through DuckDB with `select` (a SELECT list over its columns), keeping the schema. */
async function rewrite(path: string, select: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run("SET TimeZone = 'UTC'");
    await conn.run(
      `COPY (SELECT ${select} FROM read_parquet('${path}') ORDER BY ts_utc) TO '${path}.new' (FORMAT parquet)`,
    );
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  await rename(`${path}.new`, path);
}

async function failure(p: Promise<unknown>): Promise<PtError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isPtError(e), String(e)).toBe(true);
  return e as PtError;
}

const REPAIR = 'run pt store repair --symbols XAUUSD --timeframe 1h';

beforeEach(async () => {
  dir = await makeTempDir('bars-verify');
  store = await openBarStore(dir);
  for (const s of ['XAUUSD', 'XAGUSD'])
    await store.upsert(
      s,
      '1h',
      times.map((ts, k) => makeBar(s, ts, { seq: k })),
      'synthetic',
    );
});
afterEach(async () => {
  await store.close();
  await removeDir(dir);
});

describe('verified partition reads', () => {
  it("refuses another symbol's month copied into place, naming the file (probe #54)", async () => {
    await copyFile(part('XAGUSD', '2022-06'), part('XAUUSD', '2022-06'));
    const e = await failure(store.readBars('XAUUSD', '1h'));
    expect(e.id).toBe('DATA_STORAGE_CORRUPT');
    expect(e.message).toBe(
      `${part('XAUUSD', '2022-06')}: ${times.filter((t) => t >= JUNE).length} rows of another symbol than XAUUSD, e.g. XAGUSD (first 2022-06-01T00:00Z); ${REPAIR} (re-ingests the month from a source, or moves it to data/quarantine)`,
    );
    for (const read of [
      store.readRows('XAUUSD', '1h'),
      store.readAlignedPair('XAUUSD', 'XAGUSD', '1h'),
      store.readBars('XAUUSD', '1h', JUNE + 5 * 24 * HOUR, JUNE + 6 * 24 * HOUR),
    ])
      expect((await failure(read)).message).toContain(`${part('XAUUSD', '2022-06')}: `);
    // The other months still read.
    expect((await store.readBars('XAUUSD', '1h', MAY, JUNE)).length).toBe(times.filter((t) => t < JUNE).length);
  });

  it("refuses a month's file holding another month", async () => {
    await copyFile(part('XAUUSD', '2022-05'), part('XAUUSD', '2022-06'));
    expect((await failure(store.readBars('XAUUSD', '1h'))).message).toMatch(
      /XAUUSD_2022-06\.parquet: \d+ rows outside 2022-06 \(first 2022-05-0\dT..:00Z\)/,
    );
  });

  it('refuses a changed price (checksum), a time off the grid, and a row without a checksum', async () => {
    const june = part('XAUUSD', '2022-06');
    const original = await readFile(june);
    const at = new Date(firstJune + 2 * HOUR).toISOString().slice(0, 19);
    await rewrite(june, `* REPLACE (CASE WHEN ts_utc = '${at}' THEN close * 1.000001 ELSE close END AS close)`);
    expect((await failure(store.readBars('XAUUSD', '1h'))).message).toContain(
      `XAUUSD_2022-06.parquet: 1 row fails its checksum (first ${at.slice(0, 16)}Z); ${REPAIR}`,
    );
    await writeFile(june, original);
    await rewrite(
      june,
      `* REPLACE (CASE WHEN ts_utc = '${at}' THEN ts_utc + INTERVAL 1 MINUTE ELSE ts_utc END AS ts_utc)`,
    );
    const grid = await failure(store.readRows('XAUUSD', '1h'));
    expect(grid.message).toContain(`1 row off the 1h grid (first ${at.slice(0, 14)}01Z)`);
    expect(grid.message).toContain('1 row fails its checksum');
    await writeFile(june, original);
    await rewrite(june, `* REPLACE (CASE WHEN ts_utc = '${at}' THEN '{"ingest_seq":1}' ELSE metadata END AS metadata)`);
    expect((await failure(store.readBars('XAUUSD', '1h'))).message).toContain(
      `1 row without a (well-formed) checksum (first ${at.slice(0, 16)}Z)`,
    );
    await writeFile(june, original);
    expect((await store.readBars('XAUUSD', '1h')).length).toBe(times.length);
  });

  it('fails a read whose range excludes the damaged row when that row left its place', async () => {
    const june = part('XAUUSD', '2022-06');
    const at = new Date(firstJune).toISOString().slice(0, 19);
    await rewrite(
      june,
      `* REPLACE (CASE WHEN ts_utc = '${at}' THEN TIMESTAMP '2004-11-05 23:24:22.064' ELSE ts_utc END AS ts_utc)`,
    );
    const e = await failure(store.readBars('XAUUSD', '1h', JUNE + 10 * 24 * HOUR, JULY));
    expect(e.message).toContain('XAUUSD_2022-06.parquet: 1 row off the 1h grid (first 2004-11-05T23:24:22.064Z)');
  });

  it('refuses a truncated partition on read and on upsert, and leaves it as it was (probe #51)', async () => {
    const june = part('XAUUSD', '2022-06');
    const bytes = await readFile(june);
    await writeFile(june, bytes.subarray(0, bytes.length >> 1));
    const e = await failure(store.readBars('XAUUSD', '1h'));
    expect(e.id).toBe('DATA_STORAGE_CORRUPT');
    expect(e.message).toMatch(new RegExp(`^${june}: unreadable: .*magic bytes.*; ${REPAIR}`));
    const up = await failure(
      store.upsert('XAUUSD', '1h', [makeBar('XAUUSD', firstJune, { version: 1, seq: 9 })], 'synthetic'),
    );
    expect(up.id).toBe('DATA_STORAGE_CORRUPT');
    expect(up.message).toContain(`${june}: unreadable`);
    expect((await readFile(june)).equals(bytes.subarray(0, bytes.length >> 1))).toBe(true);
  });

  it('checks a file again once it changed, even after a sound read of it', async () => {
    expect((await store.readBars('XAUUSD', '1h')).length).toBe(times.length);
    await copyFile(part('XAGUSD', '2022-06'), part('XAUUSD', '2022-06'));
    expect((await failure(store.readBars('XAUUSD', '1h'))).id).toBe('DATA_STORAGE_CORRUPT');
  });

  it('never returns wrong bars for a flipped byte anywhere in a partition: the read fails naming it, or the bars are exact (probe #53)', async () => {
    const june = part('XAUUSD', '2022-06');
    const bytes = await readFile(june);
    const want = await store.readBars('XAUUSD', '1h');
    let detected = 0;
    let tried = 0;
    for (let offset = 4; offset < bytes.length - 8; offset += 101) {
      const flipped = Buffer.from(bytes);
      flipped[offset] = flipped[offset]! ^ 0x55;
      await writeFile(june, flipped);
      tried++;
      const got = await store.readBars('XAUUSD', '1h').then(
        (cols) => cols,
        (e: unknown) => e,
      );
      if (isPtError(got)) {
        expect(got.id, `offset ${offset}: ${got.message}`).toBe('DATA_STORAGE_CORRUPT');
        expect(got.message.startsWith(`${june}: `), got.message).toBe(true);
        detected++;
      } else {
        const cols = got as Awaited<typeof want>;
        for (const k of ['ts', 'open', 'high', 'low', 'close', 'volume', 'quality'] as const)
          expect(Array.from(cols[k]), `offset ${offset} ${k}`).toEqual(Array.from(want[k]));
      }
    }
    await writeFile(june, bytes);
    console.log(`flipped bytes: ${detected} of ${tried} detected, the others read back exact`);
    // Most bytes of a partition are its data pages: most flips must be caught.
    expect(detected / tried).toBeGreaterThan(0.5);
  });

  it('gives a bar stored without a checksum its checksum, so it reads back', async () => {
    const bar = makeBar('EURUSD', firstJune, { seq: 1 }) as CanonicalBar;
    delete (bar.metadata as { checksum?: string }).checksum;
    await store.upsert('EURUSD', '1h', [bar], 'synthetic');
    const [row] = await store.readRows('EURUSD', '1h');
    expect(row!.metadata.checksum).toBe(makeBar('EURUSD', firstJune).metadata.checksum);
  });
});

describe('a corrupt watermark (probe #60)', () => {
  it('is reported with its path and the two ways to rebuild it; an upsert rebuilds it from the partitions', async () => {
    const wm = join(dir, 'canonical/1h/XAUUSD/__meta.json');
    await writeFile(wm, '{"last_ts": 15');
    const e = await failure(store.readWatermark('XAUUSD', '1h'));
    expect(e.id).toBe('DATA_STORAGE_CORRUPT');
    expect(e.message.startsWith(`${wm}: not valid JSON (`)).toBe(true);
    expect(e.message).toMatch(
      /\); rebuild it with pt store repair --symbols XAUUSD --timeframe 1h \(or pt ingest --full, which rebuilds it\)$/,
    );
    const warnings: string[] = [];
    const s2 = await openBarStore(dir, { onWarning: (m) => warnings.push(m) });
    try {
      await s2.upsert('XAUUSD', '1h', [makeBar('XAUUSD', MAY, { version: 1, seq: 99 })], 'synthetic');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        new RegExp(`^${wm} was corrupt \\(not valid JSON \\(.*\\)\\); rebuilt from the stored partitions$`),
      );
      expect((await s2.readWatermark('XAUUSD', '1h'))!.last_ts).toBe(times[times.length - 1]);
    } finally {
      await s2.close();
    }
  });
});
