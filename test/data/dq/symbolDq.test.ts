import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyColumns, QUALITY_FLAGS, type BarColumns } from '../../../src/model/bar.js';
import { runSymbolDq, type DqParams } from '../../../src/data/dq/symbolDq.js';
import { FX_CALENDAR, isTradingTime, makeCalendar } from '../../../src/data/calendar/marketCalendar.js';
import { monthsToQuarantine, readQuarantine, writeQuarantine } from '../../../src/data/dq/quarantine.js';
import { SeededRng } from '../../../src/core/rng.js';

const H = 3_600_000;
const params: DqParams = {
  missingFillMaxRun: 2,
  outlierAction: 'flag',
  outlierSigma: 8,
  outlierWindowBars: 180,
  spikeK: 12,
  spikeWindowBars: 180,
};

/** Hourly bars on trading time from `start`, closes from `closeAt(k)`, skipping the listed bar numbers. */
function series(start: number, count: number, closeAt: (k: number) => number, skip = new Set<number>()): BarColumns {
  const ts: number[] = [];
  const close: number[] = [];
  let k = 0;
  for (let t = start; k < count; t += H) {
    if (!isTradingTime(FX_CALENDAR, t)) continue;
    if (!skip.has(k)) {
      ts.push(t);
      close.push(closeAt(k));
    }
    k++;
  }
  const c = emptyColumns('TEST', '1h', ts.length);
  ts.forEach((t, i) => {
    c.ts[i] = t;
    c.open[i] = close[i]!;
    c.high[i] = close[i]! * 1.0001;
    c.low[i] = close[i]! * 0.9999;
    c.close[i] = close[i]!;
    c.volume[i] = Number.NaN;
  });
  return c;
}

const rng = new SeededRng(7);
const noise = Array.from({ length: 5000 }, () => rng.gaussian());
const walk = (k: number) => 100 * Math.exp(0.001 * noise.slice(0, k + 1).reduce((a, b) => a + b, 0));
const MON = Date.UTC(2024, 0, 8); // a Monday, no holiday nearby

