// The four SPEC §7 output tables of a backtest (bt_summary, bt_trades, bt_daily_equity,
// bt_stress_results) as typed columns; every row carries the run's identity.
import type { TableColumn } from '../../ports/tableWriter.js';
import type { BacktestTrade } from '../backtestTypes.js';
import type { StressRow } from '../stress/runStressScenarios.js';
import type { BtSummaryRow } from './btSummaryRows.js';

export const BT_TABLE_NAMES = ['bt_summary', 'bt_trades', 'bt_daily_equity', 'bt_stress_results'] as const;
export type BtTableName = (typeof BT_TABLE_NAMES)[number];

/** The run record (what --baseline-run reads) and the HTML report, beside the tables. */
export const BT_RUN_JSON = 'bt_run.json';
export const BT_REPORT_HTML = 'report.html';

/**
 * Every file name pt bt run writes in its --out folder, in one place: --force removes exactly
 * these (the tables as Parquet and CSV, whether or not this run writes them) and nothing else.
 */
export const BT_OUTPUT_FILES: readonly string[] = [
  ...BT_TABLE_NAMES.flatMap((name) => [`${name}.parquet`, `${name}.csv`]),
  BT_RUN_JSON,
  BT_REPORT_HTML,
];

/** The identity stamped on every row (SPEC §7). */
export interface RunStamp {
  model_version: string;
  feature_schema_hash: string;
  code_hash: string;
  seed: string;
  run_id: string;
}

export interface BtOutputs {
  summaryRows: readonly BtSummaryRow[];
  /** `first..last` bar time, ISO UTC. */
  period: string;
  /** θ1/θ2 the decisions used (NaN when not applied) and where they came from. */
  theta: { theta1: number; theta2: number; source: string };
  paramsHash: string;
  dataHash: string;
  trades: readonly BacktestTrade[];
  daily: { dayMs: Float64Array; equity: Float64Array; dd: Float64Array };
  stress: readonly StressRow[];
  stamp: RunStamp;
}

/** bt_summary's DOUBLE columns, in their order (pt serve reads the same list). */
export const SUMMARY_DOUBLES = [
  'trades',
  'win_rate',
  'e_per_trade',
  'ann_return',
  'sharpe',
  'max_dd',
  'halt_rate',
  'dd_warn_share',
  'dd_halt_share',
  'dd_flatten_share',
] as const;

/** bt_trades' DOUBLE columns, in their order (pt serve's readers cast the same list). */
export const TRADE_DOUBLES = [
  'qty_A',
  'qty_B',
  'price_A_entry',
  'price_B_entry',
  'price_A_exit',
  'price_B_exit',
  'z_at_entry',
  'z_at_exit',
  'return_prob',
  'risk_score',
  'cost_commission',
  'cost_slippage',
  'cost_spread',
  'swap',
  'pnl',
] as const;

function stampColumns(stamp: RunStamp, n: number): TableColumn[] {
  return Object.entries(stamp).map(([name, v]) => ({
    name,
    kind: 'varchar' as const,
    values: Array.from({ length: n }, () => v),
  }));
}

export function btOutputTables(o: BtOutputs): Record<BtTableName, TableColumn[]> {
  const rows = o.summaryRows;
  const trades = o.trades;
  const days = o.daily.dayMs.length;
  return {
    bt_summary: [
      { name: 'pair_id', kind: 'varchar', values: rows.map((r) => r.pair_id) },
      { name: 'period', kind: 'varchar', values: rows.map(() => o.period) },
      ...SUMMARY_DOUBLES.map((k) => ({
        name: k,
        kind: 'double' as const,
        values: Float64Array.from(rows, (r) => r[k]),
      })),
      { name: 'theta1', kind: 'double', values: Float64Array.from(rows, () => o.theta.theta1) },
      { name: 'theta2', kind: 'double', values: Float64Array.from(rows, () => o.theta.theta2) },
      { name: 'theta_source', kind: 'varchar', values: rows.map(() => o.theta.source) },
      { name: 'params_hash', kind: 'varchar', values: rows.map(() => o.paramsHash) },
      { name: 'data_hash', kind: 'varchar', values: rows.map(() => o.dataHash) },
      ...stampColumns(o.stamp, rows.length),
    ],
    bt_trades: [
      { name: 'trade_id', kind: 'varchar', values: trades.map((t) => String(t.trade_id)) },
      { name: 'timestamp_entry', kind: 'timestamp', values: Float64Array.from(trades, (t) => t.ts_entry) },
      { name: 'timestamp_exit', kind: 'timestamp', values: Float64Array.from(trades, (t) => t.ts_exit) },
      { name: 'pair_id', kind: 'varchar', values: trades.map((t) => t.pair_id) },
      { name: 'side', kind: 'varchar', values: trades.map((t) => t.side) },
      ...TRADE_DOUBLES.map((k) => ({
        name: k,
        kind: 'double' as const,
        values: Float64Array.from(trades, (t) => t[k]),
      })),
      { name: 'exit_reason', kind: 'varchar', values: trades.map((t) => t.exit_reason) },
      ...stampColumns(o.stamp, trades.length),
    ],
    bt_daily_equity: [
      { name: 'date', kind: 'timestamp', values: o.daily.dayMs },
      { name: 'pair_id', kind: 'varchar', values: Array.from(o.daily.dayMs, () => 'portfolio') },
      { name: 'equity', kind: 'double', values: o.daily.equity },
      { name: 'dd', kind: 'double', values: o.daily.dd },
      ...stampColumns(o.stamp, days),
    ],
    bt_stress_results: [
      { name: 'scenario', kind: 'varchar', values: o.stress.map((r) => r.scenario) },
      { name: 'pair_id', kind: 'varchar', values: o.stress.map((r) => r.pair_id) },
      { name: 'sharpe', kind: 'double', values: Float64Array.from(o.stress, (r) => r.sharpe) },
      { name: 'max_dd', kind: 'double', values: Float64Array.from(o.stress, (r) => r.max_dd) },
      { name: 'ann_return', kind: 'double', values: Float64Array.from(o.stress, (r) => r.ann_return) },
      { name: 'notes', kind: 'varchar', values: o.stress.map((r) => r.notes) },
      ...stampColumns(o.stamp, o.stress.length),
    ],
  };
}
