import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  inferSymbolFromFileName,
  inferTimeframeFromFileName,
  readCsvBars,
  ZoneClock,
  type CsvReadResult,
} from '../../../src/adapters/csv/index.js';
import type { Timeframe } from '../../../src/core/time.js';
import { REAL, utc } from './csvTestKit.js';

const EJ = join(REAL, 'ejtraderlabs-historical-data');
const SG = join(REAL, 'thesnowguru-gmt');

interface ProvenanceRow {
  file: string;
  rows: number;
  first: string;
  last: string;
}

/** The `## Files` table of a PROVENANCE.md: file, data rows, first and last bar (local clock). */
function provenance(dir: string): ProvenanceRow[] {
  return readFileSync(join(dir, 'PROVENANCE.md'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => l.split('|').map((c) => c.trim().replace(/`/g, '')))
    .map((c) => ({ file: c[1]!, rows: Number(c[6]), first: c[7]!, last: c[8]! }));
}

/** Digits of the ejtraderlabs point prices (PROVENANCE: 2 for XAUUSD, 3 for JPY crosses, 5 otherwise). */
function ejPriceScale(symbol: string): number {
  if (symbol === 'XAUUSD') return 100;
  return symbol.endsWith('JPY') ? 1000 : 100_000;
}

const wallUtc = (zone: string, local: string): number => ZoneClock.of(zone).toUtc(utc(local.replace(' ', 'T')));

describe('ejtraderlabs (EET broker clock, integer points, CRLF)', () => {
  const rows = provenance(EJ);
  it('lists 22 files', () => expect(rows).toHaveLength(22));

  // The h4 files open on the broker's 4h grid (22/02/06… UTC in winter, 21/01/05… in summer), off
  // pt's UTC grid: refused, pointing to pt resample from the h1 files.
  for (const row of rows.filter((r) => r.file.endsWith('h4.csv.gz'))) {
    it(`${row.file}: refused as a broker-clock H4 file, pointing to pt resample`, async () => {
      const symbol = inferSymbolFromFileName(row.file)!;
      await expect(
        readCsvBars(join(EJ, row.file), {
          symbol,
          timeframe: '4h',
          tz: 'EET',
          priceScale: ejPriceScale(symbol),
          ingestRunId: 'real',
        }),
      ).rejects.toThrow(
        `${row.file}: ${row.rows} of ${row.rows} rows sit on whole hours off the 4h UTC grid (00/04/08/12/16/20 UTC)`,
      );
    });
  }

  for (const row of rows.filter((r) => r.file.endsWith('h1.csv.gz'))) {
    it(`${row.file}: ${row.rows} bars, first and last bar at the right UTC time`, async () => {
      const symbol = inferSymbolFromFileName(row.file)!;
      const timeframe = inferTimeframeFromFileName(row.file)!;
      const r = await readCsvBars(join(EJ, row.file), {
        symbol,
        timeframe,
        tz: 'EET',
        priceScale: ejPriceScale(symbol),
        ingestRunId: 'real',
      });
      expect(r.format).toBe('header:comma');
      expect(r.stats).toMatchObject({
        parsed: row.rows,
        droppedInvalid: 0,
        duplicates: 0,
        outOfOrder: 0,
        droppedOpenBar: 0,
      });
      expect(r.bars).toHaveLength(row.rows);
      expect(r.bars[0]!.ts_utc).toBe(wallUtc('EET', row.first));
      expect(r.bars.at(-1)!.ts_utc).toBe(wallUtc('EET', row.last));
    });
  }

  it('XAUUSDh1 first bar: 2012-05-17 08:00 EEST is 05:00 UTC, 154759.0 points is 1547.59', async () => {
    const r = await readCsvBars(join(EJ, 'XAUUSDh1.csv.gz'), {
      symbol: 'XAUUSD',
      timeframe: '1h',
      tz: 'EET',
      priceScale: 100,
      ingestRunId: 'real',
    });
    expect(r.bars[0]).toMatchObject({
      ts_utc: utc('2012-05-17T05:00'),
      open: 1547.59,
      high: 1553.84,
      low: 1547.4,
      close: 1552.95,
      volume: 4418,
    });
    // Last bar 2022-03-04 23:00 EET (winter) is 21:00 UTC.
    expect(r.bars.at(-1)).toMatchObject({
      ts_utc: utc('2022-03-04T21:00'),
      open: 1967.3,
      close: 1969.74,
      volume: 2496,
    });
  });
});

describe('thesnowguru-gmt (GMT, tab, unterminated still-open last row)', () => {
  const rows = provenance(SG);
  it('lists 14 files', () => expect(rows).toHaveLength(14));

  for (const row of rows.filter((r) => !r.file.includes('_D1'))) {
    it(`${row.file}: ${row.rows} rows minus the open last bar`, async () => {
      const symbol = inferSymbolFromFileName(row.file)!;
      const timeframe = inferTimeframeFromFileName(row.file)!;
      const r = await readCsvBars(join(SG, row.file), { symbol, timeframe, tz: 'UTC', ingestRunId: 'real' });
      expect(r.format).toBe('header:tab');
      expect(r.stats).toMatchObject({
        parsed: row.rows,
        droppedInvalid: 0,
        duplicates: 0,
        outOfOrder: 0,
        droppedOpenBar: 1,
      });
      expect(r.bars).toHaveLength(row.rows - 1);
      expect(r.bars[0]!.ts_utc).toBe(utc(row.first.replace(' ', 'T')));
      expect(r.bars.at(-1)!.ts_utc).toBeLessThan(utc(row.last.replace(' ', 'T')));
    });
  }

  it('XAUUSD_H4 first bar and the last kept bar (the 08:00 export-day bar is dropped)', async () => {
    const r = await readCsvBars(join(SG, 'XAUUSD_H4.csv.gz'), {
      symbol: 'XAUUSD',
      timeframe: '4h',
      ingestRunId: 'real',
    });
    expect(r.bars[0]).toMatchObject({
      ts_utc: utc('2007-02-02T12:00'),
      open: 645.84,
      high: 647.483,
      low: 644.109,
      close: 644.994,
      volume: 30,
    });
    expect(r.bars.at(-1)).toMatchObject({ ts_utc: utc('2023-09-11T04:00'), open: 1923.235, close: 1926.355 });
  });

  it('a D1 file given a pt timeframe fails the spacing check', async () => {
    await expect(
      readCsvBars(join(SG, 'XAUUSD_D1.csv.gz'), { symbol: 'XAUUSD', timeframe: '4h', ingestRunId: 'real' }),
    ).rejects.toThrow('XAUUSD_D1.csv.gz: bars are 1d apart (median) but the timeframe given is 4h');
  });
});

describe('EET conversion checked against GMT data', () => {
  it('GBPUSD h1 (EET) opens match GBPUSD H4 (GMT) opens in winter and summer alike', async () => {
    const read = (path: string, timeframe: Timeframe, tz: string, priceScale?: number): Promise<CsvReadResult> =>
      readCsvBars(path, { symbol: 'GBPUSD', timeframe, tz, priceScale, ingestRunId: 'real' });
    const ej = await read(join(EJ, 'GBPUSDh1.csv.gz'), '1h', 'EET', 100_000);
    const sg = await read(join(SG, 'GBPUSD_H4.csv.gz'), '4h', 'UTC');
    const byTs = new Map(ej.bars.map((b) => [b.ts_utc, b.open]));
    for (const months of [
      [11, 0, 1],
      [5, 6, 7],
    ]) {
      const diffs = sg.bars
        .filter((b) => months.includes(new Date(b.ts_utc).getUTCMonth()) && byTs.has(b.ts_utc))
        .map((b) => Math.abs(b.open - byTs.get(b.ts_utc)!))
        .sort((a, b) => a - b);
      expect(diffs.length).toBeGreaterThan(3000);
      expect(diffs[diffs.length >> 1]).toBeLessThan(0.0002);
    }
  });
});
