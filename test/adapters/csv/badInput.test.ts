import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseCsvBars, readCsvBars } from '../../../src/adapters/csv/index.js';
import { PtError } from '../../../src/core/ptError.js';
import { fixture, options } from './csvTestKit.js';

async function failure(promise: Promise<unknown>): Promise<PtError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PtError);
  return error as PtError;
}

const tmp = mkdtempSync(join(tmpdir(), 'pt-csv-bad-'));

describe('bad input is DATA_INPUT_PARSE naming the file and line', () => {
  it('wrong column count', async () => {
    const e = await failure(readCsvBars(fixture('bad_columns.csv'), options()));
    expect(e.id).toBe('DATA_INPUT_PARSE');
    expect(e.message).toBe('bad_columns.csv line 4: expected 5 columns, found 4');
  });

  it('a quoted field with the separator inside (probe #13) says so', () => {
    expect(() =>
      parseCsvBars(
        'ts,open,high,low,close,volume\n2023-01-02 00:00:00,100.0,"1,100.5",99.5,100.2,10\n',
        'q.csv',
        options(),
      ),
    ).toThrow(
      /^q\.csv line 2: expected 6 columns, found 7; a quoted field holds the separator \("2023-01-02 00:00:00,100\.0,\\"1,100\.5\\",.*pt does not read quoted fields or thousands separators/,
    );
  });

  it('non-numeric price', async () => {
    const e = await failure(readCsvBars(fixture('bad_price.csv'), options()));
    expect(e.message).toBe('bad_price.csv line 3: non-numeric close "abc"');
  });

  it('unparseable date (Feb 30), counting blank lines in the line number', async () => {
    const e = await failure(readCsvBars(fixture('bad_date.csv'), options()));
    expect(e.message).toBe('bad_date.csv line 5: unparseable date "2023-02-30 02:00:00"');
  });

  it('unparseable time in a separate time column', () => {
    expect(() => parseCsvBars('date,time,open,high,low,close\n2023-01-02,25:00,1,1,1,1\n', 'T.csv', options())).toThrow(
      'T.csv line 2: unparseable time "25:00"',
    );
  });

  it('empty file and header-only file', async () => {
    expect((await failure(readCsvBars(fixture('empty.csv'), options()))).message).toBe(
      'empty.csv line 1: empty file (no rows)',
    );
    expect((await failure(readCsvBars(fixture('header_only.csv'), options()))).message).toBe(
      'header_only.csv line 2: no data rows after the header',
    );
  });

  it('a binary file, plain or gzip-compressed', async () => {
    const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0xff, 0x10]);
    writeFileSync(join(tmp, 'archive.csv'), bytes);
    writeFileSync(join(tmp, 'archive2.csv.gz'), gzipSync(bytes));
    for (const name of ['archive.csv', 'archive2.csv.gz']) {
      const e = await failure(readCsvBars(join(tmp, name), options()));
      expect(e.id).toBe('DATA_INPUT_PARSE');
      expect(e.message).toBe(`${name} line 1: binary content (NUL byte): not a text file`);
    }
  });

  it('a file of control bytes without NUL is binary too', async () => {
    writeFileSync(join(tmp, 'noise.csv'), Buffer.from('time,open\n\x01\x02\x03\x04\x05\x06\x07', 'latin1'));
    expect((await failure(readCsvBars(join(tmp, 'noise.csv'), options()))).message).toBe(
      'noise.csv line 2: binary content (control bytes): not a text file',
    );
  });

  it('a truncated gzip stream', async () => {
    writeFileSync(
      join(tmp, 'cut.csv.gz'),
      gzipSync(Buffer.from('time,open,high,low,close\n'.repeat(50))).subarray(0, 20),
    );
    expect((await failure(readCsvBars(join(tmp, 'cut.csv.gz'), options()))).message).toMatch(
      /^cut\.csv\.gz: not a valid gzip stream/,
    );
  });

  it('a header without a time or price column', () => {
    expect(() => parseCsvBars('when,open,high,low,close\nx,1,1,1,1\n', 'H.csv', options())).toThrow(
      'H.csv line 1: no time column in header',
    );
    expect(() => parseCsvBars('time,open,high,low\n2023-01-02 00:00,1,1,1\n', 'H.csv', options())).toThrow(
      'H.csv line 1: no close column in header',
    );
  });

  it('a non-integer price when a price scale is given', () => {
    expect(() =>
      parseCsvBars(
        'time,open,high,low,close\n2023-01-02 00:00,1547.59,1548,1547,1548\n',
        'P.csv',
        options({ priceScale: 100 }),
      ),
    ).toThrow('P.csv line 2: open "1547.59" is not a whole number of points (price scale 100)');
  });

  it('a negative or non-numeric volume', () => {
    expect(() =>
      parseCsvBars('time,open,high,low,close,volume\n2023-01-02 00:00,1,1,1,1,-3\n', 'V.csv', options()),
    ).toThrow('V.csv line 2: non-numeric or negative volume "-3"');
  });

  it('the median bar spacing contradicts the timeframe', async () => {
    const e = await failure(readCsvBars(fixture('EURUSD_4h_spacing.csv'), options({ timeframe: '1h' })));
    expect(e.id).toBe('DATA_INPUT_PARSE');
    expect(e.message).toBe(
      'EURUSD_4h_spacing.csv: bars are 4h apart (median) but the timeframe given is 1h; check --timeframe',
    );
    await expect(readCsvBars(fixture('EURUSD_4h_spacing.csv'), options({ timeframe: '4h' }))).resolves.toMatchObject({
      bars: { length: 6 },
    });
  });

  it('a missing file is DATA_INPUT_MISSING; bad options are usage errors', async () => {
    expect((await failure(readCsvBars(fixture('nope.csv'), options()))).id).toBe('DATA_INPUT_MISSING');
    expect((await failure(readCsvBars(fixture('GBPUSD_plain_H1.csv'), options({ priceScale: 50 })))).id).toBe(
      'CORE_CLI_USAGE',
    );
    expect((await failure(readCsvBars(fixture('GBPUSD_plain_H1.csv'), options({ symbol: '--' })))).id).toBe(
      'CORE_CLI_USAGE',
    );
  });
});
