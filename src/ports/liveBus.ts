// The live shard's shared bus (SPEC §8): latest signal and state per pair, heartbeat, ops flags, reload.

/** `core:ops:flags` as the live loop reads it every bar. */
export interface OpsFlags {
  globalHalt: boolean;
  haltedPairs: string[];
  flattenPairs: string[];
  leverageScale: number;
}

/** The flags when nobody has set any: trade normally at full scale. */
export const DEFAULT_OPS_FLAGS: Readonly<OpsFlags> = Object.freeze({
  globalHalt: false,
  haltedPairs: [],
  flattenPairs: [],
  leverageScale: 1,
});

/** A value of a pair's state hash (z, position, stale, ...). */
export type LiveStateValue = string | number | boolean | null;

export interface LiveBus {
  /** Stores the pair's latest signal entry and announces it to subscribers. */
  publishSignal(pairId: string, entry: object): Promise<void>;
  /** Replaces the pair's state record. */
  writeState(pairId: string, state: Record<string, LiveStateValue>): Promise<void>;
  /** Marks the shard alive for a few heartbeat intervals. */
  heartbeat(shard: number): Promise<void>;
  readOpsFlags(): Promise<OpsFlags>;
  /** True once per reload request (the request is consumed). */
  takeReload(): Promise<boolean>;
  close(): Promise<void>;
}
