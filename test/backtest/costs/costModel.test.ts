// Hand-computed SPEC §7 costs: fills with time-of-day slippage, commission, overrides, swaps.
import { describe, expect, it } from 'vitest';
import { fillCost, swapCharge } from '../../../src/backtest/costs/costModel.js';
import { symbolCosts } from '../../../src/backtest/costs/symbolCosts.js';
import { swapTimes } from '../../../src/backtest/costs/swapTimes.js';
import { timeOfDayMultiplier } from '../../../src/backtest/costs/timeOfDayMultiplier.js';
import { config } from '../../decision/config.js';

const table = config.cost_table;
const multipliers = table.time_of_day_multipliers; // { "22:00-01:00": 1.5, "01:00-07:00": 1.2 }
const utc = (iso: string): number => Date.parse(`${iso}Z`);

describe('symbolCosts', () => {
  it('overrides[symbol] over defaults, field by field, swap included', () => {
    // XAUUSD overrides spread 6, slippage 10, swap long −4 / short 3; commission and swap day/time are the defaults.
    expect(symbolCosts(table, 'XAUUSD')).toEqual({
      commission_bps: 10,
      slippage_bps: 10,
      spread_bps: 6,
      swap: { long_bps_day: -4, short_bps_day: 3, rollover_day: 'WED', time_utc: '21:00' },
    });
    // EURUSD has no override: the defaults unchanged.
    expect(symbolCosts(table, 'EURUSD')).toEqual({
      commission_bps: 10,
      slippage_bps: 8,
      spread_bps: 5,
      swap: { long_bps_day: 0, short_bps_day: 0, rollover_day: 'WED', time_utc: '21:00' },
    });
  });
});

describe('timeOfDayMultiplier', () => {
  it('windows wrap midnight, start inclusive, end exclusive, 1.0 outside', () => {
    expect(timeOfDayMultiplier(multipliers, utc('2024-07-10T23:30:00'))).toBe(1.5); // 22:00-01:00, before midnight
    expect(timeOfDayMultiplier(multipliers, utc('2024-07-11T00:30:00'))).toBe(1.5); // same window after midnight
    expect(timeOfDayMultiplier(multipliers, utc('2024-07-10T22:00:00'))).toBe(1.5); // start inclusive
    expect(timeOfDayMultiplier(multipliers, utc('2024-07-10T21:59:00'))).toBe(1.0);
    expect(timeOfDayMultiplier(multipliers, utc('2024-07-11T01:00:00'))).toBe(1.2); // 22-01 ends, 01-07 begins
    expect(timeOfDayMultiplier(multipliers, utc('2024-07-11T07:00:00'))).toBe(1.0); // end exclusive
    expect(timeOfDayMultiplier(multipliers, utc('2024-07-10T12:00:00'))).toBe(1.0);
  });

  it('overlapping windows take the larger multiplier', () => {
    expect(timeOfDayMultiplier({ '20:00-02:00': 1.3, '23:00-23:30': 2 }, utc('2024-07-10T23:10:00'))).toBe(2);
  });
});

