// pt ingest of MT4/MT5-style files (issue 14): the UTC grid (hh:05 rows, --snap, broker-clock H4),
// the forming last bar against the file's time, the FileWrite and <DTYYYYMMDD> layouts and MT4
// History Center names. Every file is synthetic, written here.
import { cpSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBarStore } from '../../src/adapters/duckdb/index.js';
import type { Timeframe } from '../../src/core/time.js';
import { repoRoot, runPt } from '../helpers/runPt.js';

let dir = '';
let n = 0;
const pt = (args: string[]) => runPt(['-c', join(repoRoot, 'config'), ...args], { HOME: dir }, dir);
/** The file's clock is always named (UTC unless the test gives --tz). */
const ingest = (path: string, timeframe: Timeframe, data: string, ...more: string[]) =>
  pt([
    'ingest',
    '--source',
    'csv',
    '--path',
    path,
    '--timeframe',
    timeframe,
    '--data-dir',
    data,
    ...(more.includes('--tz') ? [] : ['--tz', 'UTC']),
    ...more,
  ]);
const dataDir = () => join(dir, `data${n++}`);

const HOUR = 3_600_000;
const pad = (x: number) => String(x).padStart(2, '0');
/** `2024.03.04 10:05` of a wall-clock ms value. */
function mt(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}.${pad(d.getUTCMonth() + 1)}.${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
/** EURUSD-like OHLC of row i. */
function ohlc(i: number, base = 1.08): string {
  const o = base + i * 0.0001;
  return [o, o + 0.0005, o - 0.0005, o + 0.0002].map((x) => x.toFixed(5)).join(',');
}

function write(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function stored(data: string, symbol: string, timeframe: Timeframe): Promise<string[]> {
  const store = await openBarStore(data);
  try {
    const bars = await store.readBars(symbol, timeframe);
    return Array.from(bars.ts, (t) => new Date(t).toISOString().slice(0, 16));
  } finally {
    await store.close();
  }
}

/** Header `Date,Time,Open,High,Low,Close,Volume` (MT4 with a header) over rows at the given wall times. */
function mt4File(walls: number[]): string {
  return (
    'Date,Time,Open,High,Low,Close,Volume\n' +
    walls.map((w, i) => `${mt(w).replace(' ', ',')},${ohlc(i)},${100 + i}`).join('\n') +
    '\n'
  );
}

const MON = Date.UTC(2024, 2, 4); // Monday 2024-03-04
const hours = (from: number, count: number, minute = 0) =>
  Array.from({ length: count }, (_, i) => from + i * HOUR + minute * 60_000);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-grid-layouts-'));
});

