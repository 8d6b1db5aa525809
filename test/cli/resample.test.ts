// pt resample: UTC-grid buckets from stored bars of a shorter timeframe, checked against OHLC computed by hand.
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBarStore } from '../../src/adapters/duckdb/index.js';
import type { Timeframe } from '../../src/core/time.js';
import { runPt } from '../helpers/runPt.js';
import { csvIngestArgs } from '../helpers/ingestArgs.js';

const csvIngest = (path: string, symbol: string, tf: Timeframe, dataDir: string) =>
  runPt(csvIngestArgs(path, symbol, tf, dataDir, '--tz', 'UTC'));

/** `pt resample` of `symbol` from `source` to `target` bars in `data`, then any further flags. */
const resample = (data: string, source: string, target: string, symbol: string, ...more: string[]) =>
  runPt([
    'resample',
    '--source-timeframe',
    source,
    '--timeframe',
    target,
    '--symbols',
    symbol,
    '--data-dir',
    data,
    ...more,
  ]);

function writeCsv(dir: string, name: string, rows: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `ts,open,high,low,close,volume\n${rows.join('\n')}\n`);
  return path;
}

async function rows(dataDir: string, symbol: string, tf: Timeframe) {
  const store = await openBarStore(dataDir);
  try {
    return await store.readRows(symbol, tf);
  } finally {
    await store.close();
  }
}

/** Every bar file under `dir` with its bytes (the watermark notes each run's time, so it is left out). */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!name.endsWith('.lock') && name !== '__meta.json') out.set(p, readFileSync(p).toString('base64'));
    }
  };
  walk(dir);
  return out;
}

