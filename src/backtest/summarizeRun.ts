// Turns a backtest result into the SPEC §7 outputs: summary rows (portfolio and per pair), daily
// equity with drawdown, bootstrap CIs, verdicts and the report's data.
import type { PtConfig } from '../config/schemas/index.js';
import { barsPerDay, utcMonthKey, type Timeframe } from '../core/time.js';
import type { BacktestResult } from './backtestTypes.js';
import {
  absoluteAcceptance,
  annualReturnStatistic,
  drawdownPath,
  blockBootstrapCi,
  bootstrapOptionsFrom,
  computeKpis,
  dailyEquity,
  maxDrawdownStatistic,
  sharpeStatistic,
  type BacktestKpis,
  type ConfidenceInterval,
  type Verdict,
} from './kpis/index.js';

export interface PairSummary {
  pairId: string;
  trades: number;
  winRate: number;
  pnlUsd: number;
  ePerTrade: number;
  kpis?: BacktestKpis;
}

export interface RunSummary {
  kpis: BacktestKpis;
  daily: { dayMs: Float64Array; equity: Float64Array; dd: Float64Array };
  cis: Record<string, ConfidenceInterval>;
  verdict: Verdict;
  pairs: PairSummary[];
  monthly: Array<{ month: string; ret: number }>;
}

/**
 * A pair's KPIs exactly as the portfolio's (SPEC §7), on the pair's own equity: the capital plus its
 * realised and marked P&L at each of its bar closes, resampled to daily closes. So a one-pair run's
 * pair row equals its portfolio row.
 */
function pairKpis(result: BacktestResult, pairId: string, capital: number): BacktestKpis | undefined {
  const ts = result.pairTimesMs[pairId];
  const value = result.pairValueUsd[pairId];
  if (!ts || !value || ts.length === 0) return undefined;
  const trades = result.trades.filter((t) => t.pair_id === pairId);
  return computeKpis({
    daily: dailyEquity(
      ts,
      value.map((v) => capital + v),
    ),
    trades: trades.map((t) => ({ entryMs: t.ts_entry, exitMs: t.ts_exit, pnlUsd: t.pnl })),
    initialCapitalUsd: capital,
  });
}

export function summarizeRun(config: PtConfig, result: BacktestResult, timeframe: Timeframe, seed: number): RunSummary {
  const capital = result.initialCapitalUsd;
  const daily = dailyEquity(result.timesMs, result.equityUsd);
  const dd = drawdownPath(daily.equity, capital);
  // Bar returns for the bootstrap (SPEC §7: blocks of 20 bars).
  const n = result.equityUsd.length;
  const barReturns = new Float64Array(n);
  for (let i = 0; i < n; i++)
    barReturns[i] = (i === 0 ? result.equityUsd[0]! / capital : result.equityUsd[i]! / result.equityUsd[i - 1]!) - 1;
  const opts = bootstrapOptionsFrom(config, seed);
  const bpd = barsPerDay(timeframe);
  const cis: Record<string, ConfidenceInterval> =
    n > 40
      ? {
          sharpe: blockBootstrapCi(barReturns, sharpeStatistic(bpd), opts),
          annual_return_simple: blockBootstrapCi(barReturns, annualReturnStatistic(bpd), opts),
          max_dd: blockBootstrapCi(barReturns, maxDrawdownStatistic(), opts),
        }
      : {};
  const months = new Map<string, number>();
  daily.dayMs.forEach((d, i) => months.set(utcMonthKey(d), daily.equity[i]!));
  const monthly: Array<{ month: string; ret: number }> = [];
  let prev = capital;
  for (const [month, close] of months) {
    monthly.push({ month, ret: close / prev - 1 });
    prev = close;
  }
  const pairIds = [...new Set(result.trades.map((t) => t.pair_id))].sort();
  const pairs = pairIds.map((pairId) => {
    const ts = result.trades.filter((t) => t.pair_id === pairId);
    const pnl = ts.reduce((a, t) => a + t.pnl, 0);
    return {
      pairId,
      trades: ts.length,
      winRate: ts.filter((t) => t.pnl > 0).length / ts.length,
      pnlUsd: pnl,
      ePerTrade: pnl / ts.length / capital,
      kpis: pairKpis(result, pairId, capital),
    };
  });
  return {
    kpis: result.kpis,
    daily: { dayMs: daily.dayMs, equity: daily.equity, dd },
    cis,
    verdict: absoluteAcceptance(result.kpis, config.backtest_policy.acceptance),
    pairs,
    monthly,
  };
}
