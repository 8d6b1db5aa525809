// Whether both legs of a pair are inside trading time at an instant (SPEC §7 entry rule), asked per bar.
import type { PairSpec, PtConfig } from '../config/schemas/index.js';
import { calendarForSymbol } from '../data/calendar/calendarForSymbol.js';
import { isTradingTime, type MarketCalendar } from '../data/calendar/marketCalendar.js';

/** The kernel's port for the session and holiday gate: may the pair trade at this instant? */
export interface SessionGate {
  /** `instantMs` is when the order would go out: the bar's close. */
  isTradable(instantMs: number): boolean;
}

/**
 * Each leg's calendar (its sessions in its own timezone, the weekly close, its holidays), built
 * once; when both legs have the same hours and timezone (XAU/XAG, most FX pairs) only one is asked.
 * Sessions are end-exclusive, so for metals 17:00 New York is already in the daily break, and the
 * Friday bar closing at the weekly close is not tradable.
 */
export class PairSessionGate implements SessionGate {
  private readonly calA: MarketCalendar;
  private readonly calB: MarketCalendar;
  private readonly same: boolean;

  constructor(config: PtConfig, pair: Pick<PairSpec, 'leg_A' | 'leg_B'>) {
    this.calA = calendarForSymbol(config, pair.leg_A.canonical_symbol);
    this.calB = calendarForSymbol(config, pair.leg_B.canonical_symbol);
    this.same = this.calA === this.calB || sameHours(config, pair);
  }

  isTradable(instantMs: number): boolean {
    return isTradingTime(this.calA, instantMs) && (this.same || isTradingTime(this.calB, instantMs));
  }
}

/** One-off form of PairSessionGate (tools and tests). */
export function bothLegsTradable(config: PtConfig, pair: Pick<PairSpec, 'leg_A' | 'leg_B'>, tsMs: number): boolean {
  return new PairSessionGate(config, pair).isTradable(tsMs);
}

/** Both legs listed in universe.yaml with identical trading_hours and timezone. */
function sameHours(config: PtConfig, pair: Pick<PairSpec, 'leg_A' | 'leg_B'>): boolean {
  const legOf = (symbol: string) =>
    config.universe.pairs.flatMap((p) => [p.leg_A, p.leg_B]).find((l) => l.canonical_symbol === symbol);
  const a = legOf(pair.leg_A.canonical_symbol);
  const b = legOf(pair.leg_B.canonical_symbol);
  if (!a && !b) return true; // both fall back to the same FX calendar
  return !!a && !!b && a.timezone === b.timezone && JSON.stringify(a.trading_hours) === JSON.stringify(b.trading_hours);
}