describe('the UTC grid', () => {
  // An MT4 H1 file whose last rows are stamped hh:05 (the F11 pattern), on an EET clock.
  const late = () => [...hours(MON + 8 * HOUR, 6), ...hours(MON + 14 * HOUR, 4, 5)];

  it('hh:05 rows are refused without --snap, with the count, line numbers and file and UTC times', async () => {
    const path = write('EURUSD_late_H1.csv', mt4File(late()));
    const data = dataDir();
    const r = ingest(path, '1h', data, '--symbols', 'EURUSD', '--tz', 'EET');
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain(
      'EURUSD_late_H1.csv: 4 rows off the 1h UTC grid (a bar opens at a multiple of 1h since 1970-01-01 UTC), ' +
        'e.g. line 8: file time 2024-03-04 14:05 is 2024-03-04T12:05Z; line 9: file time 2024-03-04 15:05 is 2024-03-04T13:05Z; ' +
        'line 10: file time 2024-03-04 16:05 is 2024-03-04T14:05Z; they are 1–5 minutes late',
    );
    expect(r.stdout + r.stderr).toContain('add --snap');
    expect(await stored(data, 'EURUSD', '1h')).toEqual([]);
  });

  it('with --snap they are stored at hh:00 UTC, counted and printed', async () => {
    const path = write('EURUSD_late2_H1.csv', mt4File(late()));
    const data = dataDir();
    const r = ingest(path, '1h', data, '--symbols', 'EURUSD', '--tz', 'EET', '--snap');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'EURUSD: 4 rows of EURUSD_late2_H1.csv 1–5 minutes after the 1h grid moved down onto it (--snap)',
    );
    expect(r.stdout).toMatch(/EURUSD 1h: 10 rows fetched, 10 new.*snapped 4/);
    expect(await stored(data, 'EURUSD', '1h')).toEqual(
      hours(MON + 6 * HOUR, 10).map((t) => new Date(t).toISOString().slice(0, 16)),
    );
  });

  it('--snap refuses rows more than 5 minutes off, and a snap onto a bar of another file time', async () => {
    const data = dataDir();
    const half = write('EURUSD_half_H1.csv', mt4File([...hours(MON, 5), ...hours(MON + 5 * HOUR, 2, 30)]));
    const a = ingest(half, '1h', data, '--symbols', 'EURUSD', '--snap');
    expect(a.code).toBe(1);
    expect(a.stdout + a.stderr).toContain(
      'EURUSD_half_H1.csv: 2 rows off the 1h UTC grid (a bar opens at a multiple of 1h since 1970-01-01 UTC), e.g. line 7: file time 2024-03-04 05:30 is 2024-03-04T05:30Z',
    );
    expect(a.stdout + a.stderr).toContain(
      "--snap only moves rows 1–5 whole minutes after a grid point (MT4's hh:05 stamps)",
    );

    const both = write('EURUSD_both_H1.csv', mt4File([...hours(MON, 5), MON + 4 * HOUR + 5 * 60_000]));
    const b = ingest(both, '1h', data, '--symbols', 'EURUSD', '--snap');
    expect(b.code).toBe(1);
    expect(b.stdout + b.stderr).toContain(
      'EURUSD_both_H1.csv line 7: --snap would give line 6 (file time 2024-03-04 04:00) and line 7 (file time 2024-03-04 04:05) the same bar 2024-03-04T04:00Z',
    );
    expect(await stored(data, 'EURUSD', '1h')).toEqual([]);
  });

  it('a broker-clock H4 file (EET, 00/04/08… server time) is refused, pointing to pt resample', async () => {
    // Server 00:00, 04:00 … EET are 22:00, 02:00 … UTC in winter.
    const walls = Array.from({ length: 12 }, (_, i) => MON + i * 4 * HOUR);
    const path = write('EURUSD_H4.csv', mt4File(walls));
    const data = dataDir();
    const r = ingest(path, '4h', data, '--tz', 'EET', '--snap');
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toContain(
      'EURUSD_H4.csv: 12 of 12 rows sit on whole hours off the 4h UTC grid (00/04/08/12/16/20 UTC), e.g. line 2: file time 2024-03-04 00:00 is 2024-03-03T22:00Z',
    );
    expect(out).toContain(
      "this is an H4 export on a broker clock; ingest the broker's H1 file instead and run pt resample --source-timeframe 1h --timeframe 4h",
    );
    // The same rows on a UTC clock are on the grid.
    const ok = ingest(path, '4h', data, '--tz', 'UTC');
    expect(ok.code, ok.stderr).toBe(0);
    expect(await stored(data, 'EURUSD', '4h')).toHaveLength(12);
  });
});

describe('pt store repair --source csv takes --snap', () => {
  it('re-ingests a damaged month of an MT4 file with hh:05 rows only with --snap', async () => {
    // 2024-02-29 20:00 … 2024-03-01 05:00, the March rows stamped hh:05: two month partitions.
    const walls = [...hours(Date.UTC(2024, 1, 29, 20), 4), ...hours(Date.UTC(2024, 2, 1), 6, 5)];
    const path = write('EURUSD_repair_H1.csv', mt4File(walls));
    const data = dataDir();
    expect(ingest(path, '1h', data, '--symbols', 'EURUSD', '--snap').code).toBe(0);
    const march = join(data, 'canonical', '1h', 'EURUSD', '2024', '2024-03', 'EURUSD_2024-03.parquet');
    writeFileSync(march, 'not parquet');
    const copy = `${data}-copy`;
    cpSync(data, copy, { recursive: true });
    const repair = (dir: string, ...more: string[]) =>
      pt([
        'store',
        'repair',
        '--symbols',
        'EURUSD',
        '--timeframe',
        '1h',
        '--source',
        'csv',
        '--path',
        path,
        '--tz',
        'UTC',
        '--data-dir',
        dir,
        ...more,
      ]);

    const without = repair(copy);
    expect(without.code).toBe(1);
    expect(without.stdout + without.stderr).toContain('6 rows off the 1h UTC grid');

    const r = repair(data, '--snap');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 moved to quarantine and re-ingested from csv');
    expect(await stored(data, 'EURUSD', '1h')).toEqual(
      hours(Date.UTC(2024, 1, 29, 20), 10).map((t) => new Date(t).toISOString().slice(0, 16)),
    );
  });
});

