// pt parity's verdict: the trades of pt live + pt paper against pt bt run's over the same bars. A trade
// is its pair, side, entry and exit fill instants and lots per leg; those must be identical, and net
// P&L equal within cost-model rounding (PNL_TOLERANCE_USD).
import type { BacktestTrade } from '../backtest/backtestTypes.js';
import { round8 } from './roundLots.js';

/** USD per trade: both sides run PairBook on the same closes; only lots rounded to 8 decimals (the EA's) may differ. */
export const PNL_TOLERANCE_USD = 0.01;

export interface TradeDiff {
  pair_id: string;
  side: string;
  ts_entry: number;
  ts_exit: number;
  paperPnl: number;
  btPnl: number;
}

export interface TradeComparison {
  /** Trades in both with the same key. */
  matched: number;
  /** Trades of one side only (their keys: pair side entry exit lotsA lotsB). */
  onlyPaper: string[];
  onlyBt: string[];
  /** Backtest trades decided before the period: pt live held them from its warm-up, paper never opened them. */
  excluded: number;
  /** The matched trade whose net P&L differs most (undefined when none matched). */
  largest?: TradeDiff & { diff: number };
  /** Matched trades whose P&L differs by more than PNL_TOLERANCE_USD. */
  pnlMismatches: number;
  /** Every trade identical and every P&L within tolerance. */
  ok: boolean;
  /** pt parity's outcome: `empty` when no trade was compared (ok, but nothing proven). */
  verdict: 'identical' | 'differ' | 'empty';
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The identity of a trade: what must be identical between paper and the backtest. */
export function tradeKey(t: BacktestTrade): string {
  return [t.pair_id, t.side, iso(t.ts_entry), iso(t.ts_exit), round8(t.qty_A), round8(t.qty_B)].join(' ');
}

/**
 * @param firstFillMs the earliest fill a trade decided in the period can have (the period's first bar
 *   close plus the latency): backtest trades that entered before it are excluded.
 */
export function compareTrades(
  paper: readonly BacktestTrade[],
  bt: readonly BacktestTrade[],
  firstFillMs: number,
): TradeComparison {
  const inPeriod = bt.filter((t) => t.ts_entry >= firstFillMs);
  const byKey = new Map<string, BacktestTrade[]>();
  for (const t of inPeriod) {
    const k = tradeKey(t);
    byKey.set(k, [...(byKey.get(k) ?? []), t]);
  }
  const onlyPaper: string[] = [];
  let matched = 0;
  let pnlMismatches = 0;
  let largest: (TradeDiff & { diff: number }) | undefined;
  for (const p of paper) {
    const k = tradeKey(p);
    const same = byKey.get(k);
    const b = same?.shift();
    if (b === undefined) {
      onlyPaper.push(k);
      continue;
    }
    matched++;
    const diff = Math.abs(p.pnl - b.pnl);
    if (diff > PNL_TOLERANCE_USD) pnlMismatches++;
    if (largest === undefined || diff > largest.diff)
      largest = {
        pair_id: p.pair_id,
        side: p.side,
        ts_entry: p.ts_entry,
        ts_exit: p.ts_exit,
        paperPnl: p.pnl,
        btPnl: b.pnl,
        diff,
      };
  }
  const onlyBt = [...byKey.entries()].flatMap(([k, rest]) => rest.map(() => k));
  const ok = onlyPaper.length === 0 && onlyBt.length === 0 && pnlMismatches === 0;
  return {
    matched,
    onlyPaper,
    onlyBt,
    excluded: bt.length - inPeriod.length,
    ...(largest ? { largest } : {}),
    pnlMismatches,
    ok,
    verdict: !ok ? 'differ' : matched === 0 ? 'empty' : 'identical',
  };
}
