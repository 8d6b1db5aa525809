// The SPEC §7 backtest KPIs from daily equity, the trade list, initial capital and filter/stop counts.
import { DAY_MS, type DailyEquity } from './dailyEquity.js';
import { dailyPnlUsd, dailyReturns } from './dailyReturns.js';
import { falseStopRate, filterRates, type FilterCounts, type StopCounts } from './filterRates.js';
import { losingStreaks, type LosingStreakBin } from './losingStreaks.js';
import { maxDrawdown } from './maxDrawdown.js';
import { monthlyWinRate } from './monthlyWinRate.js';
import { mean, sampleStd } from '../../core/sampleStats.js';
import { sharpeRatio } from './sharpeRatio.js';

export const TRADING_DAYS_PER_YEAR = 252;
/** Calendar years for CAGR and trades/yr: the Julian year, so leap years average out. */
export const DAYS_PER_CALENDAR_YEAR = 365.25;

/** One closed trade: entry and exit times (UTC ms) and its net P&L in USD after every cost. */
export interface Trade {
  entryMs: number;
  exitMs: number;
  pnlUsd: number;
}

export interface KpiInput {
  daily: DailyEquity;
  trades: readonly Trade[];
  initialCapitalUsd: number;
  filter?: FilterCounts;
  stops?: StopCounts;
}

export interface BacktestKpis {
  days: number;
  /** Calendar years from 00:00 UTC of the first day to 24:00 UTC of the last. */
  years: number;
  annualReturnSimple: number;
  annualReturnCompound: number;
  sharpe: number;
  maxDrawdown: number;
  calmar: number;
  pnlSigmaUsd: number;
  trades: number;
  ePerTrade: number;
  tradesPerYear: number;
  winRate: number;
  monthlyWinRate: number;
  months: number;
  losingStreaks: LosingStreakBin[];
  maxLosingStreak: number;
  haltRate: number;
  theta1PassRate: number;
  theta2PassRate: number;
  riskStops: number;
  falseStopRate: number;
}

function checkInput(input: KpiInput): void {
  const { daily, trades, initialCapitalUsd } = input;
  if (!(initialCapitalUsd > 0) || !Number.isFinite(initialCapitalUsd))
    throw new RangeError(`initial capital must be positive, got ${initialCapitalUsd}`);
  const n = daily.dayMs.length;
  if (n === 0) throw new RangeError('computeKpis needs at least one daily close');
  if (daily.equity.length !== n) throw new RangeError('daily dayMs and equity lengths differ');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(daily.equity[i]!)) throw new RangeError(`daily equity ${i} is not finite`);
    if (i > 0 && !(daily.dayMs[i]! > daily.dayMs[i - 1]!)) throw new RangeError(`daily days must increase (day ${i})`);
  }
  trades.forEach((t, i) => {
    if (!Number.isFinite(t.pnlUsd) || !Number.isFinite(t.entryMs) || !(t.exitMs >= t.entryMs))
      throw new RangeError(`trade ${i} is malformed`);
  });
}

/**
 * Every KPI of SPEC §7. Ratios with a zero or undefined denominator are NaN, never ±Infinity
 * (flat equity → Sharpe NaN; MaxDD 0 → Calmar NaN; no trades → E/trade and win rate NaN).
 */
export function computeKpis(input: KpiInput): BacktestKpis {
  checkInput(input);
  const { daily, trades, initialCapitalUsd: capital } = input;
  const n = daily.dayMs.length;
  const returns = dailyReturns(daily, capital);
  const years = (daily.dayMs[n - 1]! + DAY_MS - daily.dayMs[0]!) / DAY_MS / DAYS_PER_CALENDAR_YEAR;
  const last = daily.equity[n - 1]!;
  // A curve ending at or below zero has lost everything: −100%, not a complex root.
  const annualReturnCompound = last <= 0 ? -1 : Math.pow(last / capital, 1 / years) - 1;
  const mdd = maxDrawdown(daily.equity, capital);

  const pnl = trades.map((t) => t.pnlUsd);
  // Streaks follow the order trades closed; the stable sort keeps input order for equal exits.
  const exitOrder = trades
    .map((t, i) => ({ t, i }))
    .sort((a, b) => a.t.exitMs - b.t.exitMs || a.t.entryMs - b.t.entryMs || a.i - b.i);
  const streaks = losingStreaks(exitOrder.map((x) => x.t.pnlUsd));
  const months = monthlyWinRate(daily, capital);
  const rates = input.filter
    ? filterRates(input.filter)
    : { haltRate: Number.NaN, theta1PassRate: Number.NaN, theta2PassRate: Number.NaN };

  return {
    days: n,
    years,
    annualReturnSimple: mean(returns) * TRADING_DAYS_PER_YEAR,
    annualReturnCompound,
    sharpe: sharpeRatio(returns, TRADING_DAYS_PER_YEAR),
    maxDrawdown: mdd,
    calmar: mdd > 0 ? annualReturnCompound / mdd : Number.NaN,
    pnlSigmaUsd: sampleStd(dailyPnlUsd(daily, capital)),
    trades: trades.length,
    ePerTrade: trades.length === 0 ? Number.NaN : mean(pnl) / capital,
    tradesPerYear: trades.length / years,
    winRate: trades.length === 0 ? Number.NaN : pnl.filter((p) => p > 0).length / trades.length,
    monthlyWinRate: months.rate,
    months: months.months,
    losingStreaks: streaks,
    maxLosingStreak: streaks.length === 0 ? 0 : streaks[streaks.length - 1]!.length,
    ...rates,
    riskStops: input.stops?.riskStops ?? 0,
    falseStopRate: input.stops ? falseStopRate(input.stops) : Number.NaN,
  };
}
