// The reader's UTC grid rule (--snap's bounds on 15m too), the forming-last-bar rule against an
// export time, and the 7/8-column MetaTrader and <DTYYYYMMDD> layouts, on text written here.
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvBars, readCsvBars } from '../../../src/adapters/csv/index.js';
import { options, utc } from './csvTestKit.js';

const rows = (times: string[]) => times.map((t, i) => `${t},1.1,1.2,1.0,1.1${i}`).join('\n');
const csv = (times: string[], end = '\n') => `ts,open,high,low,close\n${rows(times)}${end}`;

describe('the UTC grid in the reader', () => {
  const late15 = ['2024-03-04 10:00', '2024-03-04 10:15', '2024-03-04 10:31', '2024-03-04 10:46', '2024-03-04 11:00'];

  it('15m rows 1 minute late: refused, then snapped with snap', () => {
    expect(() => parseCsvBars(csv(late15), 'q.csv', options({ timeframe: '15m' }))).toThrow(
      'q.csv: 2 rows off the 15m UTC grid (a bar opens at a multiple of 15m since 1970-01-01 UTC), e.g. line 4: file time 2024-03-04 10:31 is 2024-03-04T10:31Z; line 5: file time 2024-03-04 10:46 is 2024-03-04T10:46Z; they are 1–5 minutes late',
    );
    const r = parseCsvBars(csv(late15), 'q.csv', options({ timeframe: '15m', snap: true }));
    expect(r.stats.snapped).toBe(2);
    expect(r.bars.map((b) => b.ts_utc)).toEqual(
      ['10:00', '10:15', '10:30', '10:45', '11:00'].map((t) => utc(`2024-03-04T${t}`)),
    );
    // Prices and line numbers are the rows' own.
    expect(r.bars[2]).toMatchObject({ close: 1.12, metadata: { ingest_seq: 4 } });
  });

  it('snap takes 1 to 5 whole minutes only; seconds or 6 minutes stay errors', () => {
    const at = (t: string) => ['2024-03-04 10:00', '2024-03-04 11:00', t, '2024-03-04 13:00'];
    expect(parseCsvBars(csv(at('2024-03-04 12:05')), 's.csv', options({ snap: true })).stats.snapped).toBe(1);
    expect(parseCsvBars(csv(at('2024-03-04 12:01')), 's.csv', options({ snap: true })).stats.snapped).toBe(1);
    for (const bad of ['2024-03-04 12:06', '2024-03-04 12:05:30', '2024-03-04 12:59'])
      expect(() => parseCsvBars(csv(at(bad)), 's.csv', options({ snap: true }))).toThrow(
        /s\.csv: 1 row off the 1h UTC grid .* line 4: .*--snap only moves rows 1–5 whole minutes/,
      );
  });

  it('two lines of one off-grid file time are an ordinary duplicate after snap (the later wins)', () => {
    const r = parseCsvBars(
      csv(['2024-03-04 10:00', '2024-03-04 11:05', '2024-03-04 11:05', '2024-03-04 12:00']),
      'd.csv',
      options({ snap: true, lastBar: 'keep' }),
    );
    expect(r.stats).toMatchObject({ snapped: 2, duplicates: 1 });
    expect(r.bars[1]).toMatchObject({ ts_utc: utc('2024-03-04T11:00'), close: 1.12 });
  });

  it('a half-hour zone puts every hourly row off the grid: the error names --tz', () => {
    const times = ['2024-03-04 10:00', '2024-03-04 11:00', '2024-03-04 12:00', '2024-03-04 13:00'];
    expect(() => parseCsvBars(csv(times), 'k.csv', options({ tz: 'Asia/Kolkata', snap: true }))).toThrow(
      /k\.csv: 4 rows off the 1h UTC grid .* line 2: file time 2024-03-04 10:00 is 2024-03-04T04:30Z.*check --tz/,
    );
  });
});