describe('DQ rules on hand-made series', () => {
  it('fills the first two bars of a missing run forward with the previous close (runs of 1, 2 and 5); the rest stays absent', () => {
    // bar 4 closes at 104; runs: {5}, {8, 9}, {12..16}
    const s = series(MON, 30, (k) => 100 + k, new Set([5, 8, 9, 12, 13, 14, 15, 16]));
    const dq = runSymbolDq(s, FX_CALENDAR, params);
    const at = (k: number) => Array.from(dq.cleaned.ts).indexOf(MON + k * H);
    const filled = (k: number) => ({
      close: dq.cleaned.close[at(k)],
      open: dq.cleaned.open[at(k)],
      high: dq.cleaned.high[at(k)],
      low: dq.cleaned.low[at(k)],
      quality: QUALITY_FLAGS[dq.cleaned.quality[at(k)]!],
    });
    expect(filled(5)).toEqual({ close: 104, open: 104, high: 104, low: 104, quality: 'missing' });
    expect([filled(8).close, filled(9).close]).toEqual([107, 107]);
    expect([filled(12).close, filled(13).close]).toEqual([111, 111]);
    for (const k of [14, 15, 16]) expect(at(k)).toBe(-1);
    expect(Number.isNaN(dq.cleaned.volume[at(5)]!)).toBe(true);
    expect(dq.totals).toMatchObject({ missing: 8, filled: 5, gaps: 1, gapBars: 3 });
    expect(dq.gaps).toEqual([{ fromMs: MON + 14 * H, toMs: MON + 17 * H, bars: 3 }]);
    expect(dq.cleaned.length).toBe(27);
    // every filled bar and the gap are listed with their times
    expect(dq.events.filter((e) => e.kind === 'filled').map((e) => (e.tsMs - MON) / H)).toEqual([5, 8, 9, 12, 13]);
    expect(dq.events.filter((e) => e.kind === 'gap').map((e) => (e.tsMs - MON) / H)).toEqual([14]);
  });

  it('is causal: the output up to any bar depends on no later bar (prefix runs and perturbed futures agree)', () => {
    const skip = new Set([40, 41, 42, 43, 100, 160, 161, 250]);
    const s = series(MON, 400, walk, skip);
    s.close[200] = s.close[199]! * Math.exp(0.02); // an outlier, flagged
    const full = runSymbolDq(s, FX_CALENDAR, params);
    const upTo = (c: BarColumns, t: number) =>
      Array.from(c.ts).flatMap((ts, i) => (ts <= t ? [[ts, c.close[i]!, c.quality[i]!]] : []));
    for (const cut of [41, 99, 150, 199, 200, 260, 350]) {
      const t = s.ts[cut]!;
      const prefix = emptyColumns('TEST', '1h', cut + 1);
      for (const k of ['ts', 'open', 'high', 'low', 'close', 'volume', 'quality'] as const)
        prefix[k].set(s[k].subarray(0, cut + 1) as never);
      expect(upTo(runSymbolDq(prefix, FX_CALENDAR, params).cleaned, t)).toEqual(upTo(full.cleaned, t));
      const other = { ...s, close: s.close.slice() };
      for (let i = cut + 1; i < s.length; i++) other.close[i] = other.close[i]! * (1 + 0.05 * noise[i]!);
      expect(upTo(runSymbolDq(other, FX_CALENDAR, params).cleaned, t)).toEqual(upTo(full.cleaned, t));
    }
  });

  it('does not count the weekend close as missing', () => {
    // Thursday 00:00 to the next Tuesday: crosses Fri 22:00 -> Sun 22:00.
    const s = series(Date.UTC(2024, 0, 11), 24 * 4, walk);
    expect(s.ts[s.length - 1]! - s.ts[0]!).toBeGreaterThan(4 * 24 * H);
    const dq = runSymbolDq(s, FX_CALENDAR, params);
    expect(dq.totals.missing).toBe(0);
    expect(dq.gaps).toHaveLength(0);
    expect(dq.totals.expected).toBe(s.length);
  });

  it('does not list the 4h bar holding the Sunday open (20:00 UTC, winter and summer) in the closure; expected bars stay those whose open trades', () => {
    // Mon 2024-02-26 → Fri 2024-03-15 on the UTC 4h grid: weekdays, each Sunday 20:00 bar (it holds the
    // 22:00 UTC winter open on 3 Mar and the 21:00 UTC summer open on 10 Mar), and one Saturday bar.
    const times: number[] = [];
    for (let t = Date.UTC(2024, 1, 26); t < Date.UTC(2024, 2, 16); t += 4 * H) {
      const d = new Date(t);
      const dow = d.getUTCDay();
      if (dow === 6 || (dow === 0 && d.getUTCHours() < 20)) continue;
      times.push(t);
    }
    const saturday = Date.UTC(2024, 2, 9, 12);
    times.push(saturday);
    times.sort((a, b) => a - b);
    const build = (ts: number[]) => {
      const c = emptyColumns('TEST', '4h', ts.length);
      ts.forEach((t, i) => {
        c.ts[i] = t;
        c.open[i] = c.high[i] = c.low[i] = c.close[i] = walk(i);
        c.volume[i] = Number.NaN;
      });
      return c;
    };
    const dq = runSymbolDq(build(times), FX_CALENDAR, params);
    const closure = dq.events.filter((e) => e.kind === 'in_closure').map((e) => new Date(e.tsMs).toISOString());
    expect(closure).toEqual(['2024-03-09T12:00:00.000Z']);
    // Present: all; expected: all but the Saturday bar and the two Sunday 20:00 bars (closed at their open).
    expect([dq.totals.present, dq.totals.expected, dq.totals.inClosure, dq.totals.missing]).toEqual([
      times.length,
      times.length - 3,
      1,
      0,
    ]);
    // Without the Sunday 20:00 bar of 10 Mar nothing is missing: its open instant is in the closure.
    const sunday = Date.UTC(2024, 2, 10, 20);
    const gap = runSymbolDq(build(times.filter((t) => t !== sunday)), FX_CALENDAR, params);
    expect(gap.totals.missing).toBe(0);
  });

  it('flags an 8-sigma bar and keeps it by default (outlier_action: flag), listing it with its time', () => {
    const s = series(MON, 400, walk);
    const j = 300;
    // r_j about 10 std of the trailing 180 returns (std ~0.001): an outlier; bar j+1 returns to the walk.
    s.close[j] = s.close[j - 1]! * Math.exp(0.01 * 1.2);
    s.high[j] = s.close[j]!;
    s.open[j] = s.close[j - 1]!;
    const dq = runSymbolDq(s, FX_CALENDAR, params);
    // The spike and its reversal (measured from the kept spike close) are both 8σ moves: both flagged, both kept.
    expect(dq.totals).toMatchObject({ outliers: 2, dropped: 0, filled: 0 });
    const at = Array.from(dq.cleaned.ts).indexOf(s.ts[j]!);
    expect(QUALITY_FLAGS[dq.cleaned.quality[at]!]).toBe('outlier');
    expect(dq.cleaned.close[at]).toBe(s.close[j]);
    expect(dq.cleaned.length).toBe(400);
    expect(dq.events.filter((e) => e.kind === 'outlier').map((e) => e.tsMs)).toEqual([s.ts[j], s.ts[j + 1]]);
  });

  it('with outlier_action: drop, removes the 8-sigma bar and fills its slot forward from the last kept close', () => {
    const s = series(MON, 400, walk);
    const j = 300;
    s.close[j] = s.close[j - 1]! * Math.exp(0.01 * 1.2);
    s.high[j] = s.close[j]!;
    s.open[j] = s.close[j - 1]!;
    const dq = runSymbolDq(s, FX_CALENDAR, { ...params, outlierAction: 'drop' });
    expect(dq.totals).toMatchObject({ outliers: 1, dropped: 1, filled: 1, missing: 0 });
    const at = Array.from(dq.cleaned.ts).indexOf(s.ts[j]!);
    expect(QUALITY_FLAGS[dq.cleaned.quality[at]!]).toBe('missing');
    expect(dq.cleaned.close[at]).toBe(s.close[j - 1]);
    expect(dq.cleaned.length).toBe(400);
    expect(dq.events.filter((e) => e.kind !== 'in_closure').map((e) => [e.kind, e.tsMs])).toEqual([
      ['dropped', s.ts[j]],
      ['filled', s.ts[j]],
    ]);
  });

  it('drops a broken print (1e308, or a high 6x the close) even with outlier_action: flag, from the first bars on', () => {
    const s = series(MON, 400, walk);
    // Before the outlier window is full, and after it; one bar with only its high broken.
    for (const j of [5, 300]) {
      s.close[j] = 1e308;
      s.high[j] = 1e308;
    }
    s.high[320] = s.close[320]! * 6;
    const dq = runSymbolDq(s, FX_CALENDAR, params);
    expect(dq.totals).toMatchObject({ dropped: 3, filled: 3, missing: 0 });
    for (const j of [5, 300, 320]) {
      const at = Array.from(dq.cleaned.ts).indexOf(s.ts[j]!);
      expect(QUALITY_FLAGS[dq.cleaned.quality[at]!]).toBe('missing');
      expect(dq.cleaned.close[at]).toBe(s.close[j - 1]);
    }
    expect(Math.max(...dq.cleaned.high)).toBeLessThan(200);
    expect(dq.events.filter((e) => e.kind === 'dropped').map((e) => e.reason)[0]).toMatch(/^implausible bar dropped: /);
    // A 4x high is left to the sigma rule (flagged, kept).
    const t = series(MON, 400, walk);
    t.high[320] = t.close[320]! * 4;
    expect(runSymbolDq(t, FX_CALENDAR, params).totals.dropped).toBe(0);
  });

  it('keeps a 6-sigma move (below outlier_sigma)', () => {
    const s = series(MON, 400, walk);
    s.close[300] = s.close[299]! * Math.exp(0.006);
    expect(runSymbolDq(s, FX_CALENDAR, params).totals.outliers).toBe(0);
  });

  it('flags a spike beyond 12x the median |Δclose| without dropping it', () => {
    const s = series(MON, 400, (k) => 100 + 0.01 * (k % 2));
    s.close[350] = s.close[349]! + 0.5;
    const dq = runSymbolDq(s, FX_CALENDAR, { ...params, outlierSigma: 1e9 });
    expect(dq.totals.spikes).toBeGreaterThanOrEqual(1);
    expect(dq.cleaned.length).toBe(400);
  });

  it('honours daily sessions: bars outside them are not expected', () => {
    const cal = makeCalendar({ sessions: [{ start: '01:00', end: '23:00' }] });
    expect(isTradingTime(cal, MON + 0 * H)).toBe(false);
    expect(isTradingTime(cal, MON + 1 * H)).toBe(true);
    expect(isTradingTime(cal, MON + 23 * H)).toBe(false);
    expect(isTradingTime(FX_CALENDAR, Date.UTC(2024, 11, 25, 12))).toBe(false);
  });
});