describe('pt resample', () => {
  // Tuesday 2024-03-05 (an unlisted symbol trades on the FX calendar, 24 h on weekdays).
  const hourly = [
    '2024-03-05 00:00,10,11,9.5,10.5,1',
    '2024-03-05 01:00,10.5,12,10,11,2',
    '2024-03-05 02:00,11,11.5,8,9,',
    '2024-03-05 03:00,9,10,8.5,9.5,4',
    // 04:00 and 06:00 absent: a partial bucket, built from the two bars present; no volume known.
    '2024-03-05 05:00,9.5,9.8,9.2,9.6,',
    '2024-03-05 07:00,9.6,10.1,9.6,10,',
    // The 08:00 bucket is still forming: the newest bar closes at 10:00, the bucket at 12:00.
    '2024-03-05 08:00,10,10.2,9.9,10.1,5',
    '2024-03-05 09:00,10.1,10.3,10,10.2,5',
  ];

  it('builds 4h bars from 1h bars: hand-computed OHLC, a partial bucket, the forming tail left out, re-run a no-op', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-resample-'));
    const data = join(dir, 'data');
    expect(csvIngest(writeCsv(dir, 'rsa.csv', hourly), 'RSA', '1h', data).code).toBe(0);
    const r = resample(data, '1h', '4h', 'RSA');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('RSA 4h: 2 rows fetched, 2 new, 0 updated, 0 deduped');
    expect(r.stdout).toContain('partialBuckets 1');
    expect(r.stdout).toContain('forming 1');
    const got = await rows(data, 'RSA', '4h');
    expect(
      got.map((b) => [new Date(b.ts_utc).toISOString(), b.open, b.high, b.low, b.close, b.volume, b.quality_flag]),
    ).toEqual([
      ['2024-03-05T00:00:00.000Z', 10, 12, 8, 9.5, 7, 'resampled'],
      ['2024-03-05T04:00:00.000Z', 9.5, 10.1, 9.2, 10, null, 'resampled'],
    ]);
    expect(got[0]!.source_id).toBe('resample-1h');
    expect(got[0]!.metadata.provider_version).toBe('resample 1h→4h');

    const before = snapshot(data);
    expect([...before.keys()].some((p) => p.includes('/4h/RSA/'))).toBe(true);
    const again = resample(data, '1h', '4h', 'RSA');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('RSA 4h: 0 rows fetched');
    // Rebuilt over the same range (--full passes the watermark): every bucket is found identical and kept as stored.
    const ranged = runPt([
      'resample',
      '--full',
      '--source-timeframe',
      '1h',
      '--timeframe',
      '4h',
      '--symbols',
      'RSA',
      '--from',
      '2024-03-05',
      '--to',
      '2024-03-06',
      '--data-dir',
      data,
    ]);
    expect(ranged.code).toBe(0);
    expect(ranged.stdout).toContain('RSA 4h: 2 rows fetched, 0 new, 0 updated, 2 deduped');
    const after = snapshot(data);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [path, bytes] of before) expect(after.get(path), path).toBe(bytes);

    // The forming bucket is written once its last hour is stored.
    const more = writeCsv(dir, 'rsa2.csv', [
      '2024-03-05 10:00,10.2,10.4,10.1,10.3,1',
      '2024-03-05 11:00,10.3,10.35,9.7,9.8,1',
    ]);
    expect(csvIngest(more, 'RSA', '1h', data).code).toBe(0);
    const next = resample(data, '1h', '4h', 'RSA');
    expect(next.code).toBe(0);
    const tail = (await rows(data, 'RSA', '4h')).at(-1)!;
    expect([new Date(tail.ts_utc).toISOString(), tail.open, tail.high, tail.low, tail.close, tail.volume]).toEqual([
      '2024-03-05T08:00:00.000Z',
      10,
      10.4,
      9.7,
      9.8,
      12,
    ]);
  });

  it("writes the Friday 20:00 UTC bucket once Friday's last trading hour is stored (the weekly close ends it)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-resample-'));
    const data = join(dir, 'data');
    // Friday 2024-03-01 (New York on winter time: the week closes at 22:00 UTC), 20:00 stored only.
    const friday = ['2024-03-01 16:00,10,11,9.5,10.5,1', '2024-03-01 17:00,10.5,12,10,11,2'];
    friday.push('2024-03-01 18:00,11,11.5,8,9,3', '2024-03-01 19:00,9,10,8.5,9.5,4');
    friday.push('2024-03-01 20:00,9.5,9.8,9.2,9.6,5');
    expect(csvIngest(writeCsv(dir, 'fri.csv', friday), 'RSF', '1h', data).code).toBe(0);
    const args = ['resample', '--source-timeframe', '1h', '--timeframe', '4h', '--symbols', 'RSF', '--data-dir', data];
    const first = runPt(args);
    expect(first.code).toBe(0);
    // 21:00 still trades: the 20:00 bucket is forming.
    expect(first.stdout).toContain('forming 1');
    expect((await rows(data, 'RSF', '4h')).map((b) => new Date(b.ts_utc).toISOString())).toEqual([
      '2024-03-01T16:00:00.000Z',
    ]);
    // Friday's last hour stored: the rest of the bucket (22:00-24:00) lies in the weekly close.
    expect(csvIngest(writeCsv(dir, 'fri2.csv', ['2024-03-01 21:00,9.6,9.9,9.4,9.7,6']), 'RSF', '1h', data).code).toBe(
      0,
    );
    const second = runPt(args);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('RSF 4h: 1 rows fetched, 1 new');
    expect(second.stdout).not.toContain('forming');
    const got = await rows(data, 'RSF', '4h');
    expect(got.map((b) => [new Date(b.ts_utc).toISOString(), b.open, b.high, b.low, b.close, b.volume])).toEqual([
      ['2024-03-01T16:00:00.000Z', 10, 12, 8, 9.5, 10],
      ['2024-03-01T20:00:00.000Z', 9.5, 9.9, 9.2, 9.7, 11],
    ]);
    // A re-run writes nothing more.
    expect(runPt(args).stdout).toContain('RSF 4h: 0 rows fetched');
  });

  it('builds 1h bars from 15m bars on the UTC grid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-resample-'));
    const data = join(dir, 'data');
    const quarter = [
      '2024-03-05 10:00,1.1000,1.1010,1.0995,1.1005,3',
      '2024-03-05 10:15,1.1005,1.1020,1.1001,1.1018,3',
      '2024-03-05 10:30,1.1018,1.1019,1.0990,1.0992,3',
      '2024-03-05 10:45,1.0992,1.1003,1.0985,1.1001,3',
      '2024-03-05 11:00,1.1001,1.1004,1.0999,1.1002,1',
      '2024-03-05 11:15,1.1002,1.1006,1.1000,1.1003,1',
      '2024-03-05 11:30,1.1003,1.1003,1.0994,1.0996,1',
      '2024-03-05 11:45,1.0996,1.1000,1.0991,1.0998,1',
    ];
    expect(csvIngest(writeCsv(dir, 'rsq.csv', quarter), 'RSQ', '15m', data).code).toBe(0);
    const r = resample(data, '15m', '1h', 'RSQ');
    expect(r.code).toBe(0);
    const got = await rows(data, 'RSQ', '1h');
    expect(got.map((b) => [new Date(b.ts_utc).toISOString(), b.open, b.high, b.low, b.close, b.volume])).toEqual([
      ['2024-03-05T10:00:00.000Z', 1.1, 1.102, 1.0985, 1.1001, 12],
      ['2024-03-05T11:00:00.000Z', 1.1001, 1.1006, 1.0991, 1.0998, 4],
    ]);
  });

  it('fails a symbol with no stored bars of the source timeframe, naming what to ingest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-resample-'));
    const data = join(dir, 'data');
    expect(csvIngest(writeCsv(dir, 'rsa.csv', hourly), 'RSA', '1h', data).code).toBe(0);
    const r = resample(data, '15m', '4h', 'RSA');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'no stored 15m bars of RSA to resample: ingest them first (pt ingest --symbols RSA --timeframe 15m), or check --source-timeframe',
    );
  });

  it('refuses a source timeframe that does not divide the target (or is not shorter)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-resample-'));
    for (const [src, tf] of [
      ['4h', '1h'],
      ['1h', '1h'],
    ]) {
      const r = runPt([
        'resample',
        '--source-timeframe',
        src!,
        '--timeframe',
        tf!,
        '--symbols',
        'RSA',
        '--data-dir',
        dir,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `ERROR CORE_CLI_USAGE: cannot resample ${src} into ${tf}: --source-timeframe must be shorter than --timeframe and divide it (15m→1h, 15m→4h, 1h→4h)`,
      );
    }
  });
});
