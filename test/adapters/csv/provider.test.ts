import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createCsvProvider,
  describeFileNameTimeframe,
  inferSymbolFromFileName,
  inferTimeframeFromFileName,
  listCsvFiles,
} from '../../../src/adapters/csv/index.js';
import type { CanonicalBar } from '../../../src/model/bar.js';
import { fixture, REAL, utc } from './csvTestKit.js';

describe('file names', () => {
  it.each([
    ['XAUUSDh1.csv.gz', 'XAUUSD', '1h'],
    ['XAUUSD_H4.csv.gz', 'XAUUSD', '4h'],
    ['BRENTCMDUSD_H1.csv.gz', 'BRENTCMDUSD', '1h'],
    ['/some/dir/eurusd-m15.csv', 'EURUSD', '15m'],
    ['DAT_ASCII_EURUSD_M1_2023.csv', 'EURUSD', null],
    ['XAGUSD_D1.csv.gz', 'XAGUSD', null],
    ['GBPUSD.txt', 'GBPUSD', null],
    // MT4 History Center: the period in minutes glued to the symbol.
    ['EURUSD60.csv', 'EURUSD', '1h'],
    ['EURUSD240.csv', 'EURUSD', '4h'],
    ['XAUUSD15.csv', 'XAUUSD', '15m'],
    ['EURUSD1440.csv', 'EURUSD', null],
    ['XAUUSDm15.csv', 'XAUUSD', '15m'],
    ['EURUSDh1.csv', 'EURUSD', '1h'],
    ['EURUSD1.csv', 'EURUSD', null],
    ['XAUUSD5.csv', 'XAUUSD', null],
    // Index names with digits stay symbols (fewer than six letters before the digits).
    ['US30.csv', 'US30', null],
    ['NAS100_H1.csv', 'NAS100', '1h'],
  ])('%s → %s %s', (name, symbol, timeframe) => {
    expect(inferSymbolFromFileName(name)).toBe(symbol);
    expect(inferTimeframeFromFileName(name)).toBe(timeframe);
  });

  it.each([
    ['EURUSD1440.csv', 'daily'],
    ['EURUSD1.csv', '1-minute'],
    ['XAUUSD_D1.csv', 'daily'],
    ['EURUSD60.csv', '1h'],
    ['prices.csv', null],
  ])('%s names the timeframe %s', (name, said) => expect(describeFileNameTimeframe(name)).toBe(said));

  it('returns null when no symbol can be read', () => expect(inferSymbolFromFileName('H1.csv')).toBeNull());
});

describe('listCsvFiles', () => {
  it('lists .csv/.tsv/.txt[.gz] files of a folder, sorted; a file lists itself', () => {
    const dir = fixture('folder');
    expect(listCsvFiles(dir)).toEqual(
      ['EURUSDh1.tsv', 'GBPUSD_H1.csv', 'XAUUSD_D1.csv', 'XAUUSD_H4.csv'].map((n) => join(dir, n)),
    );
    expect(listCsvFiles(fixture('GBPUSD_plain_H1.csv'))).toEqual([fixture('GBPUSD_plain_H1.csv')]);
  });

  it('a missing path is DATA_INPUT_MISSING', () => {
    expect(() => listCsvFiles(fixture('no-such-folder'))).toThrow(
      expect.objectContaining({ id: 'DATA_INPUT_MISSING' }),
    );
  });

  it('finds all 22 + 14 real files', () => {
    expect(listCsvFiles(join(REAL, 'ejtraderlabs-historical-data'))).toHaveLength(22);
    expect(listCsvFiles(join(REAL, 'thesnowguru-gmt'))).toHaveLength(14);
  });
});

describe('createCsvProvider', () => {
  const provider = createCsvProvider({ path: fixture('folder'), tz: 'UTC', ingestRunId: 'run-p' });

  it('implements the port over a folder, symbols from file names', async () => {
    expect(provider.id).toBe('csv');
    expect((await provider.listSymbols()).map((s) => s.symbol)).toEqual(['EURUSD', 'GBPUSD', 'XAUUSD']);
    expect(provider.capabilities()).toMatchObject({
      timeframes: ['15m', '1h', '4h'],
      assets: ['EURUSD', 'GBPUSD', 'XAUUSD'],
      streaming: false,
    });
    expect(provider.rateLimit().restQps).toBeGreaterThan(0);
    expect(await provider.healthCheck()).toMatchObject({ status: 'ok', details: { files: 4 } });
  });

  it('fetchTimeSeries keeps start <= ts < end, ascending, capped by limit (earliest first)', async () => {
    const bars = await provider.fetchTimeSeries('GBPUSD', '1h', utc('2023-01-02T01:00'), utc('2023-01-02T04:00'));
    expect(bars.map((b) => b.ts_utc)).toEqual([1, 2, 3].map((h) => utc(`2023-01-02T0${h}:00`)));
    expect(bars[0]).toMatchObject({ symbol: 'GBPUSD', source_id: 'csv', ingest_run_id: 'run-p' });
    expect(await provider.fetchTimeSeries('GBPUSD', '1h', 0, Number.MAX_SAFE_INTEGER, 2)).toHaveLength(2);
  });

  it('picks the file whose name matches the timeframe (the D1 file is never read)', async () => {
    const bars = await provider.fetchTimeSeries('XAUUSD', '4h', 0, Number.MAX_SAFE_INTEGER);
    expect(bars).toHaveLength(5);
    await expect(provider.fetchTimeSeries('XAUUSD', '1h', 0, Number.MAX_SAFE_INTEGER)).rejects.toMatchObject({
      id: 'DATA_INPUT_MISSING',
    });
    await expect(provider.fetchTimeSeries('USDJPY', '1h', 0, Number.MAX_SAFE_INTEGER)).rejects.toMatchObject({
      id: 'DATA_INPUT_MISSING',
    });
  });

  it('streamBars replays each symbol in order, then resolves with a closable stream', async () => {
    const seen: CanonicalBar[] = [];
    const stream = await provider.streamBars(['EURUSD', 'GBPUSD'], '1h', (b) => seen.push(b));
    expect(seen.map((b) => b.symbol)).toEqual([...Array(5).fill('EURUSD'), ...Array(5).fill('GBPUSD')]);
    expect(seen.slice(0, 5).every((b, i, a) => i === 0 || b.ts_utc > a[i - 1]!.ts_utc)).toBe(true);
    await expect(stream.close()).resolves.toBeUndefined();
  });

  it('a single file with an explicit symbol, and a per-symbol price scale', async () => {
    const single = createCsvProvider({
      path: fixture('XAUUSDh1_points.csv'),
      symbol: 'xauusd',
      tz: 'EET',
      priceScale: { XAUUSD: 100 },
    });
    const bars = await single.fetchTimeSeries('XAUUSD', '1h', 0, Number.MAX_SAFE_INTEGER);
    expect(bars[0]).toMatchObject({ ts_utc: utc('2023-01-01T23:00'), open: 1826.1, ingest_run_id: 'csv' });
  });

  it('healthCheck reports a missing path as down', async () => {
    expect((await createCsvProvider({ path: fixture('missing') }).healthCheck()).status).toBe('down');
  });
});