describe('quarantine', () => {
  // January 2024 has 22 weekdays... count expected bars exactly and remove a share of them.
  function januaryWithMissing(share: number): BarColumns {
    const all = series(Date.UTC(2024, 0, 2), 10_000, walk);
    const inJan = Array.from(all.ts).filter((t) => t < Date.UTC(2024, 1, 1)).length;
    const remove = Math.round(inJan * share);
    // Remove runs of 3 bars (gaps) spread over the month, never the first or last bar.
    const skip = new Set<number>();
    for (let k = 10; skip.size < remove; k += 12) for (let d = 0; d < 3 && skip.size < remove; d++) skip.add(k + d);
    return series(Date.UTC(2024, 0, 2), inJan, walk, skip);
  }

  it('triggers above 5% missing and not at or below it', () => {
    const over = runSymbolDq(januaryWithMissing(0.06), FX_CALENDAR, params);
    const under = runSymbolDq(januaryWithMissing(0.04), FX_CALENDAR, params);
    const th = { missingRate: 0.05, outlierRate: 0.08 };
    expect(over.months[0]!.missingRate).toBeGreaterThan(0.05);
    expect(monthsToQuarantine(over, '1h', th, 'r1').map((e) => e.month)).toEqual(['2024-01']);
    expect(under.months[0]!.missingRate).toBeLessThanOrEqual(0.05);
    expect(monthsToQuarantine(under, '1h', th, 'r1')).toEqual([]);
  });

  it('is written to __quarantine.json and cleared by a later clean run of the symbol', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-q-'));
    const bad = runSymbolDq(januaryWithMissing(0.06), FX_CALENDAR, params);
    const th = { missingRate: 0.05, outlierRate: 0.08 };
    const first = await writeQuarantine(dir, '1h', ['TEST'], monthsToQuarantine(bad, '1h', th, 'r1'));
    expect(first.added).toEqual(['TEST 2024-01']);
    const entry = readQuarantine(dir, '1h').entries[0]!;
    expect(entry).toMatchObject({
      symbol: 'TEST',
      month: '2024-01',
      thresholds: { missing_rate: 0.05, outlier_rate: 0.08 },
      range: { from: '2024-01-01T00:00:00.000Z', to: '2024-02-01T00:00:00.000Z' },
    });
    expect(entry.reason).toContain('missing_rate');
    const good = runSymbolDq(januaryWithMissing(0), FX_CALENDAR, params);
    const second = await writeQuarantine(dir, '1h', ['TEST'], monthsToQuarantine(good, '1h', th, 'r2'));
    expect(second.released).toEqual(['TEST 2024-01']);
    expect(readQuarantine(dir, '1h').entries).toEqual([]);
  });
});