describe('fillCost', () => {
  const xau = symbolCosts(table, 'XAUUSD'); // spread 6, slippage 10, commission 10 bps
  const leg = { close: 2000, lots: 0.05, contractSize: 100, usdPerQuote: 1 }; // 5 oz

  it('a buy at 23:30 UTC (inside 22:00-01:00 → ×1.5): costs push the price up', () => {
    // p1 = 2000 × (1 + 3/10⁴) = 2000.6            (half of 6 bps spread)
    // p2 = 2000.6 × (1 + 10×1.5/10⁴) = 2003.6009   (15 bps slippage, on p1)
    // spread 0.6 × 5 oz = 3.0; slippage 3.0009 × 5 = 15.0045; notional 2003.6009 × 5 = 10018.0045
    // commission 10 bps × 10018.0045 = 10.0180045
    const c = fillCost({ costs: xau, multipliers, side: 'buy', ...leg, tsMs: utc('2024-07-10T23:30:00') });
    expect(c.slippageMultiplier).toBe(1.5);
    expect(c.price).toBeCloseTo(2003.6009, 9);
    expect(c.spreadUsd).toBeCloseTo(3.0, 9);
    expect(c.slippageUsd).toBeCloseTo(15.0045, 9);
    expect(c.notionalUsd).toBeCloseTo(10_018.0045, 8);
    expect(c.commissionUsd).toBeCloseTo(10.0180045, 9);
  });

  it('a sell at 12:00 UTC (no window → ×1.0): costs push the price down', () => {
    // p1 = 2000 × (1 − 3/10⁴) = 1999.4; p2 = 1999.4 × (1 − 10/10⁴) = 1997.4006
    // spread 0.6 × 5 = 3.0; slippage 1.9994 × 5 = 9.997; notional 1997.4006 × 5 = 9987.003; commission 9.987003
    const c = fillCost({ costs: xau, multipliers, side: 'sell', ...leg, tsMs: utc('2024-07-10T12:00:00') });
    expect(c.slippageMultiplier).toBe(1);
    expect(c.price).toBeCloseTo(1997.4006, 9);
    expect(c.spreadUsd).toBeCloseTo(3.0, 9);
    expect(c.slippageUsd).toBeCloseTo(9.997, 9);
    expect(c.notionalUsd).toBeCloseTo(9987.003, 8);
    expect(c.commissionUsd).toBeCloseTo(9.987003, 9);
  });

  it('a JPY-quoted fill converts every USD amount at the given rate (EURJPY, defaults, USDJPY 150)', () => {
    // defaults spread 5, slippage 8, commission 10. 1 lot = 100000 EUR; one JPY of price = 100000/150 = 666.667 USD.
    // p1 = 160 × 1.00025 = 160.04; p2 = 160.04 × 1.0008 = 160.168032
    // spread 0.04 × 666.667 = 26.6667; slippage 0.128032 × 666.667 = 85.3547; notional 106778.688; commission 106.778688
    const c = fillCost({
      costs: symbolCosts(table, 'EURJPY'),
      multipliers,
      side: 'buy',
      close: 160,
      lots: 1,
      contractSize: 100_000,
      usdPerQuote: 1 / 150,
      tsMs: utc('2024-07-10T12:00:00'),
    });
    expect(c.price).toBeCloseTo(160.168032, 9);
    expect(c.spreadUsd).toBeCloseTo(26.666667, 5);
    expect(c.slippageUsd).toBeCloseTo(85.354667, 5);
    expect(c.notionalUsd).toBeCloseTo(106_778.688, 5);
    expect(c.commissionUsd).toBeCloseTo(106.778688, 6);
  });
});

describe('swapTimes and swapCharge', () => {
  const swap = symbolCosts(table, 'XAUUSD').swap; // 21:00 UTC, triple on WED

  it('one day: Tue 12:00 → Wed 12:00 crosses Tue 21:00 once', () => {
    expect(swapTimes(swap, utc('2024-07-09T12:00:00'), utc('2024-07-10T12:00:00'))).toEqual([
      { tsMs: utc('2024-07-09T21:00:00'), multiplier: 1 },
    ]);
  });

  it('Wednesday 21:00 is charged triple', () => {
    expect(swapTimes(swap, utc('2024-07-10T12:00:00'), utc('2024-07-11T12:00:00'))).toEqual([
      { tsMs: utc('2024-07-10T21:00:00'), multiplier: 3 },
    ]);
  });

  it("over a weekend: Fri 12:00 → Mon 12:00 is charged Friday only (Sat/Sun are paid by Wednesday's triple)", () => {
    expect(swapTimes(swap, utc('2024-07-12T12:00:00'), utc('2024-07-15T12:00:00'))).toEqual([
      { tsMs: utc('2024-07-12T21:00:00'), multiplier: 1 },
    ]);
  });

  it('a whole week sums to 7 days: Mon, Tue, Wed ×3, Thu, Fri', () => {
    const times = swapTimes(swap, utc('2024-07-08T00:00:00'), utc('2024-07-15T00:00:00'));
    expect(times.map((t) => t.multiplier)).toEqual([1, 1, 3, 1, 1]);
    expect(times.reduce((s, t) => s + t.multiplier, 0)).toBe(7);
  });

  it('the interval is [entry, exit): entry at 21:00 is charged, exit at 21:00 is not', () => {
    expect(swapTimes(swap, utc('2024-07-09T21:00:00'), utc('2024-07-10T21:00:00'))).toEqual([
      { tsMs: utc('2024-07-09T21:00:00'), multiplier: 1 },
    ]);
    expect(swapTimes(swap, utc('2024-07-09T12:00:00'), utc('2024-07-09T21:00:00'))).toEqual([]);
  });

  it('swapCharge: positive bps = the holder receives, negative = pays; × the multiplier', () => {
    const xau = symbolCosts(table, 'XAUUSD');
    const xag = symbolCosts(table, 'XAGUSD');
    expect(swapCharge(xau, 'long', 10_000, 1)).toBeCloseTo(-4, 12); // 10000 × −4/10⁴
    expect(swapCharge(xau, 'long', 10_000, 3)).toBeCloseTo(-12, 12); // Wednesday
    expect(swapCharge(xau, 'short', 10_000, 1)).toBeCloseTo(3, 12); // 10000 × 3/10⁴
    expect(swapCharge(xag, 'short', 5000, 1)).toBeCloseTo(1.25, 12); // 5000 × 2.5/10⁴
    expect(swapCharge(symbolCosts(table, 'EURUSD'), 'long', 10_000, 3)).toBe(0); // defaults 0
  });
});
