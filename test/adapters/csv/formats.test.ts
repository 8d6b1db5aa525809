import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { barChecksum, parseCsvBars, readCsvBars } from '../../../src/adapters/csv/index.js';
import { fixture, options, utc } from './csvTestKit.js';

const hourly = (start: string, n: number): number[] => Array.from({ length: n }, (_, i) => utc(start) + i * 3_600_000);

describe('csv formats', () => {
  it('reads an MT5 history export (tab, <DATE> <TIME> HH:MM, <TICKVOL> as volume)', async () => {
    const r = await readCsvBars(fixture('EURUSD_mt5_H1.tsv'), options({ tz: 'UTC' }));
    expect(r.format).toBe('mt5:tab');
    expect(r.bars.map((b) => b.ts_utc)).toEqual(hourly('2023-01-02T00:00:00', 5));
    expect(r.bars[0]).toMatchObject({ open: 1.0701, high: 1.0705, low: 1.0698, close: 1.0702, volume: 120 });
    expect(r.stats).toMatchObject({ lines: 6, parsed: 5, droppedInvalid: 0, duplicates: 0, outOfOrder: 0 });
  });

  it('reads an MT5 export with HH:MM:SS times and CRLF endings', async () => {
    const r = await readCsvBars(
      fixture('XAUUSD_mt5_H4_seconds.csv'),
      options({ symbol: 'XAUUSD', timeframe: '4h', tz: 'UTC' }),
    );
    expect(r.format).toBe('mt5:tab');
    expect(r.bars).toHaveLength(5);
    expect(r.bars[4]).toMatchObject({ ts_utc: utc('2023-01-02T16:00:00'), close: 1833.05, volume: 6411 });
  });

  it('reads HistData ASCII M1-style rows (semicolon, no header, YYYYMMDD HHMMSS); an all-zero volume is null', async () => {
    const r = await readCsvBars(
      fixture('DAT_ASCII_EURUSD_M15_2023.csv'),
      options({ timeframe: '15m', tz: 'Etc/GMT+5' }),
    );
    expect(r.format).toBe('histdata:semicolon');
    expect(r.bars[0]!.ts_utc).toBe(utc('2023-01-02T05:00:00'));
    expect(r.bars[1]!.ts_utc - r.bars[0]!.ts_utc).toBe(900_000);
    expect(r.bars.every((b) => b.volume === null)).toBe(true);
    expect(r.bars[0]!.metadata.ingest_seq).toBe(1);
  });

  it('reads the HistData MetaTrader form (comma, date and time columns, no header)', async () => {
    const r = await readCsvBars(fixture('DAT_MT_EURUSD_H1_2023.csv'), options({ tz: 'UTC' }));
    expect(r.format).toBe('histdata:comma');
    expect(r.bars.map((b) => b.ts_utc)).toEqual(hourly('2023-01-02T00:00:00', 5));
  });

  it('reads plain CSV with named columns, LF and CRLF alike', async () => {
    const lf = await readCsvBars(fixture('GBPUSD_plain_H1.csv'), options({ symbol: 'GBPUSD' }));
    const crlf = await readCsvBars(fixture('GBPUSD_plain_H1_crlf.csv'), options({ symbol: 'GBPUSD' }));
    expect(lf.format).toBe('header:comma');
    expect(lf.bars).toHaveLength(5);
    expect(crlf.bars.map((b) => ({ ...b, metadata: { ...b.metadata, symbol_source: '' } }))).toEqual(
      lf.bars.map((b) => ({ ...b, metadata: { ...b.metadata, symbol_source: '' } })),
    );
    expect(lf.bars[3]).toMatchObject({ open: 1.07, high: 1.0704, low: 1.0695, close: 1.0703, volume: 14 });
  });

  it('reads separate Date and Time columns (tab); no volume column gives null volume', async () => {
    const r = await readCsvBars(fixture('EURGBP_date_time_H1.tsv'), options({ symbol: 'EURGBP' }));
    expect(r.format).toBe('header:tab');
    expect(r.bars.map((b) => b.ts_utc)).toEqual(hourly('2023-01-02T00:00:00', 5));
    expect(r.bars.every((b) => b.volume === null)).toBe(true);
  });

  it('reads epoch seconds and epoch milliseconds in a ts column as UTC whatever the tz', async () => {
    const s = await readCsvBars(
      fixture('AUDUSD_epoch_s_H1.csv'),
      options({ symbol: 'AUDUSD', tz: 'America/New_York' }),
    );
    const ms = await readCsvBars(fixture('AUDUSD_epoch_ms_H1.csv'), options({ symbol: 'AUDUSD' }));
    expect(s.bars.map((b) => b.ts_utc)).toEqual(hourly('2023-01-02T00:00:00', 5));
    expect(ms.bars.map((b) => b.ts_utc)).toEqual(hourly('2023-01-02T00:00:00', 5));
    expect(s.bars[0]!.volume).toBeNull();
    expect(ms.bars.map((b) => b.volume)).toEqual([3, 4, 5, 6, 7]);
  });

  it('takes an ISO time with a Z suffix as UTC (no --tz, --tz UTC or --tz file); --tz EET disagrees and is refused', async () => {
    for (const tz of [undefined, 'UTC', 'file']) {
      const r = await readCsvBars(fixture('NZDUSD_iso_z_H1.csv'), options({ symbol: 'NZDUSD', tz }));
      expect(r.bars.map((b) => b.ts_utc)).toEqual(hourly('2023-01-02T00:00:00', 5));
    }
    await expect(readCsvBars(fixture('NZDUSD_iso_z_H1.csv'), options({ symbol: 'NZDUSD', tz: 'EET' }))).rejects.toThrow(
      /carries offset \+00:00, but --tz EET is \+02:00 at that instant: pass --tz file/,
    );
  });

  it('divides integer points by the price scale and rounds away binary noise', async () => {
    const r = await readCsvBars(
      fixture('XAUUSDh1_points.csv'),
      options({ symbol: 'XAUUSD', tz: 'EET', priceScale: 100 }),
    );
    expect(r.bars[0]).toMatchObject({
      ts_utc: utc('2023-01-01T23:00:00'),
      open: 1826.1,
      high: 1830.25,
      low: 1824.8,
      close: 1829.9,
      volume: 5012,
    });
    expect(r.bars[1]!.close).toBe(1833.45);
    expect(String(r.bars[1]!.close)).toBe('1833.45');
  });

  it('detects gzip by magic bytes, whatever the file is called', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-csv-'));
    const plain = readFileSync(fixture('GBPUSD_plain_H1.csv'));
    writeFileSync(join(dir, 'GBPUSD.csv.gz'), gzipSync(plain));
    writeFileSync(join(dir, 'GBPUSD.csv'), gzipSync(plain));
    const expected = (await readCsvBars(fixture('GBPUSD_plain_H1.csv'), options({ symbol: 'GBPUSD' }))).bars.map(
      (b) => b.metadata.checksum,
    );
    for (const name of ['GBPUSD.csv.gz', 'GBPUSD.csv']) {
      const r = await readCsvBars(join(dir, name), options({ symbol: 'GBPUSD' }));
      expect(r.bars.map((b) => b.metadata.checksum)).toEqual(expected);
    }
  });

  it('accepts a UTF-8 BOM, quoted fields and upper-case names', () => {
    const text =
      '\ufeff"DATETIME","OPEN","HIGH","LOW","CLOSE","VOLUME"\n"2023-01-02 00:00","1.1","1.2","1.0","1.15","7"\n';
    const r = parseCsvBars(text, 'quoted.csv', options());
    expect(r.bars[0]).toMatchObject({ ts_utc: utc('2023-01-02T00:00:00'), close: 1.15, volume: 7 });
  });

  it('decodes a UTF-16LE file with a byte-order mark (as some MetaTrader exports are)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-csv-'));
    const text = readFileSync(fixture('EURUSD_mt5_H1.tsv'), 'utf8');
    writeFileSync(
      join(dir, 'EURUSD_utf16.csv'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    );
    const r = await readCsvBars(join(dir, 'EURUSD_utf16.csv'), options({ tz: 'UTC' }));
    expect(r.format).toBe('mt5:tab');
    expect(r.bars).toHaveLength(5);
  });

  it('fills every canonical field and metadata as specified', async () => {
    const r = await readCsvBars(fixture('GBPUSD_plain_H1.csv'), options({ symbol: 'gbp/usd', ingestRunId: 'run-42' }));
    const b = r.bars[0]!;
    expect(b).toEqual({
      ts_utc: utc('2023-01-02T00:00:00'),
      symbol: 'GBPUSD',
      timeframe: '1h',
      open: 1.0701,
      high: 1.0705,
      low: 1.0698,
      close: 1.0702,
      volume: 10,
      quality_flag: 'ok',
      source_id: 'csv',
      ingest_run_id: 'run-42',
      metadata: {
        symbol_source: 'GBPUSD_plain_H1.csv',
        ingest_seq: 2,
        checksum: barChecksum(b.ts_utc, 1.0701, 1.0705, 1.0698, 1.0702, 10),
        provider_version: 'csv-1',
      },
    });
    expect(b.metadata.checksum).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is deterministic: the same file gives the same bars byte for byte', async () => {
    const a = await readCsvBars(
      fixture('XAUUSDh1_points.csv'),
      options({ symbol: 'XAUUSD', tz: 'EET', priceScale: 100 }),
    );
    const b = await readCsvBars(
      fixture('XAUUSDh1_points.csv'),
      options({ symbol: 'XAUUSD', tz: 'EET', priceScale: 100 }),
    );
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('keeps fromMs <= ts < toMs and counts the rest', async () => {
    const r = await readCsvBars(
      fixture('GBPUSD_plain_H1.csv'),
      options({ symbol: 'GBPUSD', fromMs: utc('2023-01-02T01:00:00'), toMs: utc('2023-01-02T03:00:00') }),
    );
    expect(r.bars.map((b) => b.ts_utc)).toEqual(hourly('2023-01-02T01:00:00', 2));
    expect(r.stats.outsideRange).toBe(3);
  });
});
