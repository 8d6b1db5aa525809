// SPEC §6 KPIs of a trial on one period of its run: the selection period θ is chosen on, or the
// held-out last 20 % of the OOS period. Predictions outside the period are masked, so every trade
// opens inside it; the KPIs are computed on the period's days only, from its opening equity.
import { computeKpis, DAY_MS } from '../backtest/kpis/index.js';
import type { BacktestTrade } from '../backtest/backtestTypes.js';
import type { TrialKpis } from './optimizeRun.js';

export interface TrialRunOutput {
  tradeList: readonly BacktestTrade[];
  /** Days (00:00 UTC) and the simple daily returns of the whole run, the first against `capital`. */
  dayMs: Float64Array;
  dailyReturns: Float64Array;
  kpis: { fpRateAi2: number };
}

export interface PeriodSeries {
  kpis: TrialKpis;
  /** The period's daily returns (for the DSR, PBO and the improvement CI). */
  dailyReturns: Float64Array;
}

/** KPIs on the days in [from, to] (UTC ms; a day belongs when its 00:00 is in [day(from), to]). */
export function windowKpis(run: TrialRunOutput, capital: number, from: number, to: number): PeriodSeries {
  const { dayMs, dailyReturns } = run;
  const first = Math.floor(from / DAY_MS) * DAY_MS;
  let equity = capital;
  let opening = capital;
  const days: number[] = [];
  const closes: number[] = [];
  const returns: number[] = [];
  for (let i = 0; i < dayMs.length; i++) {
    equity *= 1 + dailyReturns[i]!;
    if (dayMs[i]! < first) opening = equity;
    else if (dayMs[i]! <= to) {
      days.push(dayMs[i]!);
      closes.push(equity);
      returns.push(dailyReturns[i]!);
    }
  }
  const trades = run.tradeList
    .filter((t) => t.ts_entry >= from && t.ts_entry <= to)
    .map((t) => ({ entryMs: t.ts_entry, exitMs: t.ts_exit, pnlUsd: t.pnl }));
  if (days.length === 0) {
    const none = Number.NaN;
    return {
      kpis: { annualReturn: none, sharpe: none, maxDd: none, tradesPerYear: 0, fpRateAi2: none, trades: 0 },
      dailyReturns: new Float64Array(0),
    };
  }
  const k = computeKpis({
    daily: { dayMs: Float64Array.from(days), equity: Float64Array.from(closes) },
    trades,
    initialCapitalUsd: opening,
  });
  return {
    kpis: {
      annualReturn: k.annualReturnCompound,
      sharpe: k.sharpe,
      maxDd: k.maxDrawdown,
      tradesPerYear: trades.length / k.years,
      // Every trade of the run opens inside the period (predictions elsewhere are masked).
      fpRateAi2: run.kpis.fpRateAi2,
      trades: trades.length,
    },
    dailyReturns: Float64Array.from(returns),
  };
}
