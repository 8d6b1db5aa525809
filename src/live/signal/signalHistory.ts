// The signals history: every entry of every signal.json, in Parquet, one file per written file, partitioned by day.
import { join } from 'node:path';
import type { TableColumn, WriteTable } from '../../ports/tableWriter.js';
import type { SignalEntry, SignalFile, SignalLeg } from './signalTypes.js';

/** The columns of a history file, in order; `target_legs` is the entry's legs as JSON text. */
export const SIGNAL_HISTORY_COLUMNS = {
  seq: 'double',
  shard: 'double',
  generated_at: 'timestamp',
  model_version: 'varchar',
  stale: 'double',
  global_halt: 'double',
  leverage_scale: 'double',
  signal_id: 'varchar',
  pair_id: 'varchar',
  bar_ts: 'timestamp',
  action: 'varchar',
  side: 'varchar',
  target_side: 'varchar',
  target_lots_a: 'double',
  target_lots_b: 'double',
  target_legs: 'varchar',
  z: 'double',
  beta: 'double',
  return_prob: 'double',
  risk_score: 'double',
  position_scale: 'double',
  reason: 'varchar',
  expires_at: 'timestamp',
} as const satisfies Record<string, TableColumn['kind']>;

type ColumnName = keyof typeof SIGNAL_HISTORY_COLUMNS;

const nullToNaN = (x: number | null): number => (x === null ? Number.NaN : x);
/** A leg's lots signed as in the kernel: + BUY (long), − SELL (short); 0 when the target has no such leg. */
const signedLots = (l: SignalLeg | undefined): number => (l === undefined ? 0 : l.side === 'BUY' ? l.lots : -l.lots);

/**
 * Appends each written signal.json to `<dir>/date=YYYY-MM-DD/shard_<N>-<seq>.parquet` through the
 * WriteTable port (Parquet, atomic: temp file + fsync + rename). One file per signal.json: a crash
 * loses at most the bar being written, never a file already there. The day is the UTC day of the
 * newest bar_ts in the file (a replay files by market time, not by wall time). A bar processed
 * again after a restart gets a new seq, hence a second file with the same signal_ids: readers keep
 * the row of the highest seq per signal_id.
 */
export class SignalHistory {
  constructor(
    readonly dir: string,
    private readonly writeTable: WriteTable,
  ) {}

  /** Where `file` goes. */
  pathFor(file: SignalFile): string {
    let newest = Number.NEGATIVE_INFINITY;
    for (const s of file.signals) newest = Math.max(newest, Date.parse(s.bar_ts));
    const day = new Date(Number.isFinite(newest) ? newest : Date.parse(file.generated_at)).toISOString().slice(0, 10);
    return join(this.dir, `date=${day}`, `shard_${file.shard}-${file.seq}.parquet`);
  }

  /** Writes the entries of `file` (a file without entries writes nothing); returns the path, or undefined. */
  async append(file: SignalFile): Promise<string | undefined> {
    if (file.signals.length === 0) return undefined;
    const path = this.pathFor(file);
    await this.writeTable(path, historyColumns(file), {
      schema_version: file.schema_version,
      shard: String(file.shard),
    });
    return path;
  }
  /**
   * Writes the entries of several signal.json files (in seq order, one UTC day) as one file
   * `shard_<N>-<first seq>-<last seq>.parquet`: a fast replay's batch. Each row keeps its own file's seq.
   */
  async appendBatch(files: readonly SignalFile[]): Promise<string | undefined> {
    const kept = files.filter((f) => f.signals.length > 0);
    if (kept.length === 0) return undefined;
    if (kept.length === 1) return this.append(kept[0]!);
    const first = kept[0]!;
    const last = kept[kept.length - 1]!;
    const parts = kept.map(historyColumns);
    const columns: TableColumn[] = parts[0]!.map((c, k) => {
      const all = parts.flatMap((p) => Array.from(p[k]!.values as ArrayLike<number | string>));
      return { ...c, values: c.kind === 'varchar' ? (all as string[]) : Float64Array.from(all as number[]) };
    });
    const day = this.pathFor(last).split('/').at(-2)!;
    const path = join(this.dir, day, `shard_${first.shard}-${first.seq}-${last.seq}.parquet`);
    await this.writeTable(path, columns, { schema_version: first.schema_version, shard: String(first.shard) });
    return path;
  }
}