describe('the forming last bar', () => {
  // Ten 1h bars, the newest opening at 09:00 UTC and closing at 10:00 UTC; every line terminated (as MT5 writes).
  const text = () => mt4File(hours(MON, 10));
  const newest = MON + 9 * HOUR;

  it('is dropped when the file was written before it closed, and the drop is printed', async () => {
    const path = write('EURUSD_forming_H1.csv', text());
    const written = new Date(newest + 30 * 60_000); // 09:30 UTC
    utimesSync(path, written, written);
    const data = dataDir();
    const r = ingest(path, '1h', data, '--symbols', 'EURUSD');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'EURUSD: newest bar 2024-03-04T09:00:00.000Z of EURUSD_forming_H1.csv dropped as still forming (it closes at 2024-03-04T10:00:00.000Z, after the file was written (2024-03-04T09:30:00.000Z, its modification time))',
    );
    expect(r.stdout).toMatch(/EURUSD 1h: 9 rows fetched, 9 new.*droppedOpenBar 1/);
    expect((await stored(data, 'EURUSD', '1h')).at(-1)).toBe('2024-03-04T08:00');
  });

  it('is kept when the file was written at or after its close; --drop-last drops it anyway', async () => {
    const path = write('EURUSD_closed_H1.csv', text());
    const written = new Date(newest + HOUR); // exactly its close
    utimesSync(path, written, written);
    const data = dataDir();
    const r = ingest(path, '1h', data, '--symbols', 'EURUSD');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('still forming');
    expect((await stored(data, 'EURUSD', '1h')).at(-1)).toBe('2024-03-04T09:00');

    const data2 = dataDir();
    const d = ingest(path, '1h', data2, '--symbols', 'EURUSD', '--drop-last');
    expect(d.code, d.stderr).toBe(0);
    expect(d.stderr).toContain('dropped as still forming (--drop-last)');
    expect((await stored(data2, 'EURUSD', '1h')).at(-1)).toBe('2024-03-04T08:00');
  });

  it('a gzip file is judged by its own modification time', async () => {
    const { gzipSync } = await import('node:zlib');
    const path = write('EURUSD_forming_H1.csv.gz', gzipSync(Buffer.from(text())));
    const written = new Date(newest + 59 * 60_000);
    utimesSync(path, written, written);
    const data = dataDir();
    const r = ingest(path, '1h', data, '--symbols', 'EURUSD');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('dropped as still forming (it closes at 2024-03-04T10:00:00.000Z');
    expect(await stored(data, 'EURUSD', '1h')).toHaveLength(9);
  });
});

