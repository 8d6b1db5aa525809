// Both legs must be in session: the metals' New York daily break (17:00-18:00) and the weekly close.
import { describe, expect, it } from 'vitest';
import { bothLegsTradable } from '../../src/decision/sessionGate.js';
import { config, pairOf } from './config.js';

const metals = pairOf('XAUUSD_XAGUSD');
const fx = pairOf('EURUSD_GBPUSD');
const utc = (iso: string): number => Date.parse(`${iso}Z`);

describe('bothLegsTradable', () => {
  it('metals are closed in the New York daily break, summer (EDT, UTC−4)', () => {
    expect(bothLegsTradable(config, metals, utc('2024-07-10T20:30:00'))).toBe(true); // 16:30 NY
    expect(bothLegsTradable(config, metals, utc('2024-07-10T21:00:00'))).toBe(false); // 17:00 NY: break starts
    expect(bothLegsTradable(config, metals, utc('2024-07-10T21:30:00'))).toBe(false); // 17:30 NY
    expect(bothLegsTradable(config, metals, utc('2024-07-10T22:00:00'))).toBe(true); // 18:00 NY: reopens
  });

  it('the break follows New York across daylight saving (EST, UTC−5)', () => {
    expect(bothLegsTradable(config, metals, utc('2024-01-10T21:30:00'))).toBe(true); // 16:30 NY
    expect(bothLegsTradable(config, metals, utc('2024-01-10T22:30:00'))).toBe(false); // 17:30 NY
  });

  it('the week closes Friday and opens Sunday at 17:00 New York: 21:00 UTC in summer, 22:00 UTC in winter (FX)', () => {
    // summer (EDT)
    expect(bothLegsTradable(config, fx, utc('2024-07-12T20:59:00'))).toBe(true);
    expect(bothLegsTradable(config, fx, utc('2024-07-12T21:00:00'))).toBe(false);
    expect(bothLegsTradable(config, fx, utc('2024-07-13T12:00:00'))).toBe(false);
    expect(bothLegsTradable(config, fx, utc('2024-07-14T20:59:00'))).toBe(false);
    expect(bothLegsTradable(config, fx, utc('2024-07-14T21:00:00'))).toBe(true);
    // winter (EST)
    expect(bothLegsTradable(config, fx, utc('2024-01-12T21:59:00'))).toBe(true);
    expect(bothLegsTradable(config, fx, utc('2024-01-12T22:00:00'))).toBe(false);
    expect(bothLegsTradable(config, fx, utc('2024-01-14T21:59:00'))).toBe(false);
    expect(bothLegsTradable(config, fx, utc('2024-01-14T22:00:00'))).toBe(true);
  });

  it('metals open Sunday at 18:00 New York (after the daily break): 22:00 UTC in summer, 23:00 UTC in winter', () => {
    expect(bothLegsTradable(config, metals, utc('2024-07-12T20:59:00'))).toBe(true); // Fri 16:59 NY
    expect(bothLegsTradable(config, metals, utc('2024-07-12T21:00:00'))).toBe(false); // Fri 17:00 NY
    expect(bothLegsTradable(config, metals, utc('2024-07-14T21:00:00'))).toBe(false); // Sun 17:00 NY: break
    expect(bothLegsTradable(config, metals, utc('2024-07-14T22:00:00'))).toBe(true); // Sun 18:00 NY
    expect(bothLegsTradable(config, metals, utc('2024-01-14T22:00:00'))).toBe(false); // Sun 17:00 NY
    expect(bothLegsTradable(config, metals, utc('2024-01-14T23:00:00'))).toBe(true); // Sun 18:00 NY
  });

  it('needs BOTH legs: FX trades through the metals break, a metals+FX pair does not', () => {
    const t = utc('2024-07-10T21:30:00');
    expect(bothLegsTradable(config, fx, t)).toBe(true);
    expect(bothLegsTradable(config, { leg_A: fx.leg_A, leg_B: metals.leg_A }, t)).toBe(false);
    expect(bothLegsTradable(config, { leg_A: metals.leg_A, leg_B: fx.leg_A }, t)).toBe(false);
  });
});

/** New York wall time → UTC ms, for holiday instants. */
const ny = (isoLocal: string): number => {
  const guess = Date.parse(`${isoLocal}Z`);
  const offset = new Date(guess).toLocaleString('en-US', { timeZone: 'America/New_York', hour12: false });
  return guess + (guess - Date.parse(`${new Date(offset).toISOString().slice(0, 19)}Z`));
};