/** The rows of one signal.json as the history's columns. */
export function historyColumns(file: SignalFile): TableColumn[] {
  const n = file.signals.length;
  const each = <T>(f: (s: SignalEntry) => T): T[] => file.signals.map(f);
  const repeat = <T>(x: T): T[] => new Array<T>(n).fill(x);
  const values: Record<ColumnName, TableColumn['values']> = {
    seq: repeat(file.seq),
    shard: repeat(file.shard),
    generated_at: repeat(Date.parse(file.generated_at)),
    model_version: repeat(file.model_version),
    stale: repeat(file.stale ? 1 : 0),
    global_halt: repeat(file.ops.global_halt ? 1 : 0),
    leverage_scale: repeat(file.ops.leverage_scale),
    signal_id: each((s) => s.signal_id),
    pair_id: each((s) => s.pair_id),
    bar_ts: each((s) => Date.parse(s.bar_ts)),
    action: each((s) => s.action),
    side: each((s) => s.side),
    target_side: each((s) => s.target.side),
    target_lots_a: each((s) => signedLots(s.target.legs[0])),
    target_lots_b: each((s) => signedLots(s.target.legs[1])),
    target_legs: each((s) => JSON.stringify(s.target.legs)),
    z: each((s) => nullToNaN(s.z)),
    beta: each((s) => nullToNaN(s.beta)),
    return_prob: each((s) => nullToNaN(s.return_prob)),
    risk_score: each((s) => nullToNaN(s.risk_score)),
    position_scale: each((s) => s.position_scale),
    reason: each((s) => s.reason),
    expires_at: each((s) => (s.expires_at === null ? Number.NaN : Date.parse(s.expires_at))),
  };
  return (Object.keys(SIGNAL_HISTORY_COLUMNS) as ColumnName[]).map((name) => ({
    name,
    kind: SIGNAL_HISTORY_COLUMNS[name],
    values: values[name] as TableColumn['values'],
  }));
}

const isoOrNull = (ms: number): string | null => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);
const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * The signal.json files a history table holds, in row order (one per seq; a batch file holds many),
 * each with the entries it carried: historyColumns read back. Times come back in ms, so an ISO text
 * is rewritten with milliseconds (`…T10:00:00.000Z`), the same instant.
 */
export function signalFilesFromColumns(t: Record<string, Float64Array | string[]>): SignalFile[] {
  const num = (name: ColumnName) => t[name] as Float64Array;
  const str = (name: ColumnName) => t[name] as string[];
  const seq = num('seq');
  const files: SignalFile[] = [];
  for (let i = 0; i < seq.length; i++) {
    let file = files[files.length - 1];
    if (file === undefined || file.seq !== seq[i]) {
      file = {
        schema_version: 'v1',
        shard: num('shard')[i]!,
        seq: seq[i]!,
        generated_at: new Date(num('generated_at')[i]!).toISOString(),
        model_version: str('model_version')[i]!,
        stale: num('stale')[i] === 1,
        ops: { global_halt: num('global_halt')[i] === 1, leverage_scale: num('leverage_scale')[i]! },
        signals: [],
      };
      files.push(file);
    }
    file.signals.push({
      signal_id: str('signal_id')[i]!,
      pair_id: str('pair_id')[i]!,
      bar_ts: new Date(num('bar_ts')[i]!).toISOString(),
      action: str('action')[i] as SignalEntry['action'],
      side: str('side')[i] as SignalEntry['side'],
      target: {
        side: str('target_side')[i] as SignalEntry['side'],
        legs: JSON.parse(str('target_legs')[i]!) as SignalLeg[],
      },
      z: finiteOrNull(num('z')[i]!),
      beta: finiteOrNull(num('beta')[i]!),
      return_prob: finiteOrNull(num('return_prob')[i]!),
      risk_score: finiteOrNull(num('risk_score')[i]!),
      position_scale: num('position_scale')[i]!,
      reason: str('reason')[i]!,
      expires_at: isoOrNull(num('expires_at')[i]!),
    });
  }
  return files;
}
