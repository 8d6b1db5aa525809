// Leg bars → bar times: released when complete (or every leg moved past), or by the clock after the
// grace; a missing leg filled forward from its last close at most maxFillRun times in a row, and the
// pair's bar then marked filled; late and revised-late deliveries told apart; conversion rates looked
// up at each bar time even when a gap fill delivers many at once.
import { describe, expect, it } from 'vitest';
import { newLiveBar } from '../../../src/live/livePair.js';
import { ShardBarAssembler } from '../../../src/live/stream/shardBarAssembler.js';
import { conversionSymbolOf, StreamConversion } from '../../../src/live/stream/streamConversion.js';
import type { LegBar } from '../../../src/ports/legBarFeed.js';
import { pairOf } from '../../decision/config.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 2, 10);
const bar = (symbol: string, i: number, close: number, revised = false): LegBar => ({
  symbol,
  tsMs: T0 + i * H,
  open: close,
  high: close + 1,
  low: close - 1,
  close,
  revised,
});

function make(ids: string[], maxFillRun = 2) {
  const specs = ids.map(pairOf);
  const conversion = new StreamConversion(specs);
  const a = new ShardBarAssembler(specs, { barMs: H, graceMs: 10_000, maxFillRun }, conversion, newLiveBar);
  a.markReleased(T0 - H, new Map());
  return { a, specs, conversion };
}

describe('ShardBarAssembler', () => {
  it('releases a bar time once every leg delivered it, in time order, with both legs', () => {
    const { a } = make(['XAUUSD_XAGUSD']);
    a.push(bar('XAUUSD', 0, 2000));
    expect(a.next(T0)).toBeUndefined();
    a.push(bar('XAGUSD', 0, 25));
    expect(a.next(T0 + H + 1)).toBe(T0);
    expect(a.stepped).toEqual([0]);
    expect(a.bars[0]).toMatchObject({ tsMs: T0, closeA: 2000, highA: 2001, lowB: 24, closeB: 25, filled: false });
    expect(a.next(T0 + H + 1)).toBeUndefined();
  });

  it('a leg that moved past a bar time releases it without waiting; the missing leg is filled forward and the bar marked filled', () => {
    const { a } = make(['XAUUSD_XAGUSD']);
    a.push(bar('XAUUSD', 0, 2000));
    a.push(bar('XAGUSD', 0, 25));
    a.push(bar('XAUUSD', 1, 2010));
    a.push(bar('XAGUSD', 2, 26));
    expect(a.next(0)).toBe(T0);
    // XAGUSD delivered bar 2: it will not deliver bar 1.
    expect(a.next(0)).toBe(T0 + H);
    expect(a.bars[0]).toMatchObject({ closeA: 2010, closeB: 25, highB: 25, lowB: 25, filled: true });
    expect(a.next(0)).toBeUndefined(); // XAUUSD may still deliver bar 2
  });

  it('the clock releases an incomplete bar time after close + grace; fills stop after maxFillRun in a row', () => {
    const { a } = make(['XAUUSD_XAGUSD'], 2);
    a.push(bar('XAUUSD', 0, 2000));
    a.push(bar('XAGUSD', 0, 25));
    expect(a.next(0)).toBe(T0);
    for (let i = 1; i <= 3; i++) {
      a.push(bar('XAUUSD', i, 2000 + i));
      const close = T0 + (i + 1) * H;
      expect(a.nextDeadline()).toBe(close + 10_000);
      expect(a.next(close + 9_999)).toBeUndefined();
      expect(a.next(close + 10_000)).toBe(T0 + i * H);
      // Bars 1 and 2 are filled; bar 3 would be a third fill in a row: the pair does not step.
      expect(a.stepped).toEqual(i <= 2 ? [0] : []);
    }
    a.push(bar('XAUUSD', 4, 2004));
    a.push(bar('XAGUSD', 4, 27));
    expect(a.next(0)).toBe(T0 + 4 * H);
    expect(a.bars[0]).toMatchObject({ closeA: 2004, closeB: 27, filled: false });
  });

  it('a pair with neither leg at a bar time does not step; other pairs do', () => {
    const { a } = make(['XAUUSD_XAGUSD', 'GBPUSD_USDCHF']);
    for (const s of ['XAUUSD', 'XAGUSD', 'GBPUSD', 'USDCHF']) a.push(bar(s, 0, s === 'USDCHF' ? 0.9 : 100));
    a.push(bar('USDCHF', 0, 0.9));
    expect(a.next(0)).toBe(T0);
    expect(a.stepped).toEqual([0, 1]);
    // USDCHF quotes CHF: USD per CHF is 1/USDCHF, from the conversion's own bar at that time.
    expect(a.bars[1]!.usdPerQuoteB).toBeCloseTo(1 / 0.9, 12);
    a.push(bar('XAUUSD', 1, 101));
    a.push(bar('XAGUSD', 1, 101));
    expect(a.next(T0 + 2 * H + 10_000)).toBe(T0 + H);
    expect(a.stepped).toEqual([0]);
  });

  it('tells late deliveries and late revisions apart; a revision before release replaces the pending bar', () => {
    const { a } = make(['XAUUSD_XAGUSD']);
    a.push(bar('XAUUSD', 0, 2000));
    a.push(bar('XAUUSD', 0, 2002, true));
    a.push(bar('XAGUSD', 0, 25));
    expect(a.next(0)).toBe(T0);
    expect(a.bars[0]!.closeA).toBe(2002);
    expect(a.push(bar('XAUUSD', 0, 2003, true))).toBe('revised_late');
    expect(a.push(bar('XAUUSD', -1, 1999))).toBe('late');
  });
});

describe('StreamConversion', () => {
  it('uses the market quote of each currency and the rate at or before each bar time', () => {
    expect(conversionSymbolOf('JPY')).toEqual({ symbol: 'USDJPY', invert: true });
    expect(conversionSymbolOf('GBP')).toEqual({ symbol: 'GBPUSD', invert: false });
    const specs = [pairOf('EURJPY_GBPJPY')];
    const c = new StreamConversion(specs);
    expect(c.symbols).toEqual(['USDJPY']);
    const leg = specs[0]!.leg_A;
    expect(() => c.usdPerQuote(leg, T0)).toThrow(/no USD conversion rate/);
    c.seed(specs, () => 1 / 150, T0 - H);
    expect(c.usdPerQuote(leg, T0)).toBeCloseTo(1 / 150, 15);
    // A gap fill delivers many at once: each bar time still gets its own rate.
    for (let i = 0; i < 5; i++) c.observe(bar('USDJPY', i, 140 + i));
    expect(c.usdPerQuote(leg, T0 - H)).toBeCloseTo(1 / 150, 15);
    expect(c.usdPerQuote(leg, T0 + 2 * H)).toBeCloseTo(1 / 142, 15);
    expect(c.usdPerQuote(leg, T0 + 2 * H + 1)).toBeCloseTo(1 / 142, 15);
    c.observe(bar('USDJPY', 2, 200, true));
    expect(c.usdPerQuote(leg, T0 + 2 * H)).toBeCloseTo(1 / 200, 15);
  });
});
