// The market calendar of a symbol from universe.yaml (its leg's trading hours and calendars.yaml
// holidays), FX 24x5 when not listed. Built once per symbol and config.
import type { PtConfig } from '../../config/schemas/index.js';
import { FX_CALENDAR, makeCalendar, type HolidaySpec, type MarketCalendar } from './marketCalendar.js';

const cache = new WeakMap<PtConfig, Map<string, MarketCalendar>>();

function holidaysOf(config: PtConfig, name: string): HolidaySpec {
  const c = config.calendars.calendars[name];
  if (!c) throw new RangeError(`holidays_calendar "${name}" is not in calendars.yaml`);
  return {
    closedDates: c.closed_dates,
    closedRules: c.closed_rules,
    earlyCloseRules: c.early_close_rules,
    earlyCloseTime: c.early_close_time,
  };
}

export function calendarForSymbol(config: PtConfig, symbol: string): MarketCalendar {
  let byConfig = cache.get(config);
  if (!byConfig) cache.set(config, (byConfig = new Map()));
  const known = byConfig.get(symbol);
  if (known) return known;
  let calendar = FX_CALENDAR;
  outer: for (const pair of config.universe.pairs) {
    for (const leg of [pair.leg_A, pair.leg_B]) {
      if (leg.canonical_symbol !== symbol) continue;
      calendar = makeCalendar({
        sessions: leg.trading_hours.sessions,
        weeklyClose: /FRI/i.test(leg.trading_hours.weekly_close),
        holidays: holidaysOf(config, leg.trading_hours.holidays_calendar),
        timezone: leg.timezone,
      });
      break outer;
    }
  }
  byConfig.set(symbol, calendar);
  return calendar;
}
