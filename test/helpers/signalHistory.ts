// Reads pt live's signals history (Parquet files under <signalDir>/history/date=…/) back as rows, and
// compares its opens and closes with a backtest's bt_trades.csv.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readParquetTable } from '../../src/adapters/duckdb/index.js';

export interface HistoryRow {
  signal_id: string;
  pair_id: string;
  bar_ts: number;
  action: string;
  seq: number;
  /** 1 when the file that carried the row said stale. */
  stale: number;
  /** action|side|reason|target lots: what must not differ between two rows of one signal_id. */
  content: string;
}

/** Every row of every history file, in seq order. */
export async function readSignalHistory(signalDir: string): Promise<HistoryRow[]> {
  const root = join(signalDir, 'history');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.parquet'))
    .map((f) => join(root, f));
  const rows: HistoryRow[] = [];
  for (const f of files) {
    const t = await readParquetTable(f, {
      signal_id: 'varchar',
      pair_id: 'varchar',
      bar_ts: 'timestamp',
      action: 'varchar',
      seq: 'double',
      side: 'varchar',
      reason: 'varchar',
      target_lots_a: 'double',
      target_lots_b: 'double',
      stale: 'double',
    });
    const col = <T>(name: string) => t[name] as unknown as ArrayLike<T>;
    for (let i = 0; i < (t.signal_id as string[]).length; i++)
      rows.push({
        signal_id: col<string>('signal_id')[i]!,
        pair_id: col<string>('pair_id')[i]!,
        bar_ts: col<number>('bar_ts')[i]!,
        action: col<string>('action')[i]!,
        seq: col<number>('seq')[i]!,
        stale: col<number>('stale')[i]!,
        content: [
          col('action')[i],
          col('side')[i],
          col('reason')[i],
          col('target_lots_a')[i],
          col('target_lots_b')[i],
        ].join('|'),
      });
  }
  return rows.sort((a, b) => a.seq - b.seq || a.bar_ts - b.bar_ts);
}

/** `<pair> <bar open ISO> <open|close|flatten>` once per signal_id, in bar order. */
export function historyTrades(rows: readonly HistoryRow[]): string[] {
  const acts = rows.filter((r) => r.action === 'open' || r.action === 'close' || r.action === 'flatten');
  return [...new Map(acts.map((r) => [r.signal_id, r])).values()]
    .sort((a, b) => a.bar_ts - b.bar_ts || a.pair_id.localeCompare(b.pair_id))
    .map((r) => `${r.pair_id} ${new Date(r.bar_ts).toISOString()} ${r.action}`);
}

/**
 * The same lines from bt_trades.csv for decision bars in [fromMs, toMs): a fill is at the close of
 * the decision bar (latency 0), so the signal's bar opened `barMs` earlier; 'end_of_data' closes are
 * the backtest's, not a decision.
 */
export function btTrades(csvPath: string, fromMs: number, toMs: number, barMs = 3_600_000): string[] {
  const [head, ...lines] = readFileSync(csvPath, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  const at = (l: string, c: string) => l.split(',')[cols.indexOf(c)]!;
  const out: Array<[number, string]> = [];
  const inRange = (t: number) => t >= fromMs && t < toMs;
  for (const l of lines) {
    const pair = at(l, 'pair_id');
    const entry = Date.parse(at(l, 'timestamp_entry')) - barMs;
    const exit = Date.parse(at(l, 'timestamp_exit')) - barMs;
    const reason = at(l, 'exit_reason');
    if (inRange(entry)) out.push([entry, `${pair} ${new Date(entry).toISOString()} open`]);
    if (inRange(exit) && reason !== 'end_of_data')
      out.push([exit, `${pair} ${new Date(exit).toISOString()} ${reason === 'flatten' ? 'flatten' : 'close'}`]);
  }
  return out.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1])).map((x) => x[1]);
}
