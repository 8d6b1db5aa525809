// pt dq and pt features on stores a provider or a broker clock got wrong: two legs with no common bar
// (an error naming each leg's grid, never 0 rows and exit 0), and bars inside the weekly close (listed).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPt } from '../helpers/runPt.js';
import { csvIngestArgs } from '../helpers/ingestArgs.js';

const H = 3_600_000;
const stamp = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

/** A CSV of bars at `times`, prices wobbling around `level`. */
function writeBars(path: string, times: number[], level: number): string {
  const rows = times.map((t, k) => {
    const c = level * (1 + 0.001 * Math.sin(k / 3));
    const o = level * (1 + 0.001 * Math.sin((k - 1) / 3));
    return `${stamp(t)},${o.toFixed(4)},${(Math.max(o, c) * 1.0005).toFixed(4)},${(Math.min(o, c) * 0.9995).toFixed(4)},${c.toFixed(4)},10`;
  });
  writeFileSync(path, `ts,open,high,low,close,volume\n${rows.join('\n')}\n`);
  return path;
}

/** 4h bars Monday 00:00 → Friday 20:00 UTC of the weeks starting at each Monday given. */
function weekdays4h(mondays: string[]): number[] {
  const out: number[] = [];
  for (const monday of mondays) {
    const start = Date.parse(`${monday}T00:00:00Z`);
    for (let k = 0; k < 30; k++) out.push(start + k * 4 * H);
  }
  return out;
}

const ingest = (path: string, symbol: string, tf: string, data: string) =>
  runPt(csvIngestArgs(path, symbol, tf, data, '--tz', 'UTC'));

describe('legs with no common bar', () => {
  it('pt dq and pt features stop with DATA_PAIR_NOALIGN naming each leg’s grid and range', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-noalign-'));
    const data = join(dir, 'data');
    const gold = writeBars(join(dir, 'XAUUSD.csv'), weekdays4h(['2024-02-05', '2024-02-12']), 2030);
    const silver = writeBars(join(dir, 'XAGUSD.csv'), weekdays4h(['2024-04-08', '2024-04-15']), 27);
    expect(ingest(gold, 'XAUUSD', '4h', data).code).toBe(0);
    expect(ingest(silver, 'XAGUSD', '4h', data).code).toBe(0);
    const expected =
      'XAUUSD_XAGUSD 4h: no common bars: XAUUSD 4h bars sit at 00/04/08… UTC (hours mod 4 = 0), 2024-02-05T00:00Z → 2024-02-16T20:00Z; ' +
      'XAGUSD 4h bars sit at 00/04/08… UTC (hours mod 4 = 0), 2024-04-08T00:00Z → 2024-04-19T20:00Z: the legs do not overlap in time';

    const report = join(dir, 'dq.json');
    const dq = runPt(['dq', '--symbols', 'XAUUSD,XAGUSD', '--timeframe', '4h', '--data-dir', data, '--report', report]);
    expect(dq.code).toBe(1);
    expect(dq.stderr).toContain(`ERROR DATA_PAIR_NOALIGN: ${expected}`);
    // The report is still written and printed: the per-symbol results stay usable.
    expect(dq.stdout).toContain(
      'pair XAUUSD_XAGUSD: 0 aligned bars, 60 only in A and 60 only in B dropped — DATA_PAIR_NOALIGN',
    );
    const pairs = (JSON.parse(readFileSync(report, 'utf8')) as { pairs: Array<{ error?: { message: string } }> }).pairs;
    expect(pairs[0]!.error!.message).toContain(expected);

    const features = runPt([
      'features',
      '--pair',
      'XAUUSD_XAGUSD',
      '--timeframe',
      '4h',
      '--data-dir',
      data,
      '--out',
      join(dir, 'f.csv'),
    ]);
    expect(features.code).toBe(1);
    expect(features.stderr).toContain(`ERROR DATA_PAIR_NOALIGN: ${expected}`);
    // With --all the pair is skipped with the same words, as a pair without data is.
    const all = runPt(['features', '--all', '--timeframe', '4h', '--data-dir', data]);
    expect(all.stderr).toContain(`skipping XAUUSD_XAGUSD: ${expected}`);
  });
});

describe('bars inside the weekly close', () => {
  it('pt dq lists the Saturday bars of a store ingested with weekend bars (count and first times)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-closed-'));
    const data = join(dir, 'data');
    // Friday 2024-03-08 00:00 → Monday 03-11 23:00 UTC, every hour, as TwelveData serves FX.
    const start = Date.parse('2024-03-08T00:00:00Z');
    const times = Array.from({ length: 96 }, (_, k) => start + k * H);
    expect(ingest(writeBars(join(dir, 'EURUSD.csv'), times, 1.09), 'EURUSD', '1h', data).code).toBe(0);
    const report = join(dir, 'dq.json');
    const dq = runPt(['dq', '--symbols', 'EURUSD', '--timeframe', '1h', '--data-dir', data, '--report', report]);
    expect(dq.stderr).toBe('');
    expect(dq.code).toBe(0);
    // Closed from Fri 17:00 EST (22:00 UTC) to Sun 17:00 EDT (21:00 UTC; US DST began that morning): 2 + 24 + 21 bars.
    expect(dq.stdout).toContain(
      '  EURUSD closed_market_bars: 47 (47 in the weekly close, 0 on holidays): 2024-03-08T22:00:00.000Z, 2024-03-08T23:00:00.000Z, 2024-03-09T00:00:00.000Z,',
    );
    expect(dq.stdout).toContain('2024-03-09T07:00:00.000Z, … 37 more');
    const symbols = (JSON.parse(readFileSync(report, 'utf8')) as { symbols: Array<Record<string, unknown>> }).symbols;
    expect(symbols[0]!.closed_market_bars).toEqual({
      count: 47,
      weekly_close: 47,
      holiday: 0,
      first: Array.from({ length: 10 }, (_, k) => new Date(Date.parse('2024-03-08T22:00:00Z') + k * H).toISOString()),
    });
  });

  it('pt dq on a UTC 4h store: the Sunday 20:00 bar holding the weekly open is not listed in_closure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-closed4h-'));
    const data = join(dir, 'data');
    // Mon 2024-02-26 → Fri 03-15, weekdays plus the Sunday 20:00 UTC bars of 3 Mar (open 22:00 UTC,
    // New York on winter time) and 10 Mar (open 21:00 UTC, summer time since that morning).
    const times = weekdays4h(['2024-02-26', '2024-03-04', '2024-03-11']);
    times.push(Date.parse('2024-03-03T20:00:00Z'), Date.parse('2024-03-10T20:00:00Z'));
    times.sort((a, b) => a - b);
    expect(ingest(writeBars(join(dir, 'EURUSD.csv'), times, 1.09), 'EURUSD', '4h', data).code).toBe(0);
    const report = join(dir, 'dq.json');
    const dq = runPt(['dq', '--symbols', 'EURUSD', '--timeframe', '4h', '--data-dir', data, '--report', report]);
    expect(dq.code).toBe(0);
    const sym = (
      JSON.parse(readFileSync(report, 'utf8')) as {
        symbols: Array<{ totals: Record<string, number>; events: Array<{ kind: string }> }>;
      }
    ).symbols[0]!;
    expect(sym.events.filter((e) => e.kind === 'in_closure')).toEqual([]);
    expect([sym.totals.expected, sym.totals.inClosure, sym.totals.missing]).toEqual([times.length - 2, 0, 0]);
    expect(dq.stdout).not.toContain('closed_market_bars');
  });
});
