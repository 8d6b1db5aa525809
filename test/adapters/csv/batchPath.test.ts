// The columnar read (readCsvBatch, what ingest stores) against the object read and the bars the reader gave before columns.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  barChecksum,
  parseCsvBars,
  parseCsvBatch,
  readCsvBars,
  readCsvBatch,
  type CsvReadOptions,
} from '../../../src/adapters/csv/index.js';
import { openBarStore } from '../../../src/adapters/duckdb/index.js';
import { serializeMetadata } from '../../../src/adapters/duckdb/metadataJson.js';
import { isPtError } from '../../../src/core/ptError.js';
import { isParquet, makeTempDir, removeDir, snapshotFiles } from '../../helpers/barStoreFiles.js';
import { fixture, options, REAL } from './csvTestKit.js';

const EJ = join(REAL, 'ejtraderlabs-historical-data');
const SG = join(REAL, 'thesnowguru-gmt');
const SINCE_2015 = Date.UTC(2015, 0, 1);

/**
 * sha256 (16 hex) of JSON.stringify(readCsvBars(…)) as the reader returned it before it built bars
 * from columns: the same bars, in the same key order, with the same stats (the counters and fields
 * added since, `snapped` and `droppedOpenBar`'s reason, are left out). 4h files read on a broker
 * or New York clock left this list when off-grid bars became an error (see below).
 */
const BEFORE: Array<[string, CsvReadOptions, string]> = [
  [
    join(EJ, 'AUDUSDh1.csv.gz'),
    { symbol: 'AUDUSD', timeframe: '1h', tz: 'EET', priceScale: 100_000, ingestRunId: 'g' },
    '5558f3ffc910946c',
  ],
  [
    join(EJ, 'XAUUSDh1.csv.gz'),
    { symbol: 'XAUUSD', timeframe: '1h', tz: 'EET', priceScale: 100, ingestRunId: 'g' },
    '8cc982e7fe4775bf',
  ],
  [
    join(SG, 'XAGUSD_H1.csv.gz'),
    { symbol: 'XAGUSD', timeframe: '1h', tz: 'UTC', ingestRunId: 'g', fromMs: SINCE_2015 },
    '617ac9a69cbfa9cd',
  ],
  [
    join(SG, 'XAGUSD_H1.csv.gz'),
    { symbol: 'XAGUSD', timeframe: '1h', tz: 'America/New_York', ingestRunId: 'g', fromMs: SINCE_2015 },
    '4f0bbb75367a4ffc',
  ],
  [
    join(SG, 'BRENTCMDUSD_H4.csv.gz'),
    { symbol: 'BRENTCMDUSD', timeframe: '4h', tz: 'UTC', ingestRunId: 'g', fromMs: SINCE_2015 },
    'df312068756f185e',
  ],
];

const fileName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

