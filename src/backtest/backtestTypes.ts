// Inputs and outputs of runBacktest (SPEC §7): per-pair columns in, equity, trades, counts and KPIs out.
import type { PairSpec, PtConfig } from '../config/schemas/index.js';
import type { Timeframe } from '../core/time.js';
import type { DecisionParams, OpsState } from '../decision/decide.js';
import type { BacktestKpis, FilterCounts, StopCounts } from './kpis/index.js';

/** OHLC of one leg, aligned with the pair's `ts`. */
export interface LegColumns {
  open?: Float64Array;
  high?: Float64Array;
  low?: Float64Array;
  close: Float64Array;
}

export interface BacktestPairInput {
  pair: PairSpec;
  /** Bar open times (UTC ms, SPEC §0 key), strictly increasing. */
  ts: Float64Array;
  a: LegColumns;
  b: LegColumns;
  /** computePairFeatures output (columns by `F`, valid flags). */
  features: { columns: Float64Array[]; valid: Uint8Array };
  /** AI1 / AI2 per bar; NaN where no prediction. May be omitted with ruleOnly. */
  returnProb?: Float64Array;
  riskScore?: Float64Array;
  /** 1 when both legs may trade at the bar's close; the kernel asks the calendars when omitted. */
  tradable?: Uint8Array;
  /** 1 where either leg's bar was filled by DQ (never traded); none when omitted. */
  filled?: Uint8Array;
}

/** USD per one unit of `symbol`'s quote currency at `tsMs`; throw a PtError when there is none. */
export type ConversionRate = (symbol: string, tsMs: number) => number;

export interface BacktestInput {
  pairs: BacktestPairInput[];
  config: PtConfig;
  timeframe: Timeframe;
  /** Needed only when a leg is not quoted in USD. */
  conversionRate?: ConversionRate;
  /** Skip θ1/θ2 and the θ_stop exit (rule-only baseline). */
  ruleOnly?: boolean;
  /** Fills `latencyBars` bars after the decision, at that bar's close; default backtest_policy.latency_bars. */
  latencyBars?: number;
  /** Default backtest_policy.initial_capital_usd. */
  initialCapitalUsd?: number;
  /** Default 1 (position_scale is not model-driven yet). */
  positionScale?: number;
  /** Overrides of the config's decision parameters: the model's θ (resolveDecisionParams), a θ search, tests. */
  params?: Partial<DecisionParams>;
  /** Which z the decisions read; default features_policy.signal_z. */
  signalZ?: 'raw' | 'ema';
  /** K of the speed exclusion; default core_policy.speed_lookback_bars. */
  speedLookbackBars?: number;
  /** Keep the ops each pair's kernel was given at every bar (result.opsLog), to replay the kernel elsewhere. */
  recordOps?: boolean;
  /**
   * Re-run only the accounting (fills, costs, swaps, marks) on these recorded decisions (per pair id,
   * from result.decisions of an earlier run on the same bars): no kernel, no DD policy. Used for gross
   * results and cost sensitivity.
   */
  replayDecisions?: Record<string, DecisionRecord>;
  /** Manual ops flags over the whole run (pt ops halt/flatten, a leverage_scale); they only tighten the DD policy. */
  ops?: OpsState;
  /** Cost table to use instead of config.cost_table (stress: cost increase). */
  costTable?: PtConfig['cost_table'];
}

export interface BacktestTrade {
  trade_id: number;
  pair_id: string;
  side: 'LONG_SPREAD' | 'SHORT_SPREAD';
  /** Fill instants (bar close, UTC ms). */
  ts_entry: number;
  ts_exit: number;
  /** Signed lots: + bought, − sold at entry. */
  qty_A: number;
  qty_B: number;
  price_A_entry: number;
  price_B_entry: number;
  price_A_exit: number;
  price_B_exit: number;
  z_at_entry: number;
  z_at_exit: number;
  return_prob: number;
  risk_score: number;
  /** USD, non-negative: commission is paid, spread and slippage are inside the prices (attribution). */
  cost_commission: number;
  cost_slippage: number;
  cost_spread: number;
  /** USD received (+) or paid (−). */
  swap: number;
  /** Net USD: price P&L at executed prices − commission + swap. */
  pnl: number;
  exit_reason: string;
  /** USD notional of both legs at the entry fill (not a bt_trades column: the break-even cost's base). */
  notional_usd: number;
}

/**
 * The orders a pair's kernel gave, per bar: enough to re-run the accounting on the same decisions
 * with other costs (cost sensitivity) without deciding again.
 */
export interface DecisionRecord {
  /** ACTION_CODES of the bar. */
  action: Int8Array;
  /** For opens: the side and both legs' signed lots. */
  side: Int8Array;
  lotsA: Float64Array;
  lotsB: Float64Array;
  /** For closes and flattens: the exit reason, as an index into EXIT_REASONS (typed, so a θ grid allocates little). */
  reason: Uint8Array;
}

/** The ops (DD policy and manual flags) a pair's kernel saw at each of its bars. */
export interface OpsLog {
  allowEntries: Uint8Array;
  flatten: Uint8Array;
  leverageScale: Float64Array;
}

/** Per-pair decision codes per bar (ACTION_CODES), kept for parity and look-ahead checks. */
export const ACTION_CODES = { none: 0, open: 1, close: 2, hold: 3, flatten: 4 } as const;
export const ACTION_NAMES = ['none', 'open', 'close', 'hold', 'flatten'] as const;
/** Exit reasons the kernel gives, indexed by DecisionRecord.reason. */
export const EXIT_REASONS = ['', 'z_exit', 'max_holding', 'risk_stop', 'flatten'] as const;

export interface BacktestResult {
  /** Merged bar times (bar open, UTC ms) and the portfolio equity (USD) marked at each bar's close. */
  timesMs: Float64Array;
  equityUsd: Float64Array;
  initialCapitalUsd: number;
  /** Per pair id: its P&L (USD) at each of its bar closes, aligned with that pair's bar times. */
  pairValueUsd: Record<string, Float64Array>;
  pairTimesMs: Record<string, Float64Array>;
  trades: BacktestTrade[];
  /** Entries decided but not filled, by reason. */
  skips: Record<string, number>;
  filter: FilterCounts;
  stops: StopCounts;
  /** Merged bars the portfolio spent at each DD level (normal, warn, halt, flatten). */
  ddBars: [number, number, number, number];
  /** Per pair id: its bars at each effective DD level (the worse of the portfolio's and its own). */
  pairDdBars: Record<string, [number, number, number, number]>;
  /** The decision parameters the run used. */
  params: DecisionParams;
  /** With recordOps: per pair id, the ops of every bar. */
  opsLog?: Record<string, OpsLog>;
  /** Per pair id: the orders of every bar (replayDecisions takes them back). */
  decisions: Record<string, DecisionRecord>;
  /** Per pair id: the action code of every bar. */
  actions: Record<string, Int8Array>;
  kpis: BacktestKpis;
}
