// The HistoryStore port: the history tables pt sync ships local files into (PostgreSQL), one cursor per source.

/** One entry of one signal.json (a signals history row). Times are ISO UTC; absent numbers are null. */
export interface SignalRow {
  signal_id: string;
  shard: number;
  seq: number;
  generated_at: string;
  model_version: string;
  stale: boolean;
  global_halt: boolean;
  leverage_scale: number;
  pair_id: string;
  bar_ts: string;
  action: string;
  side: string;
  target_side: string;
  target_lots_a: number;
  target_lots_b: number;
  /** The target's legs as JSON text. */
  target_legs: string;
  z: number | null;
  beta: number | null;
  return_prob: number | null;
  risk_score: number | null;
  position_scale: number;
  reason: string;
  expires_at: string | null;
}

/** One line of a fills.csv (pt paper's or the EA's). */
export interface FillRow {
  shard: number;
  /** `deal:<deal ticket>`, or `line:<line number>` for a request that made no deal (deal 0). */
  fill_id: string;
  time_gmt: string;
  pair_id: string;
  magic: number;
  leg: string;
  symbol: string;
  side: string;
  reduce: boolean;
  lots: number;
  filled: number;
  price: number;
  order_ticket: number;
  deal: number;
  retcode: number;
}

/** One account.json as read at a sync. */
export interface AccountRow {
  shard: number;
  ts: string;
  equity: number;
  balance: number;
  margin: number | null;
  /** JSON text. */
  positions: string;
  /** JSON text (the writer's alerts, [] when none). */
  alerts: string;
}

/** One DD level change of a shard (a `dd.action` entry of the audit log). */
export interface DdLevelRow {
  shard: number;
  bar_ts: string;
  level: string;
  drawdown: number | null;
  /** JSON text: pair → level, pairs above normal only. */
  pairs: string;
  before_level: string | null;
  /** JSON text or null. */
  before_pairs: string | null;
  audited_at: string;
}

/** One record of `<ops_dir>/alerts.jsonl`. */
export interface AlertRow {
  event_id: string;
  error_id: string;
  severity: string;
  source: string;
  message: string;
  occurred_at: string;
  /** JSON text. */
  details: string;
}

export type HistoryBatch =
  | { table: 'signals'; rows: SignalRow[] }
  | { table: 'fills'; rows: FillRow[] }
  | { table: 'account_snapshots'; rows: AccountRow[] }
  | { table: 'dd_levels'; rows: DdLevelRow[] }
  | { table: 'alerts'; rows: AlertRow[] };

export type HistoryTable = HistoryBatch['table'];

/** A cursor: what is read (`signals`, `fills`, …) and where from (host and path, shard). */
export interface CursorKey {
  source: string;
  scope: string;
}

/** What one batch did: rows offered and rows that were new. */
export interface StepResult {
  read: number;
  added: number;
}

/** What a source's reader returns for one batch: the rows and the cursor after them. */
export interface SourceStep<P> {
  batch: HistoryBatch;
  position: P;
}

export interface HistoryStore {
  /**
   * One batch in one transaction: the cursor `key` is locked (concurrent syncs of the same source wait),
   * `next` is called with its stored position (null: never synced) and returns the rows after it and the
   * new position, or undefined when there is nothing new; the rows are inserted (a row whose key is
   * there already adds nothing) and the position stored, both or neither. Undefined: nothing was new.
   */
  step<P>(
    key: CursorKey,
    next: (position: P | null) => Promise<SourceStep<P> | undefined>,
  ): Promise<StepResult | undefined>;
  close(): Promise<void>;
}