describe('readCsvBatch on the real files', () => {
  // A broker-clock H4 file is pointed to pt resample; a UTC file read on a New York clock has its
  // winter rows off the grid (its summer ones land on it), the generic error.
  const offGrid: Array<[string, CsvReadOptions, RegExp]> = [
    [
      join(EJ, 'USDJPYh4.csv.gz'),
      { symbol: 'USDJPY', timeframe: '4h', tz: 'EET', priceScale: 1000, ingestRunId: 'g' },
      /14400 of 14400 rows sit on whole hours off the 4h UTC grid .*pt resample --source-timeframe 1h --timeframe 4h/,
    ],
    [
      join(SG, 'XAUUSD_H4.csv.gz'),
      { symbol: 'XAUUSD', timeframe: '4h', tz: 'America/New_York', ingestRunId: 'g' },
      /9032 rows off the 4h UTC grid .*line 2: file time 2007-02-02 12:00 is 2007-02-02T17:00Z.*check --tz/,
    ],
  ];
  for (const [path, opts, error] of offGrid) {
    it(`${fileName(path)} (${opts.tz}): refused off the 4h UTC grid by both reads`, async () => {
      for (const read of [readCsvBars, readCsvBatch]) await expect(read(path, opts)).rejects.toThrow(error);
    });
  }

  for (const [path, opts, want] of BEFORE) {
    it(`${fileName(path)} (${opts.tz}${opts.priceScale ? `, scale ${opts.priceScale}` : ''}): the bars of before, as columns`, async () => {
      const objects = await readCsvBars(path, opts);
      const { snapped, ...statsBefore } = objects.stats;
      expect(snapped).toBe(0);
      const before = { bars: objects.bars, stats: statsBefore, format: objects.format };
      expect(createHash('sha256').update(JSON.stringify(before)).digest('hex').slice(0, 16)).toBe(want);

      const { batch, stats, format } = await readCsvBatch(path, opts);
      // The checksums hashed on the worker thread, checked below against the object read's.
      await batch.ready?.();
      expect(stats).toEqual(objects.stats);
      expect(format).toBe(objects.format);
      expect(batch.length).toBe(objects.bars.length);
      let mismatches = 0;
      for (let i = 0; i < batch.length; i++) {
        const bar = objects.bars[i]!;
        const volume = Number.isNaN(batch.volume[i]!) ? null : batch.volume[i]!;
        const same =
          batch.ts[i] === bar.ts_utc &&
          batch.open[i] === bar.open &&
          batch.high[i] === bar.high &&
          batch.low[i] === bar.low &&
          batch.close[i] === bar.close &&
          volume === bar.volume &&
          batch.ingestSeq[i] === bar.metadata.ingest_seq &&
          batch.quality[i] === 0 &&
          batch.sourceId(i) === bar.source_id &&
          batch.ingestRunId(i) === bar.ingest_run_id &&
          // The text the store writes is the general serialiser's text of the bar's metadata.
          batch.metadataJson(i) === serializeMetadata(bar.metadata) &&
          bar.metadata.checksum === barChecksum(bar.ts_utc, bar.open, bar.high, bar.low, bar.close, bar.volume);
        if (!same) mismatches++;
      }
      expect(mismatches).toBe(0);
    }, 30_000);
  }

  it('stores the same Parquet bytes whether ingested as columns or as objects', async () => {
    const dir = await makeTempDir('csv-batch-store');
    try {
      const asColumns = await openBarStore(join(dir, 'columns'));
      const asObjects = await openBarStore(join(dir, 'objects'));
      try {
        for (const [path, opts] of [BEFORE[0]!, BEFORE[3]!]) {
          const { batch } = await readCsvBatch(path, opts);
          const { bars } = await readCsvBars(path, opts);
          const a = await asColumns.upsert(opts.symbol, opts.timeframe, batch, 'csv');
          const b = await asObjects.upsert(opts.symbol, opts.timeframe, bars, 'csv');
          expect(a).toEqual(b);
          // And again: nothing changes, every row is a duplicate.
          expect(await asColumns.upsert(opts.symbol, opts.timeframe, batch, 'csv')).toMatchObject({
            inserted: 0,
            updated: 0,
            deduped: batch.length,
            partitionsWritten: 0,
          });
        }
      } finally {
        await asColumns.close();
        await asObjects.close();
      }
      const columns = await snapshotFiles(join(dir, 'columns'), isParquet);
      const objects = await snapshotFiles(join(dir, 'objects'), isParquet);
      expect(columns.size).toBeGreaterThan(200);
      expect([...columns.keys()]).toEqual([...objects.keys()]);
      for (const [file, facts] of columns) expect(facts.sha256, file).toBe(objects.get(file)!.sha256);
    } finally {
      await removeDir(dir);
    }
  }, 60_000);
});

describe('readCsvBatch on bad input', () => {
  const outcome = async (read: () => Promise<unknown>): Promise<string> => {
    try {
      await read();
      return 'ok';
    } catch (e) {
      return isPtError(e) ? `${e.id}: ${e.message}` : `other: ${String(e)}`;
    }
  };

  it('fails with the same one-line error as the object read', async () => {
    const cases: Array<[string, CsvReadOptions]> = [
      [fixture('bad_columns.csv'), options()],
      [fixture('bad_price.csv'), options()],
      [fixture('bad_date.csv'), options()],
      [fixture('empty.csv'), options()],
      [fixture('header_only.csv'), options()],
      [fixture('EURUSD_4h_spacing.csv'), options({ timeframe: '1h' })],
      [fixture('nope.csv'), options()],
      [fixture('GBPUSD_plain_H1.csv'), options({ priceScale: 50 })],
    ];
    for (const [path, opts] of cases) {
      const want = await outcome(() => readCsvBars(path, opts));
      expect(want).not.toBe('ok');
      expect(await outcome(() => readCsvBatch(path, opts)), fileName(path)).toBe(want);
    }
    const texts: Array<[string, CsvReadOptions]> = [
      ['date,time,open,high,low,close\n2023-01-02,25:00,1,1,1,1\n', options()],
      ['time,open,high,low,close\n2023-01-02 00:00,1547.59,1548,1547,1548\n', options({ priceScale: 100 })],
      ['time,open,high,low,close,volume\n2023-01-02 00:00,1,1,1,1,-3\n', options()],
      // Bars before 1970 break the canonical schema (ts_utc >= 0): the schema's own message.
      ['time,open,high,low,close\n1969-12-31 21:00,1,1,1,1\n1969-12-31 22:00,1,1,1,1\n', options()],
    ];
    for (const [text, opts] of texts) {
      const want = await outcome(async () => parseCsvBars(text, 'T.csv', opts));
      expect(want).not.toBe('ok');
      expect(await outcome(async () => parseCsvBatch(text, 'T.csv', opts))).toBe(want);
    }
  });
});
