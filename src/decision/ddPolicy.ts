// SPEC §7 drawdown policy (dd_policy.yaml), evaluated at every bar close by the same code in the
// backtest and `pt live`: levels from the drawdown of bar marks, and what each level does to decisions.
import type { PtConfig } from '../config/schemas/index.js';
import { DAY_MS, utcDayStart } from '../core/time.js';
import { RollingMaxDeque } from '../features/rollingMaxDeque.js';
import type { OpsState } from './decide.js';
import { TrailingDays } from './trailingDays.js';

export const DD_NORMAL = 0;
export const DD_WARN = 1;
export const DD_HALT = 2;
export const DD_FLATTEN = 3;
export type DdLevel = typeof DD_NORMAL | typeof DD_WARN | typeof DD_HALT | typeof DD_FLATTEN;
export const DD_LEVEL_NAMES = ['normal', 'warn', 'halt', 'flatten'] as const;

export interface DdPolicyParams {
  /** rolling_window_business_days: the σ window in days. */
  windowDays: number;
  /** windowDays × bars_per_day: the bar marks the peak is taken over (SPEC §0 "N days"). */
  windowBars: number;
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

export function ddPolicyParamsFrom(
  dd: PtConfig['dd_policy'],
  barsPerDay: number,
  minPairDays = MIN_PAIR_DAYS,
): DdPolicyParams {
  if (!Number.isInteger(barsPerDay) || barsPerDay < 1)
    throw new RangeError(`barsPerDay must be a positive integer, got ${barsPerDay}`);
  return {
    windowDays: dd.rolling_window_business_days,
    windowBars: dd.rolling_window_business_days * barsPerDay,
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
 * The level a drawdown is at: the highest threshold it reaches (inclusive). No memory: SPEC §7 lets a
 * level lift by itself once the drawdown falls back below it (only manual `pt ops` halts need a
 * resume). NaN (nothing measured yet) is normal.
 */
export function ddLevelFor(drawdown: number, warn: number, halt: number, flatten: number): DdLevel {
  return drawdown >= flatten ? DD_FLATTEN : drawdown >= halt ? DD_HALT : drawdown >= warn ? DD_WARN : DD_NORMAL;
}

/**
 * Portfolio level from the equity marked at each bar close (USD): drawdown = (peak − mark) / peak,
 * the peak taken over the trailing `windowBars` marks (this one included), not the all-time high,
 * so a flattened book recovers once the old peak leaves the window. `startEquityUsd` (the initial
 * capital) counts as the mark before the first bar, so a loss on the first bar is a drawdown.
 * Amortised O(1) per bar.
 */
export class PortfolioDrawdown {
  level: DdLevel = DD_NORMAL;
  drawdown = 0;
  private readonly peaks: RollingMaxDeque;
  private marks = 0;

  constructor(
    readonly params: DdPolicyParams,
    startEquityUsd?: number,
  ) {
    this.peaks = new RollingMaxDeque(params.windowBars);
    if (startEquityUsd !== undefined) this.peaks.push(this.marks++, startEquityUsd);
  }

  onBarClose(equityUsd: number): DdLevel {
    this.peaks.push(this.marks++, equityUsd);
    const peak = this.peaks.max();
    this.drawdown = peak > 0 ? Math.max(0, (peak - equityUsd) / peak) : Number.NaN;
    const p = this.params;
    this.level = ddLevelFor(this.drawdown, p.warnPortfolio, p.haltPortfolio, p.flattenPortfolio);
    return this.level;
  }
}

/** A pair's bar close as PairDrawdown.onMark reads it: its time (UTC ms) and cumulative P&L (USD). */
export interface PairMark {
  tsMs: number;
  pnlUsd: number;
}

/**
 * Pair level from the pair's cumulative P&L (USD) marked at each of its bar closes: the drawdown in
 * USD from the peak of its trailing `windowBars` marks, in units of σ, against k_warn/k_halt/k_flatten.
 * σ is the sample std of the pair's daily P&L (UTC day closes) over the trailing `windowDays` days,
 * refreshed at each day boundary, counting only days whose P&L is not zero: a pair trading one day in
 * five would otherwise get a σ shrunk by its idle days and be flattened by its first ordinary losing
 * trade. With fewer than `minPairDays` such days σ is undefined and the pair is normal. The series
 * starts at 0 P&L, the mark before its first bar.
 */
export class PairDrawdown {
  level: DdLevel = DD_NORMAL;
  drawdownUsd = 0;
  private sigma = Number.NaN;
  /** A day closed since σ was last computed: σ is computed when first needed (a drawdown), not at every boundary. */
  private sigmaStale = false;
  private readonly peaks: RollingMaxDeque;
  private readonly days: TrailingDays;
  private marks = 0;
  private day = Number.NaN;
  /** End of the current UTC day (exclusive): the day test without a division per bar. */
  private dayEnd = Number.NaN;
  private lastMark = 0;
  private readonly scratch: PairMark = { tsMs: 0, pnlUsd: 0 };

  constructor(readonly params: DdPolicyParams) {
    this.peaks = new RollingMaxDeque(params.windowBars);
    this.peaks.push(this.marks++, 0);
    // +1: windowDays daily changes need windowDays + 1 closes.
    this.days = new TrailingDays(params.windowDays + 1);
    this.days.push(0);
  }

  /** σ of the pair's daily P&L as of the last day boundary; NaN under minPairDays days with P&L. */
  get sigmaUsd(): number {
    if (this.sigmaStale) this.refreshSigma();
    return this.sigma;
  }

  private refreshSigma(): void {
    const { std, changes } = this.days.stdOfChanges(true);
    this.sigma = changes >= this.params.minPairDays ? std : Number.NaN;
    this.sigmaStale = false;
  }

  onBarClose(tsMs: number, cumulativePnlUsd: number): DdLevel {
    const m = this.scratch;
    m.tsMs = tsMs;
    m.pnlUsd = cumulativePnlUsd;
    return this.onMark(m);
  }

  /**
   * onBarClose with the bar's time and P&L in a caller's object it overwrites every bar: the
   * backtest's hot loop, where two doubles passed to a call that is not inlined would be boxed.
   */
  onMark(mark: PairMark): DdLevel {
    const tsMs = mark.tsMs;
    const cumulativePnlUsd = mark.pnlUsd;
    // Written as !(<) so that the NaN of the first bar enters.
    const sameDay = tsMs < this.dayEnd && tsMs >= this.day;
    // The same P&L on the same day with no mark leaving the window: peak, drawdown, σ and level stay.
    if (sameDay && Object.is(cumulativePnlUsd, this.lastMark) && this.peaks.pushRepeat(this.marks)) {
      this.marks++;
      return this.level;
    }
    if (!sameDay) {
      const day = utcDayStart(tsMs);
      // A new UTC day: the previous bar's mark closed the previous day (SPEC §0 day boundary).
      if (!Number.isNaN(this.day)) {
        // A flat day that pushes out a flat day leaves the same non-zero changes, so the same σ.
        if (!this.days.pushKeepsNonZeroChanges(this.lastMark)) this.sigmaStale = true;
        this.days.push(this.lastMark);
      }
      this.day = day;
      this.dayEnd = day + DAY_MS;
    }
    this.lastMark = cumulativePnlUsd;
    this.peaks.push(this.marks++, cumulativePnlUsd);
    this.drawdownUsd = Math.max(0, this.peaks.max() - cumulativePnlUsd);
    let inSigmas = 0;
    if (this.drawdownUsd !== 0) {
      if (this.sigmaStale) this.refreshSigma();
      inSigmas = this.drawdownUsd / this.sigma;
    }
    const p = this.params;
    this.level = ddLevelFor(inSigmas, p.kWarn, p.kHalt, p.kFlatten);
    return this.level;
  }
}

/**
 * What a level means for decide (SPEC §7): warn → leverage_scale_on_warn, halt → no new entries,
 * flatten → close everything (and no entries). The pair sees the worse of the portfolio and its own
 * level, and `manual` ops flags (pt ops halt/flatten, a leverage_scale) tighten further, never loosen.
 */
export function opsForLevels(
  portfolio: DdLevel,
  pair: DdLevel,
  params: DdPolicyParams,
  out: OpsState,
  manual?: OpsState,
): OpsState {
  const level = Math.max(portfolio, pair);
  out.allowEntries = level < DD_HALT && (manual?.allowEntries ?? true);
  out.flatten = level === DD_FLATTEN || (manual?.flatten ?? false);
  out.leverageScale = (level >= DD_WARN ? params.leverageScaleOnWarn : 1) * (manual?.leverageScale ?? 1);
  out.holdExits = manual?.holdExits === true;
  return out;
}
