// detectClock and marketHoursShift as library functions, on wall times built in the test.
import { describe, expect, it } from 'vitest';
import { ZoneClock } from '../../../src/core/zoneClock.js';
import { detectClock, formatClockVerdict } from '../../../src/data/clock/detectClock.js';
import { clockMarketOf } from '../../../src/data/clock/marketClockEvents.js';
import { marketHoursShift } from '../../../src/data/clock/marketHoursShift.js';
import { marketBars } from '../../helpers/brokerClockBars.js';

const HOUR = 3_600_000;

/** Wall times on `tz` of the bars of timeframe `tfMs` that hold a trading hour (15m: four per hour). */
function walls(tz: string, tfMs: number, metals: boolean, from = '2024-02-18', to = '2024-04-20'): number[] {
  const clock = ZoneClock.of(tz);
  const out: number[] = [];
  for (const b of marketBars(from, to, metals)) {
    const w = clock.toWall(b.ts);
    for (let t = w; t < w + HOUR; t += Math.min(tfMs, HOUR)) {
      const slot = Math.floor(t / tfMs) * tfMs;
      if (out[out.length - 1] !== slot) out.push(slot);
    }
  }
  return out;
}

describe('detectClock', () => {
  it('tells the metals classes apart', () => {
    expect(clockMarketOf('XAUUSD')).toBe('metals');
    expect(clockMarketOf('xagusd')).toBe('metals');
    expect(clockMarketOf('EURUSD')).toBe('fx');
  });

  it.each(['UTC', 'EET', 'NY+7', 'Etc/GMT-2'])('finds %s on 15m metals bars with high confidence', (tz) => {
    const w = walls(tz, 15 * 60_000, true);
    const v = detectClock(w, w.length, 15 * 60_000, 'metals');
    expect(v.clock).toBe(tz);
    expect(v.confidence).toBe('high');
    expect(v.scores[0]!.agree).toBe(v.checked);
  });

  it('on 4h bars tells UTC from EET, but says a one-hour shift (EET or NY+7) is hidden inside the bar', () => {
    const w = walls('NY+7', 4 * HOUR, false);
    const v = detectClock(w, w.length, 4 * HOUR, 'fx');
    expect(v.scores.find((s) => s.clock === 'UTC')!.agree).toBeLessThan(v.checked);
    expect(v.scores[0]!.agree).toBe(v.checked);
    expect(v.confidence).toBe('low');
    expect(v.reason).toBe(
      'EET and NY+7 read every check of this file alike: a 4h bar hides a one-hour shift, so run --detect-clock on a 1h or 15m export of the same server',
    );
  });

  it('gives no verdict for a file without a weekend or a break', () => {
    const w = Array.from({ length: 24 }, (_, i) => Date.UTC(2024, 0, 3) + i * HOUR);
    const v = detectClock(w, w.length, HOUR, 'fx');
    expect(v.clock).toBeNull();
    expect(formatClockVerdict('EURUSD 1h x.csv', v).at(-1)).toMatch(/^verdict: none \(the file has no weekend/);
  });
});

describe('marketHoursShift', () => {
  const utcOf = (tz: string, ws: number[]) => ws.map((w) => ZoneClock.of(tz).toUtc(w));

  it('is silent on the right clock and counts the US-only DST weeks on EET for a NY+7 file', () => {
    const w = walls('NY+7', HOUR, true);
    const right = utcOf('NY+7', w);
    expect(marketHoursShift(right, right.length, HOUR, 'metals').shiftedWeeks).toBe(0);
    const wrong = utcOf('EET', w);
    const s = marketHoursShift(wrong, wrong.length, HOUR, 'metals');
    expect(s.shiftedWeeks).toBe(3);
    // The week is judged by its close first: the last bar 20:00 UTC read as 21:00 UTC ends 18:00 New York.
    expect(s.first).toEqual({ kind: 'lateClose', ts: Date.UTC(2024, 2, 15, 21), hours: 1 });
    expect([s.minShift, s.maxShift]).toEqual([1, 1]);
  });

  it('names shifts of several hours (EET read as UTC: 2 h in winter, 3 h in summer) in every week', () => {
    const w = walls('EET', HOUR, true, '2024-02-18', '2024-05-20');
    const right = utcOf('EET', w);
    expect(marketHoursShift(right, right.length, HOUR, 'metals').shiftedWeeks).toBe(0);
    const s = marketHoursShift(w, w.length, HOUR, 'metals');
    expect(s.shiftedWeeks).toBe(s.weeks);
    expect([s.minShift, s.maxShift]).toEqual([2, 3]);
    expect(s.first).toEqual({ kind: 'lateClose', ts: Date.UTC(2024, 1, 23, 23), hours: 2 });
    // A UTC file read as NY+7 (2–3 h ahead of UTC): its bars sit 2–3 h earlier than the market.
    const early = utcOf('NY+7', utcOf('UTC', walls('UTC', HOUR, false)));
    const e = marketHoursShift(early, early.length, HOUR, 'fx');
    expect(e.shiftedWeeks).toBe(e.weeks);
    expect([e.minShift, e.maxShift]).toEqual([-3, -2]);
  });

  it('stays silent on a holiday: one Friday closing 4 h early, and a close on Thursday (Good Friday)', () => {
    const w = utcOf('UTC', walls('UTC', HOUR, false, '2024-02-18', '2024-04-20'));
    // Cut the week of 2024-03-08 at 13:00 New York (18:00 UTC), and the week of 2024-03-29 on Thursday.
    const cut = w.filter(
      (t) =>
        !(t >= Date.UTC(2024, 2, 8, 18) && t < Date.UTC(2024, 2, 9)) &&
        !(t >= Date.UTC(2024, 2, 28, 21) && t < Date.UTC(2024, 2, 30)),
    );
    expect(marketHoursShift(cut, cut.length, HOUR, 'fx').shiftedWeeks).toBe(0);
  });

  it('flags a first bar an hour before the weekly open, not one an hour after it', () => {
    const sunday = Date.UTC(2024, 0, 7, 22); // 17:00 New York: the FX open
    const friday = Date.UTC(2024, 0, 5, 21); // the last bar, ending 17:00 New York
    expect(marketHoursShift([friday, sunday - HOUR], 2, HOUR, 'fx').first?.kind).toBe('earlyOpen');
    expect(marketHoursShift([friday, sunday + HOUR], 2, HOUR, 'fx').shiftedWeeks).toBe(0);
    expect(marketHoursShift([friday + HOUR, sunday], 2, HOUR, 'fx').first?.kind).toBe('lateClose');
  });
});