describe('holidays: CME metals (calendars.yaml CME_METALS) and FX', () => {
  // Observed dates as published by CME Group / NYSE for 2022–2025 (written out, not computed).
  const closed: Record<string, string[]> = {
    good_friday: ['2022-04-15', '2023-04-07', '2024-03-29', '2025-04-18'],
    christmas: ['2022-12-26', '2023-12-25', '2024-12-25', '2025-12-25'],
    new_year: ['2023-01-02', '2024-01-01', '2025-01-01'],
  };
  const early: Record<string, string[]> = {
    mlk: ['2022-01-17', '2023-01-16', '2024-01-15', '2025-01-20'],
    presidents: ['2022-02-21', '2023-02-20', '2024-02-19', '2025-02-17'],
    memorial: ['2022-05-30', '2023-05-29', '2024-05-27', '2025-05-26'],
    juneteenth: ['2022-06-20', '2023-06-19', '2024-06-19', '2025-06-19'],
    independence: ['2022-07-04', '2023-07-04', '2024-07-04', '2025-07-04'],
    labor: ['2022-09-05', '2023-09-04', '2024-09-02', '2025-09-01'],
    thanksgiving: ['2022-11-24', '2023-11-23', '2024-11-28', '2025-11-27'],
  };

  for (const [rule, dates] of Object.entries(closed)) {
    it(`${rule}: the whole trade date is closed (from 17:00 New York the day before), 2022–2025`, () => {
      for (const d of dates) {
        expect(bothLegsTradable(config, metals, ny(`${d}T12:00:00`)), `${rule} ${d} 12:00`).toBe(false);
        expect(bothLegsTradable(config, metals, ny(`${d}T03:00:00`)), `${rule} ${d} 03:00`).toBe(false);
        const before = new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
        const weekday = new Date(`${before}T12:00:00Z`).getUTCDay();
        // the evening before belongs to the holiday's trade date (unless it is the weekend anyway)
        if (weekday >= 1 && weekday <= 4)
          expect(bothLegsTradable(config, metals, ny(`${before}T18:30:00`)), `${rule} eve ${before}`).toBe(false);
      }
    });
  }

  for (const [rule, dates] of Object.entries(early)) {
    it(`${rule}: metals halt at 13:00 New York and reopen at 18:00, 2022–2025`, () => {
      for (const d of dates) {
        expect(bothLegsTradable(config, metals, ny(`${d}T12:30:00`)), `${rule} ${d} 12:30`).toBe(true);
        expect(bothLegsTradable(config, metals, ny(`${d}T13:00:00`)), `${rule} ${d} 13:00`).toBe(false);
        expect(bothLegsTradable(config, metals, ny(`${d}T16:30:00`)), `${rule} ${d} 16:30`).toBe(false);
        // the next trade date opens at 18:00 unless the holiday is a Friday (then the weekend follows)
        if (new Date(`${d}T12:00:00Z`).getUTCDay() !== 5)
          expect(bothLegsTradable(config, metals, ny(`${d}T18:30:00`)), `${rule} ${d} 18:30`).toBe(true);
      }
    });
  }

  it('a normal day is not touched: 13:00–17:00 New York trades', () => {
    expect(bothLegsTradable(config, metals, ny('2024-01-16T13:30:00'))).toBe(true);
    expect(bothLegsTradable(config, metals, ny('2024-03-28T12:00:00'))).toBe(true); // Thursday before Good Friday
  });

  it("FX closes Christmas Day and New Year's Day whatever the weekday, from 17:00 New York the day before; US holidays do not close it", () => {
    expect(bothLegsTradable(config, fx, ny('2024-12-24T16:59:00'))).toBe(true);
    expect(bothLegsTradable(config, fx, ny('2024-12-24T17:00:00'))).toBe(false);
    expect(bothLegsTradable(config, fx, ny('2024-12-25T12:00:00'))).toBe(false);
    expect(bothLegsTradable(config, fx, ny('2024-12-25T17:00:00'))).toBe(true);
    expect(bothLegsTradable(config, fx, ny('2025-01-01T10:00:00'))).toBe(false);
    expect(bothLegsTradable(config, fx, ny('2024-01-15T14:00:00'))).toBe(true); // MLK
    expect(bothLegsTradable(config, fx, ny('2024-03-29T12:00:00'))).toBe(true); // Good Friday
  });
});
