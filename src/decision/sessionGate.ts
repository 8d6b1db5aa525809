// Whether both legs of a pair are inside trading time at an instant (SPEC §7 entry rule).
import type { PairSpec, PtConfig } from '../config/schemas/index.js';
import { calendarForSymbol } from '../data/calendar/calendarForSymbol.js';
import { isTradingTime } from '../data/calendar/marketCalendar.js';

/**
 * True when each leg's calendar (its sessions in its own timezone, the weekly close, its holidays)
 * says `tsMs` is trading time. `tsMs` is the instant the order would go out; sessions are
 * end-exclusive, so for metals 17:00 New York is already in the daily break.
 */
export function bothLegsTradable(config: PtConfig, pair: Pick<PairSpec, 'leg_A' | 'leg_B'>, tsMs: number): boolean {
  return isTradingTime(calendarForSymbol(config, pair.leg_A.canonical_symbol), tsMs)
    && isTradingTime(calendarForSymbol(config, pair.leg_B.canonical_symbol), tsMs);
}
