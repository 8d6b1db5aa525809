// What pt ops reads and writes on the shards' bus (SPEC §8, §9): the flags hash, heartbeats, pair states, reload.

/** The flags record as stored: Redis hash strings, or flags.json's JSON values. */
export type RawFlags = Record<string, unknown>;

/** A shard's last heartbeat: absent when it never beat or (Redis) its key expired. */
export interface ShardHeartbeat {
  shard: number;
  /** When it beat (ISO). */
  ts: string;
  pid?: number;
  /** account.json's equity and balance as the shard last read them, when it has an account. */
  equity?: number;
  balance?: number;
}

/**
 * One alert as the alerting writes it (SPEC §9): a line of `<ops_dir>/alerts.jsonl`, or an element of
 * the Redis list `<prefix>:alerts` (LPUSH, newest first, trimmed to 200).
 */
export interface AlertRecord {
  event_id: string;
  error_id: string;
  /** CRITICAL | WARNING | INFO. */
  severity: string;
  source: string;
  message: string;
  /** ISO-8601 UTC. */
  occurred_at: string;
  details?: unknown;
}

export interface OpsControl {
  /** For messages: the redacted Redis URL and key, or the flags file. */
  readonly where: string;
  readFlags(): Promise<RawFlags>;
  /**
   * Reads the flags, gives them to `change`, and writes the fields it returns (null deletes one)
   * atomically against other writers (a Redis transaction, or a file lock). Fields not returned are
   * left as they are, so pt live's mirrored DD fields survive. `change` may throw to write nothing.
   */
  updateFlags(change: (current: RawFlags) => Record<string, unknown>): Promise<{ before: RawFlags; after: RawFlags }>;
  heartbeats(): Promise<ShardHeartbeat[]>;
  /** Each pair's state record as pt live last wrote it (z, rho, position, …). */
  pairStates(): Promise<Map<string, Record<string, unknown>>>;
  /** Each pair's latest signal entry as pt live last published it (action, side, bar_ts, reason, …). */
  signals(): Promise<Map<string, Record<string, unknown>>>;
  /** The newest `limit` alerts, newest first; none when nothing was ever alerted. */
  recentAlerts(limit: number): Promise<AlertRecord[]>;
  /** Asks every running shard to reload (θ, model pointer, config) at its next bar. */
  requestReload(): Promise<void>;
  close(): Promise<void>;
}
