// The live shard's shared bus (SPEC §8): latest signal and state per pair, heartbeat, ops flags, reload.

/** `core:ops:flags` as the live loop reads it every bar (pt ops writes them; docs/operations.md). */
export interface OpsFlags {
  /** No new entries anywhere (global_halt soft or hard). */
  globalHalt: boolean;
  /** global_halt hard: no signal changes either — positions are held as they are; only a flatten closes. */
  hardHalt: boolean;
  /** No new entries for these pairs. */
  haltedPairs: string[];
  /** Of haltedPairs, those halted hard (positions held, only a flatten closes). */
  hardPairs: string[];
  /** Close these pairs and take no entries. */
  flattenPairs: string[];
  /** Of flattenPairs, those closed gracefully: one pair of a shard per bar. */
  gracefulPairs: string[];
  /** The manual scale (0..1), multiplied into the DD policy's. */
  leverageScale: number;
  /** After pt ops resume: until when (ms, wall clock) a scope trades at canaryScale; key `portfolio` or a pair id. */
  canaryUntil: Record<string, number>;
  canaryScale: number;
}

/** The flags when nobody has set any: trade normally at full scale. */
export const DEFAULT_OPS_FLAGS: Readonly<OpsFlags> = Object.freeze({
  globalHalt: false,
  hardHalt: false,
  haltedPairs: [],
  hardPairs: [],
  flattenPairs: [],
  gracefulPairs: [],
  leverageScale: 1,
  canaryUntil: {},
  canaryScale: 1,
});

/** What a heartbeat carries beside shard, pid and ts: account.json's equity and balance when the shard has one. */
export interface HeartbeatDetails {
  equity?: number;
  balance?: number;
}

/** A value of a pair's state hash (z, position, stale, ...). */
export type LiveStateValue = string | number | boolean | null;

export interface LiveBus {
  /** Stores the pair's latest signal entry and announces it to subscribers. */
  publishSignal(pairId: string, entry: object): Promise<void>;
  /** Replaces the pair's state record. */
  writeState(pairId: string, state: Record<string, LiveStateValue>): Promise<void>;
  /** Marks the shard alive for a few heartbeat intervals; `details` (equity, balance) ride along for pt monitor. */
  heartbeat(shard: number, details?: HeartbeatDetails): Promise<void>;
  readOpsFlags(): Promise<OpsFlags>;
  /** True once per reload request (the request is consumed). */
  takeReload(): Promise<boolean>;
  /** Mirrors the shard's DD levels beside the flags (`since` kept when the stored level is the same). */
  mirrorDrawdown(mirror: DrawdownMirror): Promise<void>;
  close(): Promise<void>;
}

/**
 * A shard's drawdown levels as pt live mirrors them beside the flags (field `dd_shard_<N>` of
 * `core:ops:flags`, or of flags.json): for `pt ops status`, the monitor and the resume guard. Written
 * at the shard's first bar with an account and at each level change, not every bar.
 */
export interface DrawdownMirror {
  shard: number;
  /** The portfolio level: normal | warn | halt | flatten. */
  level: string;
  /** Since when (ISO, the bar's open time) the portfolio level is `level`; kept across restarts at the same level. */
  since: string;
  /** The portfolio drawdown at the last write (a fraction of the trailing peak). */
  drawdown: number;
  /** Pairs whose own σ level is not normal. */
  pairs: Record<string, string>;
  updated_at: string;
}
