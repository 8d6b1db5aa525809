// SPEC §7 drawdown policy (dd_policy.yaml), shared by the backtest and `pt live`: levels, transitions, ops effects.
import type { PtConfig } from '../config/schemas/index.js';
import type { OpsState } from './decide.js';
import { TrailingDays } from './trailingDays.js';

export const DD_NORMAL = 0;
export const DD_WARN = 1;
export const DD_HALT = 2;
export const DD_FLATTEN = 3;
export type DdLevel = typeof DD_NORMAL | typeof DD_WARN | typeof DD_HALT | typeof DD_FLATTEN;
export const DD_LEVEL_NAMES = ['normal', 'warn', 'halt', 'flatten'] as const;

export interface DdPolicyParams {
  /** Trailing window of daily closes the drawdown is measured over (rolling_window_business_days). */
  windowDays: number;
  warnPortfolio: number;
  haltPortfolio: number;
  flattenPortfolio: number;
  kWarn: number;
  kHalt: number;
  kFlatten: number;
  leverageScaleOnWarn: number;
  /** Days with P&L (a position open) a pair needs in the window before its σ levels apply. */
  minPairDays: number;
}

/** Default for minPairDays: two trading weeks with a position; a σ of a handful of days means little. */
export const MIN_PAIR_DAYS = 10;

export function ddPolicyParamsFrom(dd: PtConfig['dd_policy'], minPairDays = MIN_PAIR_DAYS): DdPolicyParams {
  return {
    windowDays: dd.rolling_window_business_days,
    warnPortfolio: dd.dd_warn_portfolio,
    haltPortfolio: dd.dd_halt_portfolio,
    flattenPortfolio: dd.dd_flatten_portfolio,
    kWarn: dd.k_warn,
    kHalt: dd.k_halt,
    kFlatten: dd.k_flatten,
    leverageScaleOnWarn: dd.leverage_scale_on_warn,
    minPairDays,
  };
}

/**
 * The transition: a drawdown at or past a threshold moves up to the highest level it crosses at
 * once (normal → flatten in one day is possible). Going down happens only when the drawdown is back
 * under warn, straight to normal: a book halted at 10% that recovers to 9% stays halted, so the
 * policy does not flap around a threshold. NaN drawdown (nothing measured yet) keeps the level.
 */
export function nextDdLevel(current: DdLevel, drawdown: number, warn: number, halt: number, flatten: number): DdLevel {
  if (Number.isNaN(drawdown)) return current;
  const crossed: DdLevel = drawdown >= flatten ? DD_FLATTEN : drawdown >= halt ? DD_HALT : drawdown >= warn ? DD_WARN : DD_NORMAL;
  if (crossed >= current) return crossed;
  return crossed === DD_NORMAL ? DD_NORMAL : current;
}

/**
 * Portfolio level from daily equity closes (USD). The drawdown is measured against the highest close
 * of the trailing `windowDays` closes (today's included), not the all-time peak: that is what
 * rolling_window_business_days asks, and it is what lets a flattened book recover once the old
 * peak leaves the window. drawdown = (peak − equity) / peak. `startEquityUsd` (the initial
 * capital) counts as the close of the day before the first, so a loss on day one is a drawdown.
 */
export class PortfolioDdPolicy {
  level: DdLevel = DD_NORMAL;
  drawdown = 0;
  private readonly days: TrailingDays;

  constructor(readonly params: DdPolicyParams, startEquityUsd?: number) {
    this.days = new TrailingDays(params.windowDays);
    if (startEquityUsd !== undefined) this.days.push(startEquityUsd);
  }

  onDayClose(equityUsd: number): DdLevel {
    this.days.push(equityUsd);
    const peak = this.days.maxOfLast(this.params.windowDays);
    this.drawdown = peak > 0 ? Math.max(0, (peak - equityUsd) / peak) : Number.NaN;
    const p = this.params;
    this.level = nextDdLevel(this.level, this.drawdown, p.warnPortfolio, p.haltPortfolio, p.flattenPortfolio);
    return this.level;
  }
}

/**
 * Pair level from the pair's cumulative P&L (USD) at each daily close: drawdown in USD from the
 * trailing-window high, against k_warn/k_halt/k_flatten × σ, σ being the sample std of the pair's
 * daily P&L over the same window, counting only days whose P&L is not zero. Flat days are left out
 * on purpose: a pair trading 1 day in 5 would otherwise get a σ shrunk by the idle days and be
 * flattened by its first ordinary losing trade. With fewer than `minPairDays` such days σ is
 * undefined and the level stays where it is; a drawdown of 0 is always normal (so a flattened pair
 * recovers once its old high leaves the window). The series starts at
 * 0 P&L (the day before the first), so the first day's P&L is a change like any other.
 */
export class PairDdPolicy {
  level: DdLevel = DD_NORMAL;
  drawdownUsd = 0;
  sigmaUsd = Number.NaN;
  private readonly days: TrailingDays;

  constructor(readonly params: DdPolicyParams) {
    // +1: windowDays daily changes need windowDays + 1 closes.
    this.days = new TrailingDays(params.windowDays + 1);
    this.days.push(0);
  }

  onDayClose(cumulativePnlUsd: number): DdLevel {
    this.days.push(cumulativePnlUsd);
    const p = this.params;
    this.drawdownUsd = Math.max(0, this.days.maxOfLast(p.windowDays) - cumulativePnlUsd);
    const { std, changes } = this.days.stdOfChanges(true);
    this.sigmaUsd = changes >= p.minPairDays ? std : Number.NaN;
    const inSigmas = this.drawdownUsd === 0 ? 0 : this.drawdownUsd / this.sigmaUsd;
    this.level = nextDdLevel(this.level, inSigmas, p.kWarn, p.kHalt, p.kFlatten);
    return this.level;
  }
}

/**
 * What a level means for decide (SPEC §7): warn → leverage_scale_on_warn, halt → no new entries,
 * flatten → close everything (and no entries). The pair sees the worse of the portfolio and its own
 * level, and `manual` ops flags (pt ops halt/flatten, a leverage_scale) tighten further, never loosen.
 */
export function opsForLevels(portfolio: DdLevel, pair: DdLevel, params: DdPolicyParams, out: OpsState, manual?: OpsState): OpsState {
  const level = Math.max(portfolio, pair);
  out.allowEntries = level < DD_HALT && (manual?.allowEntries ?? true);
  out.flatten = level === DD_FLATTEN || (manual?.flatten ?? false);
  out.leverageScale = (level >= DD_WARN ? params.leverageScaleOnWarn : 1) * (manual?.leverageScale ?? 1);
  return out;
}
