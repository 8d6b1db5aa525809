// The shapes of signal.json (SPEC §8): one file per shard, one entry per pair, each with its target position.
import type { SpreadSideName } from '../../model/spreadSide.js';

/** What changed at this bar; the kernel's 'none' is written as 'hold' (nothing to do, target unchanged). */
export type SignalAction = 'open' | 'close' | 'hold' | 'flatten';

export interface SignalLeg {
  /** canonical_symbol of the leg (universe.yaml). */
  symbol: string;
  /** The broker's name of the symbol (universe.yaml broker_symbol): what the EA trades. */
  broker_symbol: string;
  side: 'BUY' | 'SELL';
  /** Absolute lots, > 0. */
  lots: number;
}

/** The position the pair should hold now: FLAT with no legs, or the spread side and both legs (A, then B). */
export interface SignalTarget {
  side: SpreadSideName;
  legs: SignalLeg[];
}

export interface SignalEntry {
  /** Deterministic: see signalId. */
  signal_id: string;
  pair_id: string;
  /** Bar open time, ISO-8601 UTC. */
  bar_ts: string;
  action: SignalAction;
  /** The side this action concerns: the position after open/hold, the side closed by close/flatten, FLAT when flat. */
  side: SpreadSideName;
  target: SignalTarget;
  /** null when undefined at this bar (NaN). */
  z: number | null;
  beta: number | null;
  return_prob: number | null;
  risk_score: number | null;
  position_scale: number;
  reason: string;
  /** Only an open expires: bar close + signal_ttl_bars bars, ISO-8601 UTC; null for every other action. */
  expires_at: string | null;
}

export interface SignalFile {
  schema_version: 'v1';
  shard: number;
  /** Strictly increasing across writes and restarts (nextSeq). */
  seq: number;
  /** ISO-8601 UTC. */
  generated_at: string;
  model_version: string;
  /** The newest bar is older than freshness_budget_seconds: no new entries. */
  stale: boolean;
  ops: { global_halt: boolean; leverage_scale: number };
  /** Every pair of the shard, in every file. */
  signals: SignalEntry[];
}
