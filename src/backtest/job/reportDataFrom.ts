// Maps a finished backtest (result, summary, costs, stress, baseline comparison) to the report's input.
import { isoUtc } from '../../core/time.js';
import type { ResolvedDecisionParams } from '../../decision/decisionParams.js';
import type { BacktestResult } from '../backtestTypes.js';
import type { RunComparison } from '../compareRuns.js';
import type { GrossNet } from '../costSensitivity.js';
import type { ReportData } from '../report/index.js';
import type { StressRow } from '../stress/runStressScenarios.js';
import type { RunSummary } from '../summarizeRun.js';
import type { BtSummaryRow } from './btSummaryRows.js';

export interface ReportInputs {
  title: string;
  runId: string;
  /** null for a rule-only run. */
  modelVersion: string | null;
  /** ISO time the report was made. */
  generatedAt: string;
  decision: ResolvedDecisionParams;
  result: BacktestResult;
  summary: RunSummary;
  /** bt_summary rows: the portfolio, then the pairs. */
  summaryRows: readonly BtSummaryRow[];
  grossNet: GrossNet;
  stress: readonly StressRow[];
  comparison?: RunComparison;
}

export function reportDataFrom(r: ReportInputs): ReportData {
  const { result, summary, decision, grossNet } = r;
  return {
    title: r.title,
    runId: r.runId,
    modelVersion: r.modelVersion,
    generatedAt: r.generatedAt,
    theta: {
      theta1: decision.params.useTheta ? decision.params.theta1 : null,
      theta2: decision.params.useTheta ? decision.params.theta2 : null,
      source: decision.thetaSource,
    },
    period: { from: isoUtc(result.timesMs[0] ?? 0), to: isoUtc(result.timesMs[result.timesMs.length - 1] ?? 0) },
    kpis: {
      annual_return_simple: summary.kpis.annualReturnSimple,
      annual_return_compound: summary.kpis.annualReturnCompound,
      sharpe: summary.kpis.sharpe,
      max_dd: summary.kpis.maxDrawdown,
      calmar: summary.kpis.calmar,
      e_per_trade: summary.kpis.ePerTrade,
      trades_per_year: summary.kpis.tradesPerYear,
      win_rate: summary.kpis.winRate,
      monthly_win_rate: summary.kpis.monthlyWinRate,
      halt_rate: summary.kpis.haltRate,
      theta1_pass_rate: summary.kpis.theta1PassRate,
      theta2_pass_rate: summary.kpis.theta2PassRate,
      false_stop_rate: summary.kpis.falseStopRate,
    },
    cis: Object.fromEntries(
      Object.entries(summary.cis).map(([k, c]) => [k, { estimate: c.estimate, lower: c.lower, upper: c.upper }]),
    ),
    verdicts: [
      ...summary.verdict.checks.map((c) => ({ name: c.name, pass: c.pass, reason: c.reason })),
      ...(r.comparison
        ? r.comparison.verdict.checks.map((c) => ({ name: `vs baseline: ${c.name}`, pass: c.pass, reason: c.reason }))
        : []),
    ],
    initialCapitalUsd: result.initialCapitalUsd,
    dailyEquity: { dayMs: Array.from(summary.daily.dayMs), equity: Array.from(summary.daily.equity) },
    monthlyReturns: summary.monthly,
    pairs: r.summaryRows.slice(1).map((row) => {
      const p = summary.pairs.find((x) => x.pairId === row.pair_id);
      return {
        pairId: row.pair_id,
        trades: row.trades,
        winRate: row.win_rate,
        pnlUsd: p?.pnlUsd ?? 0,
        sharpe: row.sharpe,
        maxDd: row.max_dd,
        ddShares: { warn: row.dd_warn_share, halt: row.dd_halt_share, flatten: row.dd_flatten_share },
      };
    }),
    trades: result.trades.map((t) => ({
      tradeId: String(t.trade_id),
      pairId: t.pair_id,
      side: t.side,
      tsEntry: isoUtc(t.ts_entry),
      tsExit: isoUtc(t.ts_exit),
      pnlUsd: t.pnl,
      zEntry: t.z_at_entry,
      zExit: t.z_at_exit,
      returnProb: t.return_prob,
      riskScore: t.risk_score,
    })),
    stress: r.stress.map((s) => ({
      scenario: s.scenario,
      pairId: s.pair_id,
      sharpe: s.sharpe,
      maxDd: s.max_dd,
      annReturn: s.ann_return,
      notes: s.notes,
    })),
    costs: {
      rows: grossNet.rows,
      breakEvenBps: grossNet.breakEvenBps,
      costBps: grossNet.costBps,
      sizing: grossNet.sizing,
    },
  };
}
