// The rows of bt_summary (SPEC §7): the portfolio first, then each pair, with the shares of bars at each DD level.
import type { BacktestResult } from '../backtestTypes.js';
import type { RunSummary } from '../summarizeRun.js';

/** Shares of bars at the warn, halt and flatten DD levels; NaN without bars. */
export interface DdShares {
  dd_warn_share: number;
  dd_halt_share: number;
  dd_flatten_share: number;
}

export interface BtSummaryRow extends DdShares {
  pair_id: string;
  trades: number;
  win_rate: number;
  e_per_trade: number;
  ann_return: number;
  sharpe: number;
  max_dd: number;
  halt_rate: number;
}

/** Bars at (normal, warn, halt, flatten) → the shares of the last three. */
export function ddShares(bars: readonly [number, number, number, number]): DdShares {
  const n = bars[0] + bars[1] + bars[2] + bars[3];
  return {
    dd_warn_share: n > 0 ? bars[1] / n : Number.NaN,
    dd_halt_share: n > 0 ? bars[2] / n : Number.NaN,
    dd_flatten_share: n > 0 ? bars[3] / n : Number.NaN,
  };
}

/** The portfolio row, then one row per pair id (a pair without trades has NaN rates). */
export function btSummaryRows(summary: RunSummary, result: BacktestResult, pairIds: readonly string[]): BtSummaryRow[] {
  return [
    {
      pair_id: 'portfolio',
      trades: summary.kpis.trades,
      win_rate: summary.kpis.winRate,
      e_per_trade: summary.kpis.ePerTrade,
      ann_return: summary.kpis.annualReturnSimple,
      sharpe: summary.kpis.sharpe,
      max_dd: summary.kpis.maxDrawdown,
      halt_rate: summary.kpis.haltRate,
      ...ddShares(result.ddBars),
    },
    ...pairIds.map((id) => {
      const p = summary.pairs.find((x) => x.pairId === id);
      return {
        pair_id: id,
        trades: p?.trades ?? 0,
        win_rate: p?.winRate ?? Number.NaN,
        e_per_trade: p?.ePerTrade ?? Number.NaN,
        ann_return: p?.kpis?.annualReturnSimple ?? Number.NaN,
        sharpe: p?.kpis?.sharpe ?? Number.NaN,
        max_dd: p?.kpis?.maxDrawdown ?? Number.NaN,
        halt_rate: Number.NaN,
        ...ddShares(result.pairDdBars[id]!),
      };
    }),
  ];
}