describe('layouts', () => {
  it('the headerless 7-column form MQL FileWrite writes, UTF-16LE with a BOM (tick volume taken)', async () => {
    const rows = hours(MON, 8).map((t, i) => `${mt(t)},${ohlc(i)},${500 + i},0`);
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${rows.join('\r\n')}\r\n`, 'utf16le')]);
    const path = write('EURUSD_filewrite.csv', bytes);
    const data = dataDir();
    const r = ingest(path, '1h', data, '--symbols', 'EURUSD', '--tz', 'EET');
    expect(r.code, r.stderr).toBe(0);
    const store = await openBarStore(data);
    try {
      const bars = await store.readBars('EURUSD', '1h');
      expect(bars.ts[0]).toBe(MON - 2 * HOUR);
      expect(Array.from(bars.volume)).toEqual([500, 501, 502, 503, 504, 505, 506, 507]);
      expect(bars.open[3]).toBe(1.0803);
    } finally {
      await store.close();
    }
  });

  it('the same form with tabs', async () => {
    const rows = hours(MON, 6).map((t, i) => `${mt(t)}\t${ohlc(i).replace(/,/g, '\t')}\t${7 + i}\t0`);
    const path = write('tabs.csv', `${rows.join('\n')}\n`);
    const data = dataDir();
    const r = ingest(path, '1h', data, '--symbols', 'EURUSD');
    expect(r.code, r.stderr).toBe(0);
    expect(await stored(data, 'EURUSD', '1h')).toHaveLength(6);
  });

  it('a <DTYYYYMMDD>,<TIME> header reads the date and time columns', async () => {
    const rows = hours(MON, 6).map((t, i) => {
      const d = new Date(t).toISOString();
      return `${d.slice(0, 10).replace(/-/g, '')},${d.slice(11, 13)}0000,${ohlc(i)},${10 + i}`;
    });
    const path = write('dt.csv', `<DTYYYYMMDD>,<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>\n${rows.join('\n')}\n`);
    const data = dataDir();
    const r = ingest(path, '1h', data, '--symbols', 'EURUSD');
    expect(r.code, r.stderr).toBe(0);
    expect(await stored(data, 'EURUSD', '1h')).toEqual(
      hours(MON, 6).map((t) => new Date(t).toISOString().slice(0, 16)),
    );
  });

  describe('MT4 History Center names', () => {
    let mt4 = '';
    beforeAll(() => {
      mt4 = join(dir, 'mt4');
      mkdirSync(mt4);
      // Headerless MT4 form `2009.12.21,00:00,o,h,l,c,v`.
      const file = (walls: number[], base = 1.08) =>
        `${walls.map((w, i) => `${mt(w).replace(' ', ',')},${ohlc(i, base)},${100 + i}`).join('\r\n')}\r\n`;
      writeFileSync(join(mt4, 'EURUSD60.csv'), file(hours(MON, 12)));
      writeFileSync(join(mt4, 'EURUSD240.csv'), file(Array.from({ length: 6 }, (_, i) => MON + i * 4 * HOUR)));
      writeFileSync(join(mt4, 'EURUSD1440.csv'), file(Array.from({ length: 5 }, (_, i) => MON + i * 24 * HOUR)));
      writeFileSync(
        join(mt4, 'GBPUSD15.csv'),
        file(
          Array.from({ length: 8 }, (_, i) => MON + i * 900_000),
          1.27,
        ),
      );
    });

    it('folder mode takes symbol and timeframe from the names', async () => {
      const data = dataDir();
      const h1 = ingest(mt4, '1h', data);
      expect(h1.code, h1.stderr).toBe(0);
      expect(h1.stdout).toContain('EURUSD 1h: 12 rows fetched, 12 new');
      expect(h1.stdout).not.toContain('GBPUSD');
      const h4 = ingest(mt4, '4h', data);
      expect(h4.code, h4.stderr).toBe(0);
      expect(h4.stdout).toContain('EURUSD 4h: 6 rows fetched, 6 new');
      const m15 = ingest(mt4, '15m', data);
      expect(m15.code, m15.stderr).toBe(0);
      expect(m15.stdout).toContain('GBPUSD 15m: 8 rows fetched, 8 new');
      expect(await stored(data, 'EURUSD', '1h')).toHaveLength(12);
      expect(await stored(data, 'EURUSD', '4h')).toHaveLength(6);
    });

    it('--symbols EURUSD finds EURUSD60.csv for 1h and EURUSD240.csv for 4h', async () => {
      const data = dataDir();
      const h1 = ingest(mt4, '1h', data, '--symbols', 'EURUSD');
      expect(h1.code, h1.stderr).toBe(0);
      expect(h1.stdout).toContain('EURUSD 1h: 12 rows fetched, 12 new');
      const h4 = ingest(mt4, '4h', data, '--symbols', 'EURUSD');
      expect(h4.code, h4.stderr).toBe(0);
      expect(h4.stdout).toContain('EURUSD 4h: 6 rows fetched, 6 new');
      const none = ingest(mt4, '15m', data, '--symbols', 'EURUSD');
      expect(none.code).toBe(2);
      expect(none.stderr).toContain(
        `no 15m file for EURUSD in ${mt4}, only EURUSD1440.csv (daily), EURUSD240.csv (4h), EURUSD60.csv (1h)`,
      );
    });

    it('a single file: the name gives the symbol and must name --timeframe; MT4 daily is refused clearly', async () => {
      const data = dataDir();
      const ok = ingest(join(mt4, 'EURUSD60.csv'), '1h', data);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('EURUSD 1h: 12 rows fetched, 12 new');
      const wrong = ingest(join(mt4, 'EURUSD240.csv'), '1h', data);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain(
        'EURUSD240.csv: the file name says 4h but --timeframe is 1h; pass --timeframe 4h, or the 1h file',
      );
      const daily = ingest(join(mt4, 'EURUSD1440.csv'), '4h', data, '--symbols', 'EURUSD');
      expect(daily.code).toBe(2);
      expect(daily.stderr).toContain(
        "EURUSD1440.csv: the file name says daily, a timeframe pt does not use (15m, 1h, 4h); pass the broker's 4h file",
      );
    });
  });
});
