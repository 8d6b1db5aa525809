// The market calendar of a symbol from universe.yaml (its leg's trading hours), FX 24x5 when not listed.
import type { PtConfig } from '../../config/schemas/index.js';
import { FX_CALENDAR, makeCalendar, type MarketCalendar } from './marketCalendar.js';

export function calendarForSymbol(config: PtConfig, symbol: string): MarketCalendar {
  for (const pair of config.universe.pairs) {
    for (const leg of [pair.leg_A, pair.leg_B]) {
      if (leg.canonical_symbol !== symbol) continue;
      return makeCalendar({
        sessions: leg.trading_hours.sessions,
        weeklyClose: /FRI/i.test(leg.trading_hours.weekly_close),
        holidaysCalendar: leg.trading_hours.holidays_calendar,
        timezone: leg.timezone,
      });
    }
  }
  return FX_CALENDAR;
}