describe('the forming last bar', () => {
  const times = ['2024-03-04 10:00', '2024-03-04 11:00', '2024-03-04 12:00', '2024-03-04 13:00'];
  const closeOfLast = utc('2024-03-04T14:00');

  it('auto drops it when it closes after the export time, keeps it at or after its close', () => {
    const before = parseCsvBars(csv(times), 'f.csv', options({ exportTimeMs: closeOfLast - 1 }));
    expect(before.stats.droppedOpenBar).toBe(1);
    expect(before.droppedOpenBar).toEqual({
      tsUtc: utc('2024-03-04T13:00'),
      reason: 'export-time',
      exportTimeMs: closeOfLast - 1,
    });
    expect(before.bars).toHaveLength(3);
    const at = parseCsvBars(csv(times), 'f.csv', options({ exportTimeMs: closeOfLast }));
    expect(at.stats.droppedOpenBar).toBe(0);
    expect(at.droppedOpenBar).toBeUndefined();
    expect(at.bars).toHaveLength(4);
  });

  it('keep never drops; drop always does; an unterminated last line drops whatever the time', () => {
    expect(parseCsvBars(csv(times), 'f.csv', options({ exportTimeMs: 0, lastBar: 'keep' })).bars).toHaveLength(4);
    expect(parseCsvBars(csv(times), 'f.csv', options({ lastBar: 'drop' })).droppedOpenBar?.reason).toBe('forced');
    const cut = parseCsvBars(csv(times, ''), 'f.csv', options({ exportTimeMs: closeOfLast + 86_400_000 }));
    expect(cut.droppedOpenBar?.reason).toBe('unterminated');
    // Without an export time (text in memory), a terminated file keeps its newest bar.
    expect(parseCsvBars(csv(times), 'f.csv', options()).bars).toHaveLength(4);
  });

  it("readCsvBars takes the file's modification time unless an export time is given", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-csv-mtime-'));
    const path = join(dir, 'EURUSD_H1.csv');
    writeFileSync(path, csv(times));
    const written = new Date(closeOfLast - 20 * 60_000);
    utimesSync(path, written, written);
    const r = await readCsvBars(path, options());
    expect(r.droppedOpenBar).toEqual({
      tsUtc: utc('2024-03-04T13:00'),
      reason: 'export-time',
      exportTimeMs: written.getTime(),
    });
    expect((await readCsvBars(path, options({ exportTimeMs: closeOfLast }))).bars).toHaveLength(4);
  });
});

describe('MetaTrader layouts', () => {
  it("MQL FileWrite's 7 columns: tick volume taken, real volume ignored", () => {
    const text = ['2021.03.22 10:00', '2021.03.22 11:00', '2021.03.22 12:00']
      .map((t, i) => `${t},1730.21000,1731.5,1729.0,1730.9,${547 + i},${9 - i}`)
      .join('\n');
    const r = parseCsvBars(`${text}\n`, 'fw.csv', options({ symbol: 'XAUUSD', tz: 'UTC' }));
    expect(r.format).toBe('histdata:comma');
    expect(r.bars.map((b) => b.volume)).toEqual([547, 548, 549]);
    expect(r.bars[0]).toMatchObject({ ts_utc: utc('2021-03-22T10:00'), open: 1730.21, close: 1730.9 });
  });

  it('date and time in two columns with tick and real volume (8 columns)', () => {
    const text = ['10:00', '11:00', '12:00']
      .map((t, i) => `2021.03.22\t${t}\t1.1\t1.2\t1.0\t1.1\t${70 + i}\t0`)
      .join('\n');
    const r = parseCsvBars(`${text}\n`, 'eight.csv', options({ tz: 'UTC' }));
    expect(r.format).toBe('histdata:tab');
    expect(r.bars.map((b) => b.volume)).toEqual([70, 71, 72]);
  });

  it('a <DTYYYYMMDD>,<TIME> header: the date column is the date, HHMMSS the time', () => {
    const text =
      '<DTYYYYMMDD>,<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>\n' +
      '20130717,000000,1280.1,1281.0,1279.5,1280.5,10\n20130717,010000,1280.5,1282.0,1280.0,1281.5,11\n';
    const r = parseCsvBars(text, 'dt.csv', options({ symbol: 'XAUUSD', tz: 'UTC' }));
    expect(r.format).toBe('mt5:comma');
    expect(r.bars.map((b) => b.ts_utc)).toEqual([utc('2013-07-17T00:00'), utc('2013-07-17T01:00')]);
  });

  it('other column counts are still refused, naming both headerless forms', () => {
    expect(() => parseCsvBars('2021.03.22 10:00,1,1,1,1,1,1,1\n', 'x.csv', options())).toThrow(
      'x.csv line 1: no header and 8 columns: expected date-time;open;high;low;close[;tickvolume[;volume]] or date,time,open,high,low,close[,tickvolume[,volume]]',
    );
  });
});
