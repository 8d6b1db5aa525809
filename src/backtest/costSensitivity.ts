// Gross and net: the same decisions re-run through the accounting with the whole cost table scaled
// (0× is gross), the break-even cost per round trip, and how often lot sizing skipped an entry.
import { runBacktest } from './engine.js';
import { scaleCostTable } from './costs/scaleCostTable.js';
import { ACTION_CODES, type BacktestInput, type BacktestResult } from './backtestTypes.js';
import type { BacktestKpis } from './kpis/index.js';

/** The scales of the sensitivity table: 0× (gross), a quarter, a half, the table, twice the table. */
export const COST_SCALES = [0, 0.25, 0.5, 1, 2] as const;

export interface CostSensitivityRow {
  scale: number;
  sharpe: number;
  annualReturn: number;
  maxDrawdown: number;
  pnlUsd: number;
}

export interface SizingSkips {
  /** Event starts that decide opened (filled or not) plus those sizing refused. */
  attempted: number;
  skipped: number;
  rate: number;
  reasons: Record<string, number>;
}

export interface GrossNet {
  gross: BacktestKpis;
  rows: CostSensitivityRow[];
  /**
   * Cost per round trip, in bps of both legs' entry notional, at which the gross P&L is used up:
   * gross P&L / Σ entry notional × 10⁴ (negative when the rule loses before costs).
   */
  breakEvenBps: number;
  /** What the run's own costs came to per round trip, in the same bps: (gross − net P&L) / Σ entry notional × 10⁴. */
  costBps: number;
  sizing: SizingSkips;
}

const SIZING_REASONS = ['invalid_beta', 'ratio_out_of_tolerance'];

/**
 * One re-run of the accounting per scale on the decisions `result` recorded (runBacktest with
 * replayDecisions): the same entries and exits, only costs and swaps change. So the rows isolate what
 * costs do; they do not say what the DD policy would have decided had the equity been different.
 */
export function costSensitivity(
  input: BacktestInput,
  result: BacktestResult,
  scales: readonly number[] = COST_SCALES,
): GrossNet {
  const table = input.costTable ?? input.config.cost_table;
  const base = { ...input, recordOps: false, replayDecisions: result.decisions };
  const runs = scales.map((k) => ({ k, r: runBacktest({ ...base, costTable: scaleCostTable(table, k) }) }));
  const rows = runs.map(({ k, r }) => ({
    scale: k,
    sharpe: r.kpis.sharpe,
    annualReturn: r.kpis.annualReturnSimple,
    maxDrawdown: r.kpis.maxDrawdown,
    pnlUsd: r.trades.reduce((a, t) => a + t.pnl, 0),
  }));
  const grossRun = runs.find((x) => x.k === 0)?.r ?? runBacktest({ ...base, costTable: scaleCostTable(table, 0) });
  const grossPnl = grossRun.trades.reduce((a, t) => a + t.pnl, 0);
  const notional = grossRun.trades.reduce((a, t) => a + t.notional_usd, 0);
  const runNotional = result.trades.reduce((a, t) => a + t.notional_usd, 0);
  const runPnl = result.trades.reduce((a, t) => a + t.pnl, 0);
  let opens = 0;
  for (const a of Object.values(result.actions)) for (const code of a) if (code === ACTION_CODES.open) opens++;
  const reasons: Record<string, number> = {};
  let skipped = 0;
  for (const reason of SIZING_REASONS) {
    const n = result.skips[reason] ?? 0;
    if (n > 0) reasons[reason] = n;
    skipped += n;
  }
  return {
    gross: grossRun.kpis,
    rows,
    breakEvenBps: notional > 0 ? (grossPnl / notional) * 1e4 : Number.NaN,
    costBps: runNotional > 0 ? ((grossPnl - runPnl) / runNotional) * 1e4 : Number.NaN,
    sizing: {
      attempted: opens + skipped,
      skipped,
      rate: opens + skipped > 0 ? skipped / (opens + skipped) : 0,
      reasons,
    },
  };
}
