import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWatchLegFeed, readCsvBars, type WatchLegFeedOptions } from '../../../src/adapters/csv/index.js';
import type { PtError } from '../../../src/core/ptError.js';
import type { LegBar, LegBarFeed } from '../../../src/ports/legBarFeed.js';
import { utc } from './csvTestKit.js';

const HOUR = 3_600_000;
const POLL_MS = 10;

interface Run {
  dir: string;
  feed: LegBarFeed;
  bars: LegBar[];
  infos: Record<string, unknown>[];
  warns: Record<string, unknown>[];
  errors: Record<string, unknown>[];
  clock: { ms: number };
  of(symbol: string): LegBar[];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pt-watch-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A feed on `dir` with an injected clock that the test moves, and everything it delivers and logs. */
function watch(dir: string, startMs: number, extra: Partial<WatchLegFeedOptions> = {}): Run {
  const clock = { ms: startMs };
  const run: Run = {
    dir,
    bars: [],
    infos: [],
    warns: [],
    errors: [],
    clock,
    of: (symbol) => run.bars.filter((b) => b.symbol === symbol),
    feed: createWatchLegFeed({
      dir,
      timeframe: '1h',
      pollMs: POLL_MS,
      now: () => clock.ms,
      log: {
        info: (e) => run.infos.push(e as Record<string, unknown>),
        warn: (e) => run.warns.push(e as Record<string, unknown>),
        error: (e) => run.errors.push(e as Record<string, unknown>),
      },
      ...extra,
    }),
  };
  cleanups.unshift(() => run.feed.close());
  return run;
}

/** `time,open,…` text of hourly bars, each close = open + 0.01·k so every bar differs. */
function hourly(fromIso: string, count: number, base = 1.1): string {
  return Array.from({ length: count }, (_, k) => row(utc(fromIso) + k * HOUR, base + k / 100)).join('');
}

function row(ts: number, open: number, close = open + 0.005): string {
  const hi = Math.max(open, close) + 0.002;
  const lo = Math.min(open, close) - 0.002;
  const iso = new Date(ts).toISOString().slice(0, 16).replace('T', ' ');
  return `${iso},${open.toFixed(5)},${hi.toFixed(5)},${lo.toFixed(5)},${close.toFixed(5)}\n`;
}

const HEADER = 'time,open,high,low,close\n';
const times = (bars: LegBar[]): string[] => bars.map((b) => new Date(b.tsMs).toISOString().slice(0, 16));

/** Generous for a loaded machine: each poll is 10 ms. */
const eventually = (check: () => void) => vi.waitFor(check, { timeout: 5000, interval: 5 });

/** Waits a few polls (for checks that something does not happen, after a sentinel that does). */
const polls = (n: number) => new Promise((resolve) => setTimeout(resolve, n * POLL_MS));

describe('watched CSV folder (pt live --watch)', () => {
  it('delivers the closed bars of two symbols ascending, and an open bar once its close has passed', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'XAUUSD_H1.csv'), HEADER + hourly('2024-01-02T06:00', 5, 2050));
    writeFileSync(join(dir, 'XAGUSD_H1.csv'), HEADER + hourly('2024-01-02T08:00', 3, 23));
    const run = watch(dir, utc('2024-01-02T10:30'));
    await run.feed.start(['XAUUSD', 'xag/usd'], utc('2024-01-02T07:00'), (b) => run.bars.push(b));

    // At 10:30 the 10:00 bars are open; 06:00 is before fromMs.
    expect(times(run.of('XAUUSD'))).toEqual(['2024-01-02T07:00', '2024-01-02T08:00', '2024-01-02T09:00']);
    expect(times(run.of('XAGUSD'))).toEqual(['2024-01-02T08:00', '2024-01-02T09:00']);
    expect(run.bars.every((b) => !b.revised)).toBe(true);
    expect(run.of('XAUUSD')[0]).toMatchObject({ open: 2050.01, close: 2050.015 });

    const mtime = statSync(join(dir, 'XAUUSD_H1.csv')).mtimeMs;
    await polls(5);
    expect(run.bars).toHaveLength(5);
    run.clock.ms = utc('2024-01-02T11:00');
    await eventually(() => expect(run.bars).toHaveLength(7));
    expect(times(run.of('XAUUSD')).at(-1)).toBe('2024-01-02T10:00');
    expect(times(run.of('XAGUSD')).at(-1)).toBe('2024-01-02T10:00');
    expect(statSync(join(dir, 'XAUUSD_H1.csv')).mtimeMs).toBe(mtime);
    expect(run.warns).toEqual([]);
  });

  it('delivers appended lines once across polls; a rewritten recent bar comes again as revised, an old one not', async () => {
    const dir = tempDir();
    const file = join(dir, 'EURUSDh1.csv');
    const t0 = utc('2024-03-04T00:00');
    const lines = Array.from({ length: 6 }, (_, k) => row(t0 + k * HOUR, 1.08 + k / 1000));
    writeFileSync(file, HEADER + lines.slice(0, 4).join(''));
    const run = watch(dir, utc('2024-03-05T00:00'));
    await run.feed.start(['EURUSD'], 0, (b) => run.bars.push(b));
    expect(run.bars).toHaveLength(4);

    appendFileSync(file, lines[4]!);
    await eventually(() => expect(run.bars).toHaveLength(5));
    appendFileSync(file, lines[5]!);
    await eventually(() => expect(run.bars).toHaveLength(6));
    await polls(5);
    expect(run.bars.map((b) => b.tsMs)).toEqual(lines.map((_, k) => t0 + k * HOUR));
    expect(run.bars.every((b) => !b.revised)).toBe(true);

    // The newest bar re-written with another close: delivered again, marked revised.
    lines[5] = row(t0 + 5 * HOUR, 1.085, 1.0871);
    writeFileSync(file, HEADER + lines.join(''));
    await eventually(() => expect(run.bars).toHaveLength(7));
    expect(run.bars[6]).toEqual({
      symbol: 'EURUSD',
      tsMs: t0 + 5 * HOUR,
      open: 1.085,
      high: 1.0891,
      low: 1.083,
      close: 1.0871,
      revised: true,
    });

    // An old bar re-written (outside the window) and the same values written again: nothing; the
    // bar appended in the same write shows the file was read.
    lines[0] = row(t0, 1.2);
    lines.push(row(t0 + 6 * HOUR, 1.09));
    writeFileSync(file, HEADER + lines.join(''));
    await eventually(() => expect(run.bars).toHaveLength(8));
    await polls(5);
    expect(run.bars).toHaveLength(8);
    expect(run.bars[7]).toMatchObject({ tsMs: t0 + 6 * HOUR, revised: false });
  });

  it('holds a half-written last line until it is complete, and never takes its cut price', async () => {
    const dir = tempDir();
    const file = join(dir, 'GBPUSD_H1.csv');
    const t0 = utc('2024-05-06T00:00');
    writeFileSync(
      file,
      HEADER + row(t0, 1.25) + row(t0 + HOUR, 1.26) + '2024-05-06 02:00,1.27000,1.27700,1.26800,1.27',
    );
    const run = watch(dir, utc('2024-05-07T00:00'));
    await run.feed.start(['GBPUSD'], 0, (b) => run.bars.push(b));
    await polls(5);
    expect(times(run.bars)).toEqual(['2024-05-06T00:00', '2024-05-06T01:00']);

    appendFileSync(file, '500\n');
    await eventually(() => expect(run.bars).toHaveLength(3));
    expect(run.bars[2]).toMatchObject({ tsMs: t0 + 2 * HOUR, close: 1.275, revised: false });
    expect(run.warns).toEqual([]);
  });

  it('warns (error id, file) on a file it cannot parse, keeps what it delivered, and reads it once fixed', async () => {
    const dir = tempDir();
    const t0 = utc('2024-05-06T00:00');
    const full = HEADER + Array.from({ length: 40 }, (_, k) => row(t0 + k * HOUR, 1.25 + k / 1000)).join('');
    const gz = gzipSync(Buffer.from(full));
    // A gzip file caught mid-copy.
    writeFileSync(join(dir, 'GBPUSD_H1.csv.gz'), gz.subarray(0, gz.length >> 1));
    const plain = join(dir, 'AUDUSD_H1.csv');
    writeFileSync(plain, HEADER + row(t0, 0.66) + row(t0 + HOUR, 0.661));
    const run = watch(dir, utc('2024-05-08T00:00'));
    await run.feed.start(['GBPUSD', 'AUDUSD'], 0, (b) => run.bars.push(b));

    expect(run.of('GBPUSD')).toEqual([]);
    expect(run.of('AUDUSD')).toHaveLength(2);
    expect(run.warns).toHaveLength(1);
    expect(run.warns[0]).toMatchObject({
      event: 'watch_file_unreadable',
      symbol: 'GBPUSD',
      details: { file: 'GBPUSD_H1.csv.gz', error_id: 'DATA_INPUT_PARSE' },
    });

    // A broken line in a file already delivered: one warning, the delivered bars stand.
    writeFileSync(plain, HEADER + row(t0, 0.66) + 'garbage\n' + row(t0 + 2 * HOUR, 0.662));
    await eventually(() => expect(run.warns).toHaveLength(2));
    expect(run.warns[1]).toMatchObject({ details: { file: 'AUDUSD_H1.csv', error_id: 'DATA_INPUT_PARSE' } });
    await polls(5);
    expect(run.warns).toHaveLength(2);

    writeFileSync(join(dir, 'GBPUSD_H1.csv.gz'), gz);
    writeFileSync(plain, HEADER + row(t0, 0.66) + row(t0 + HOUR, 0.661) + row(t0 + 2 * HOUR, 0.662));
    await eventually(() => expect(run.of('GBPUSD')).toHaveLength(40));
    await eventually(() => expect(run.of('AUDUSD')).toHaveLength(3));
    expect(run.of('AUDUSD').map((b) => b.revised)).toEqual([false, false, false]);
    expect(run.errors).toEqual([]);
  });

  it('reads broker time with --tz as pt ingest does (EET, NY+7)', async () => {
    const dir = tempDir();
    // MT5 export layout in broker time: one winter day, one summer day.
    const mt5 = ['<DATE>\t<TIME>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\t<VOL>\t<SPREAD>'];
    for (const day of ['2023.01.10', '2023.07.11'])
      for (let h = 10; h < 14; h++) mt5.push(`${day}\t${h}:00\t1.07010\t1.07050\t1.06980\t1.07020\t120\t0\t5`);
    const file = join(dir, 'EURUSD_H1.tsv');
    writeFileSync(file, `${mt5.join('\r\n')}\r\n`);

    for (const tz of ['EET', 'NY+7']) {
      const run = watch(dir, utc('2024-01-01T00:00'), { tz });
      await run.feed.start(['EURUSD'], 0, (b) => run.bars.push(b));
      await run.feed.close();
      const ingest = await readCsvBars(file, {
        symbol: 'EURUSD',
        timeframe: '1h',
        tz,
        ingestRunId: 'ingest',
        lastBar: 'keep',
      });
      expect(run.bars.map((b) => b.tsMs)).toEqual(ingest.bars.map((b) => b.ts_utc));
    }
    // Winter 10:00 EET is 08:00 UTC, summer 10:00 EEST is 07:00 UTC.
    const run = watch(dir, utc('2024-01-01T00:00'), { tz: 'EET' });
    await run.feed.start(['EURUSD'], 0, (b) => run.bars.push(b));
    expect(times(run.bars)[0]).toBe('2023-01-10T08:00');
    expect(times(run.bars)[4]).toBe('2023-07-11T07:00');

    // Without --tz a MetaTrader file is refused, as by pt ingest, and said so.
    const bare = watch(dir, utc('2024-01-01T00:00'));
    await bare.feed.start(['EURUSD'], 0, (b) => bare.bars.push(b));
    expect(bare.bars).toEqual([]);
    expect(bare.warns).toHaveLength(1);
    expect(bare.warns[0]).toMatchObject({ details: { file: 'EURUSD_H1.tsv' } });
  });

  it('ignores files of other symbols (logged once) and names another timeframe with a warning', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'XAUUSD_H1.csv'), HEADER + hourly('2024-01-02T00:00', 3, 2050));
    writeFileSync(join(dir, 'USDJPY_H1.csv'), HEADER + hourly('2024-01-02T00:00', 3, 140));
    writeFileSync(join(dir, 'XAUUSD_H4.csv'), HEADER + hourly('2024-01-02T00:00', 3, 2050));
    writeFileSync(join(dir, 'notes.txt'), 'hello\n');
    const run = watch(dir, utc('2024-01-03T00:00'));
    await run.feed.start(['XAUUSD'], 0, (b) => run.bars.push(b));
    await polls(10);
    expect(run.bars.map((b) => b.symbol)).toEqual(['XAUUSD', 'XAUUSD', 'XAUUSD']);
    expect(run.infos.map((e) => (e.details as { file: string }).file).sort()).toEqual(['USDJPY_H1.csv', 'notes.txt']);
    expect(run.warns).toHaveLength(1);
    expect(run.warns[0]).toMatchObject({ event: 'watch_file_ignored', details: { file: 'XAUUSD_H4.csv' } });
  });

  it('takes the --tz forms of pt ingest and refuses a bad one at creation', () => {
    for (const tz of ['EET', 'NY+7', 'EET@-1', 'Etc/GMT-2', 'file'])
      expect(() => createWatchLegFeed({ dir: tempDir(), timeframe: '1h', tz })).not.toThrow();
    expect(() => createWatchLegFeed({ dir: tempDir(), timeframe: '1h', tz: 'Nowhere/Zone' })).toThrow(
      expect.objectContaining({ name: 'PtError' }),
    );
    expect(() => createWatchLegFeed({ dir: tempDir(), timeframe: '1h', priceScale: 7 })).toThrow(
      expect.objectContaining({ id: 'CORE_CLI_USAGE' }),
    );
  });

  it('merges several files of one symbol; on equal times the later file name wins', async () => {
    const dir = tempDir();
    const t0 = utc('2024-01-02T00:00');
    writeFileSync(join(dir, 'XAUUSD_H1_2024a.csv'), HEADER + row(t0, 2050) + row(t0 + HOUR, 2051));
    writeFileSync(join(dir, 'XAUUSD_H1_2024b.csv'), HEADER + row(t0 + HOUR, 2061) + row(t0 + 2 * HOUR, 2062));
    const run = watch(dir, utc('2024-01-03T00:00'));
    await run.feed.start(['XAUUSD'], 0, (b) => run.bars.push(b));
    expect(run.bars.map((b) => [b.tsMs - t0, b.open])).toEqual([
      [0, 2050],
      [HOUR, 2061],
      [2 * HOUR, 2062],
    ]);
  });

  it('rejects a missing folder with DATA_INPUT_MISSING', async () => {
    const run = watch(join(tempDir(), 'nope'), 0);
    const failure = await run.feed.start(['XAUUSD'], 0, () => {}).catch((e: PtError) => e);
    expect(failure).toMatchObject({ name: 'PtError', id: 'DATA_INPUT_MISSING' });
  });

  it('delivers nothing after close()', async () => {
    const dir = tempDir();
    const file = join(dir, 'XAUUSD_H1.csv');
    writeFileSync(file, HEADER + hourly('2024-01-02T00:00', 3, 2050));
    const run = watch(dir, utc('2024-01-02T02:30'));
    await run.feed.start(['XAUUSD'], 0, (b) => run.bars.push(b));
    expect(run.bars).toHaveLength(2);
    await run.feed.close();
    run.clock.ms = utc('2024-01-03T00:00');
    appendFileSync(file, hourly('2024-01-02T03:00', 2, 2060));
    await polls(10);
    expect(run.bars).toHaveLength(2);
  });

  it('stops within a scan: close() called from onBar ends delivery at once', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'XAUUSD_H1.csv'), HEADER + hourly('2024-01-02T00:00', 5, 2050));
    const run = watch(dir, utc('2024-01-03T00:00'));
    let closing: Promise<void> | undefined;
    await run.feed.start(['XAUUSD'], 0, (b) => {
      run.bars.push(b);
      closing ??= run.feed.close();
    });
    await closing;
    await polls(5);
    expect(run.bars).toHaveLength(1);
  });
});
