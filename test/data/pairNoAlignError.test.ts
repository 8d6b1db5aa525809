import { describe, expect, it } from 'vitest';
import { isPtError } from '../../src/core/ptError.js';
import type { Timeframe } from '../../src/core/time.js';
import { emptyColumns } from '../../src/model/bar.js';
import { assertPairAligns, describePhase } from '../../src/data/pairNoAlignError.js';

const H = 3_600_000;

function leg(symbol: string, tf: Timeframe, times: number[]) {
  const c = emptyColumns(symbol, tf, times.length);
  c.ts.set(times);
  return c;
}

function message(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    if (isPtError(error)) return `${error.id} ${error.message}`;
    throw error;
  }
  throw new Error('no error thrown');
}

describe('assertPairAligns', () => {
  const start = Date.parse('2024-03-04T00:00:00Z');
  const utcGrid = Array.from({ length: 12 }, (_, k) => start + k * 4 * H);

  it('names both 4h grids when a broker-clock leg (21/01/05… UTC) meets a UTC leg (00/04/08…)', () => {
    const broker = utcGrid.map((t) => t - 3 * H);
    expect(
      message(() => assertPairAligns(leg('XAUUSD', '4h', broker), leg('XAGUSD', '4h', utcGrid), 0, 'XAUUSD_XAGUSD')),
    ).toBe(
      'DATA_PAIR_NOALIGN XAUUSD_XAGUSD 4h: no common bars: ' +
        'XAUUSD 4h bars sit at 01/05/09… UTC (hours mod 4 = 1), 2024-03-03T21:00Z → 2024-03-05T17:00Z; ' +
        'XAGUSD 4h bars sit at 00/04/08… UTC (hours mod 4 = 0), 2024-03-04T00:00Z → 2024-03-05T20:00Z: ' +
        'the legs sit on different grids; rebuild XAUUSD on the UTC grid from a shorter stored timeframe with ' +
        "pt resample --source-timeframe 1h --timeframe 4h --symbols XAUUSD (or re-ingest with the file's clock in --tz)",
    );
  });

  it('lists every phase of a leg whose clock changes with DST, with counts', () => {
    const summer = utcGrid.slice(0, 6).map((t) => t - 3 * H);
    const winter = utcGrid.slice(6).map((t) => t - 2 * H);
    const text = message(() =>
      assertPairAligns(leg('XAUUSD', '4h', [...summer, ...winter]), leg('XAGUSD', '4h', utcGrid), 0, 'P'),
    );
    expect(text).toContain(
      'XAUUSD 4h bars sit at 01/05/09… UTC (hours mod 4 = 1), 6 bars and 02/06/10… UTC (hours mod 4 = 2), 6 bars',
    );
  });

  it('says the ranges do not overlap when the grids agree, and passes a pair that aligns or a leg with no bars', () => {
    const later = utcGrid.map((t) => t + 30 * 24 * H);
    expect(message(() => assertPairAligns(leg('A', '4h', utcGrid), leg('B', '4h', later), 0, 'A_B'))).toContain(
      'the legs do not overlap in time',
    );
    expect(() => assertPairAligns(leg('A', '4h', utcGrid), leg('B', '4h', utcGrid), 12, 'A_B')).not.toThrow();
    expect(() => assertPairAligns(leg('A', '4h', utcGrid), leg('B', '4h', []), 0, 'A_B')).not.toThrow();
  });

  it('describes 1h and 15m phases in minutes', () => {
    expect(describePhase(5 * 60_000, H)).toBe('hh:05 UTC (5 min past the hour)');
    expect(describePhase(5 * 60_000, 15 * 60_000)).toBe('hh:05/20/35/50 UTC (minutes mod 15 = 5)');
  });
});
