import { describe, expect, it } from 'vitest';
import { closedMarketBars, closureAt } from '../../../src/data/calendar/closedMarketBars.js';
import { FX_CALENDAR, makeCalendar } from '../../../src/data/calendar/marketCalendar.js';

const H = 3_600_000;
const t = (iso: string) => Date.parse(iso);
const METALS = makeCalendar({
  sessions: [
    { start: '00:00', end: '17:00' },
    { start: '18:00', end: '24:00' },
  ],
  weeklyClose: true,
  timezone: 'America/New_York',
  holidays: {
    closedDates: [],
    closedRules: ['new_year', 'good_friday', 'christmas'],
    earlyCloseRules: ['thanksgiving'],
    earlyCloseTime: '13:00',
  },
});

describe('closedMarketBars', () => {
  it('marks 1h bars inside the weekly close in winter (22:00 UTC) and keeps the bars around it', () => {
    const ts = [
      t('2024-03-08T21:00:00Z'), // Fri 16:00 New York: trading
      t('2024-03-08T22:00:00Z'), // Fri 17:00: closed
      t('2024-03-09T12:00:00Z'), // Saturday
      t('2024-03-10T20:00:00Z'), // Sun 16:00 EDT (DST began that morning): closed
      t('2024-03-10T21:00:00Z'), // Sun 17:00 EDT: the week opens
    ];
    const r = closedMarketBars(FX_CALENDAR, ts, H);
    expect([...r.mask]).toEqual([0, 1, 1, 1, 0]);
    expect(r).toMatchObject({ count: 3, weeklyClose: 3, holiday: 0 });
  });

  it('keeps a 4h bar that holds the Sunday open and marks one wholly inside the close (summer)', () => {
    const ts = [t('2024-07-12T20:00:00Z'), t('2024-07-14T16:00:00Z'), t('2024-07-14T20:00:00Z')];
    // Fri 20:00 UTC = 16:00 EDT holds an hour of trading; Sun 16:00-20:00 UTC is closed; Sun 20:00 holds 21:00.
    expect([...closedMarketBars(FX_CALENDAR, ts, 4 * H).mask]).toEqual([0, 1, 0]);
  });

  it('marks 15m bars on a closed holiday trade date and not the metals daily break or an early close', () => {
    const ts = [
      t('2024-12-24T21:45:00Z'), // Dec 24 16:45 New York: trading
      t('2024-12-24T22:00:00Z'), // trade date Dec 25 starts at 17:00 New York
      t('2024-12-25T15:00:00Z'),
      t('2024-03-12T21:00:00Z'), // metals daily break 17:00-18:00 EDT: a session break, not a closure
      t('2024-11-28T19:00:00Z'), // Thanksgiving after the 13:00 early close: not a whole-day closure
    ];
    const r = closedMarketBars(METALS, ts, 15 * 60_000);
    expect([...r.mask]).toEqual([0, 1, 1, 0, 0]);
    expect(r).toMatchObject({ count: 2, weeklyClose: 0, holiday: 2 });
    expect(closureAt(FX_CALENDAR, t('2024-12-25T15:00:00Z'))).toBe('holiday');
    expect(closureAt(METALS, t('2024-03-29T12:00:00Z'))).toBe('holiday'); // Good Friday
    expect(closureAt(FX_CALENDAR, t('2024-03-29T12:00:00Z'))).toBeNull();
  });

  it('has no weekly close for a calendar without one', () => {
    const cal = makeCalendar({ weeklyClose: false, holidays: { ...METALS.holidays, closedRules: [] } });
    expect(closedMarketBars(cal, [t('2024-03-09T12:00:00Z')], H).count).toBe(0);
  });
});
