// SPEC §1.4 on the bundled real sample with the shipped calendars: no summer Friday 21:00 UTC fill (the
// week closes at 17:00 New York), no fill on a closed or early-closed metals day, and the events list
// every touched bar with its time.
import { describe, expect, it } from 'vitest';
import { calendarForSymbol } from '../../../src/data/calendar/calendarForSymbol.js';
import { runSymbolDq } from '../../../src/data/dq/symbolDq.js';
import { dqParamsFrom } from '../../../src/data/dq/runDq.js';
import { SAMPLE } from '../../../src/cli/commands/quickstart.js';
import { bundledLeg } from '../../helpers/bundledPairs.js';
import { config } from '../../decision/config.js';

/** New York is on daylight time (summer): UTC−4. */
function nySummer(tsMs: number): boolean {
  const h = Number(
    new Date(tsMs).toLocaleString('en-US', { timeZone: 'America/New_York', hour: 'numeric', hourCycle: 'h23' }),
  );
  return (h - new Date(tsMs).getUTCHours() + 24) % 24 === 20;
}

describe('DQ on the bundled sample', () => {
  for (const symbol of SAMPLE.map((s) => s.symbol)) {
    it(`${symbol}: no filled bar on a summer Friday at 21:00 UTC or later; every fill and outlier is listed with its time`, async () => {
      const bars = await bundledLeg(symbol);
      const dq = runSymbolDq(bars, calendarForSymbol(config, symbol), dqParamsFrom(config));
      const fills = dq.events.filter((e) => e.kind === 'filled');
      expect(fills.length).toBe(dq.totals.filled);
      expect(dq.events.filter((e) => e.kind === 'outlier').length).toBe(dq.totals.outliers);
      const fridayLate = fills.filter(
        (e) => new Date(e.tsMs).getUTCDay() === 5 && new Date(e.tsMs).getUTCHours() >= 21 && nySummer(e.tsMs),
      );
      expect(fridayLate.map((e) => new Date(e.tsMs).toISOString())).toEqual([]);
      // rates close to what docs/data.md reports
      expect(dq.totals.missing / dq.totals.expected).toBeLessThan(0.005);
    });
  }

  it('metals: no fill on Good Friday, Christmas or New Year trade dates, nor after 13:00 New York on an early-close day', async () => {
    for (const symbol of ['XAUUSD', 'XAGUSD'] as const) {
      const bars = await bundledLeg(symbol);
      const dq = runSymbolDq(bars, calendarForSymbol(config, symbol), dqParamsFrom(config));
      const days = [
        '2019-04-19',
        '2019-12-25',
        '2020-01-01',
        '2020-04-10',
        '2020-12-25',
        '2021-01-01',
        '2021-04-02',
        '2021-12-24',
        '2022-01-17T18',
        '2021-11-25T18',
        '2020-07-03T18',
      ];
      for (const e of dq.events.filter((x) => x.kind === 'filled')) {
        const iso = new Date(e.tsMs).toISOString();
        expect(
          days.some((d) => iso.startsWith(d)),
          `${symbol} filled ${iso}`,
        ).toBe(false);
      }
    }
  });
});
