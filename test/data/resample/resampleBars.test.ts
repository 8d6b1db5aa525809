import { describe, expect, it } from 'vitest';
import { FX_CALENDAR } from '../../../src/data/calendar/marketCalendar.js';
import { canResample, resampleBars } from '../../../src/data/resample/resampleBars.js';
import { QUALITY_FLAGS, emptyColumns } from '../../../src/model/bar.js';

const H = 3_600_000;

/** 1h bars at `times`, bar k with open k+1, high k+1.5, low k+0.5, close k+1.25 and volume k+1 (NaN where asked). */
function hourly(times: number[], nullVolume: number[] = []) {
  const c = emptyColumns('X', '1h', times.length);
  times.forEach((t, k) => {
    c.ts[k] = t;
    c.open[k] = k + 1;
    c.high[k] = k + 1.5;
    c.low[k] = k + 0.5;
    c.close[k] = k + 1.25;
    c.volume[k] = nullVolume.includes(k) ? Number.NaN : k + 1;
  });
  return c;
}

describe('resampleBars', () => {
  const mon = Date.parse('2024-03-04T00:00:00Z');

  it('skips filled and off-grid source bars, keeps (and counts) bars inside the weekly close', () => {
    // Fri 2024-03-08 20:00 and 21:00 trade; 22:00 and 23:00 lie in the weekly close (22:00 UTC = 17:00 EST).
    const fri = Date.parse('2024-03-08T20:00:00Z');
    const c = hourly([mon, mon + H, mon + 2 * H + 5 * 60_000, mon + 3 * H, fri, fri + H, fri + 2 * H, fri + 3 * H]);
    c.quality[3] = QUALITY_FLAGS.indexOf('missing');
    const r = resampleBars(c, '4h', FX_CALENDAR, { fromMs: mon, toMs: fri + 4 * H }, fri + 3 * H);
    expect(Array.from(r.bars.ts.subarray(0, r.bars.length))).toEqual([mon, fri]);
    // Monday 00:00: bars 0 and 1 only (bar 2 sits at 02:05, bar 3 is a fill).
    expect([r.bars.open[0], r.bars.high[0], r.bars.low[0], r.bars.close[0], r.bars.volume[0], r.bars.parts[0]]).toEqual(
      [1, 2.5, 0.5, 2.25, 3, 2],
    );
    expect([r.bars.open[1], r.bars.high[1], r.bars.low[1], r.bars.close[1], r.bars.volume[1], r.bars.parts[1]]).toEqual(
      [5, 8.5, 4.5, 8.25, 5 + 6 + 7 + 8, 4],
    );
    expect(r.stats).toEqual({ sourceBars: 8, closedMarket: 2, filled: 1, offGrid: 1, partialBuckets: 1, forming: 0 });
  });

  it("writes the Friday 20:00 UTC bucket once Friday's last trading hour is stored, holds back any other partial tail", () => {
    const range = (from: number) => ({ fromMs: from, toMs: from + 8 * H });
    // Winter (Fri 2024-03-01, close 22:00 UTC): 20:00 and 21:00 trade, the rest of the bucket is closed.
    const winter = Date.parse('2024-03-01T20:00:00Z');
    const w = resampleBars(hourly([winter, winter + H]), '4h', FX_CALENDAR, range(winter), winter + H);
    expect([w.bars.length, w.bars.ts[0], w.bars.close[0], w.bars.parts[0], w.stats.forming]).toEqual([
      1,
      winter,
      2.25,
      2,
      0,
    ]);
    // Only 20:00 stored: 21:00 still trades, so the bucket is forming.
    const w1 = resampleBars(hourly([winter]), '4h', FX_CALENDAR, range(winter), winter);
    expect([w1.bars.length, w1.stats.forming]).toEqual([0, 1]);
    // Summer (Fri 2024-03-15, close 21:00 UTC): the 20:00 hour is the last one.
    const summer = Date.parse('2024-03-15T20:00:00Z');
    const s = resampleBars(hourly([summer]), '4h', FX_CALENDAR, range(summer), summer);
    expect([s.bars.length, s.bars.ts[0], s.bars.parts[0], s.stats.forming]).toEqual([1, summer, 1, 0]);
    // Mid-week (Wed 2024-03-13 12:00, 13:00 stored): the 12:00 bucket is still forming.
    const wed = Date.parse('2024-03-13T12:00:00Z');
    const m = resampleBars(hourly([wed, wed + H]), '4h', FX_CALENDAR, range(wed), wed + H);
    expect([m.bars.length, m.stats.forming]).toEqual([0, 1]);
  });

  it('sums only known volumes and gives null when none is known', () => {
    const c = hourly(
      [mon, mon + H, mon + 2 * H, mon + 3 * H, mon + 4 * H, mon + 5 * H, mon + 6 * H, mon + 7 * H],
      [1, 4, 5, 6, 7],
    );
    const r = resampleBars(c, '4h', FX_CALENDAR, { fromMs: mon, toMs: mon + 8 * H }, mon + 7 * H);
    expect(r.bars.volume[0]).toBe(1 + 3 + 4);
    expect(r.bars.volume[1]).toBeNaN();
  });

  it('accepts only a shorter source that divides the target', () => {
    expect([canResample('15m', '1h'), canResample('15m', '4h'), canResample('1h', '4h')]).toEqual([true, true, true]);
    expect([canResample('1h', '1h'), canResample('4h', '1h'), canResample('1h', '15m')]).toEqual([false, false, false]);
  });
});
