// Whether both legs of a pair may trade at each bar's close (SPEC §7 sessions and holidays), as a column.
import type { PairSpec, PtConfig } from '../config/schemas/index.js';
import { calendarForSymbol } from '../data/calendar/calendarForSymbol.js';
import { isTradingTime } from '../data/calendar/marketCalendar.js';

/**
 * The instant checked is the bar's close (`ts + barMs`): that is when the order goes out, so the
 * Friday bar closing at the weekly close is not tradable. Calendars are built once per leg, and
 * when both legs have the same trading hours and timezone (XAU/XAG, most FX pairs) only one is asked.
 */
export function tradableColumn(config: PtConfig, pair: PairSpec, ts: Float64Array, barMs: number): Uint8Array {
  const calA = calendarForSymbol(config, pair.leg_A.canonical_symbol);
  const calB = calendarForSymbol(config, pair.leg_B.canonical_symbol);
  const same = calA === calB || sameHours(config, pair);
  const out = new Uint8Array(ts.length);
  for (let i = 0; i < ts.length; i++) {
    const at = ts[i]! + barMs;
    out[i] = isTradingTime(calA, at) && (same || isTradingTime(calB, at)) ? 1 : 0;
  }
  return out;
}

/** Both legs listed in universe.yaml with identical trading_hours and timezone. */
function sameHours(config: PtConfig, pair: PairSpec): boolean {
  const legOf = (symbol: string) => config.universe.pairs.flatMap((p) => [p.leg_A, p.leg_B]).find((l) => l.canonical_symbol === symbol);
  const a = legOf(pair.leg_A.canonical_symbol);
  const b = legOf(pair.leg_B.canonical_symbol);
  if (!a && !b) return true; // both fall back to the same FX calendar
  return !!a && !!b && a.timezone === b.timezone && JSON.stringify(a.trading_hours) === JSON.stringify(b.trading_hours);
}