describe('outlier rule on a level shift', () => {
  it('flags the first bar of a lasting jump (flag), or drops it then follows the new level instead of rejecting the rest (drop)', () => {
    const s = series(MON, 500, walk);
    for (let i = 300; i < 500; i++) {
      s.close[i] = s.close[i]! * 1.05;
      s.high[i] = s.high[i]! * 1.05;
      s.low[i] = s.low[i]! * 1.05;
      s.open[i] = s.open[i]! * 1.05;
    }
    for (const outlierAction of ['flag', 'drop'] as const) {
      const dq = runSymbolDq(s, FX_CALENDAR, { ...params, outlierAction });
      expect(dq.totals.outliers).toBe(1);
      expect(dq.gaps).toHaveLength(0);
      expect(dq.cleaned.length).toBe(500);
    }
  });
});

describe('sessions in a leg time zone', () => {
  it('follows the New York daily break across daylight saving (metals: 17:00-18:00 New York)', () => {
    const cal = makeCalendar({
      sessions: [
        { start: '00:00', end: '17:00' },
        { start: '18:00', end: '24:00' },
      ],
      timezone: 'America/New_York',
    });
    // Winter (EST, UTC-5): the break is 22:00-23:00 UTC; summer (EDT, UTC-4): 21:00-22:00 UTC.
    expect(isTradingTime(cal, Date.UTC(2024, 0, 10, 22))).toBe(false);
    expect(isTradingTime(cal, Date.UTC(2024, 0, 10, 21))).toBe(true);
    expect(isTradingTime(cal, Date.UTC(2024, 6, 10, 21))).toBe(false);
    expect(isTradingTime(cal, Date.UTC(2024, 6, 10, 22))).toBe(true);
  });
});
