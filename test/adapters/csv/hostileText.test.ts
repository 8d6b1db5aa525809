// Files pt reads but cannot use, each with a message that names the real cause (issue 13, probe
// #6, #7, #10, #17, #40): a file with no valid row, UTF-16 it does not decode, CR-only line ends,
// day-first dates.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvBars, readCsvBars } from '../../../src/adapters/csv/index.js';
import { PtError } from '../../../src/core/ptError.js';
import { options } from './csvTestKit.js';

const tmp = mkdtempSync(join(tmpdir(), 'pt-csv-hostile-'));

/** `good.csv` of the probe: hourly bars from 2023-01-02 00:00, `ts,open,high,low,close,volume`. */
function goodLines(
  n: number,
  price: (i: number) => [number, number, number, number] = () => [100, 100.05, 99.95, 100],
) {
  const lines = ['ts,open,high,low,close,volume'];
  for (let i = 0; i < n; i++) {
    const t = new Date(Date.UTC(2023, 0, 2, i)).toISOString().slice(0, 19).replace('T', ' ');
    lines.push(`${t},${price(i).join(',')},10`);
  }
  return lines;
}

async function failure(path: string): Promise<PtError> {
  const error = await readCsvBars(path, options()).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PtError);
  return error as PtError;
}

function write(name: string, bytes: Buffer | string): string {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
}

describe('a file with no valid row is DATA_INPUT_INVALID (it stored nothing and said nothing)', () => {
  it('every price negative: the count, the reason and its first line', async () => {
    const path = write('allneg.csv', `${goodLines(200, () => [-100, -99.95, -100.05, -100]).join('\n')}\n`);
    const e = await failure(path);
    expect(e.id).toBe('DATA_INPUT_INVALID');
    expect(e.message).toBe(
      'allneg.csv: all 200 rows are invalid: 200 with a zero or negative price (first line 2); nothing to store',
    );
  });

  it('mixed reasons are each counted with their first line', () => {
    const lines = goodLines(5, (i) => (i % 2 === 0 ? [0, 1, 0, 1] : [100, 99, 101, 100]));
    expect(() => parseCsvBars(`${lines.join('\n')}\n`, 'mixed.csv', options())).toThrow(
      'mixed.csv: all 5 rows are invalid: 3 with a zero or negative price (first line 2), 2 with high/low not enclosing open and close (first line 3); nothing to store',
    );
  });

  it('one valid row among invalid ones is still stored (invalid rows are dropped and counted)', () => {
    const lines = goodLines(5, (i) => (i === 3 ? [100, 100.05, 99.95, 100] : [-1, -1, -1, -1]));
    const r = parseCsvBars(`${lines.join('\n')}\n`, 'one.csv', options({ lastBar: 'keep' }));
    expect(r.bars).toHaveLength(1);
    expect(r.stats.droppedInvalid).toBe(4);
  });
});

describe('text pt does not decode says what it is', () => {
  const text = `${goodLines(20).join('\n')}\n`;

  it('UTF-16BE with a byte-order mark', async () => {
    const be = Buffer.from(text, 'utf16le').swap16();
    const e = await failure(write('utf16be_bom.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), be])));
    expect(e.id).toBe('DATA_INPUT_PARSE');
    expect(e.message).toBe('utf16be_bom.csv: unsupported text encoding (UTF-16BE): save the file as UTF-8');
  });

  it('UTF-16LE and UTF-16BE without a byte-order mark', async () => {
    const le = await failure(write('utf16le_nobom.csv', Buffer.from(text, 'utf16le')));
    expect(le.message).toBe(
      'utf16le_nobom.csv: unsupported text encoding (UTF-16LE without a byte-order mark): save the file as UTF-8',
    );
    const be = await failure(write('utf16be_nobom.csv', Buffer.from(text, 'utf16le').swap16()));
    expect(be.message).toBe(
      'utf16be_nobom.csv: unsupported text encoding (UTF-16BE without a byte-order mark): save the file as UTF-8',
    );
  });

  it('UTF-16LE with its byte-order mark is still read; real binary is still binary', async () => {
    const r = await readCsvBars(
      write('utf16le_bom.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])),
      options({ lastBar: 'keep' }),
    );
    expect(r.bars).toHaveLength(20);
    const bin = Buffer.alloc(4096);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 7919) % 251;
    expect((await failure(write('garbage.csv', bin))).message).toMatch(/^garbage\.csv line \d+: binary content/);
  });

  it('CR-only line ends (old Mac) are named, not "no data rows after the header"', async () => {
    const e = await failure(write('cr_only.csv', text.replace(/\n/g, '\r')));
    expect(e.message).toBe(
      'cr_only.csv line 1: lines end with CR only (old Mac format): save the file with LF or CRLF line ends',
    );
    // CRLF stays fine
    expect(parseCsvBars(text.replace(/\n/g, '\r\n'), 'crlf.csv', options({ lastBar: 'keep' })).bars).toHaveLength(20);
  });

  it('a day-first date is called ambiguous, with the ISO form to use', () => {
    const dayFirst = text.replace(/^2023-01-02 (\d\d:\d\d:\d\d)/gm, '02/01/2023 $1');
    expect(() => parseCsvBars(dayFirst, 'dayfirst.csv', options())).toThrow(
      'dayfirst.csv line 2: ambiguous day-first or month-first date "02/01/2023 00:00:00": use ISO YYYY-MM-DD',
    );
    // Other bad dates keep their message
    expect(() => parseCsvBars(text.replace('2023-01-02 03:00:00', '2023-02-30 03:00:00'), 'd.csv', options())).toThrow(
      'd.csv line 5: unparseable date "2023-02-30 03:00:00"',
    );
  });
});
