// When each (pair, bar) of one shard first got a signal, from its signals history
// (<signalDir>/history/date=YYYY-MM-DD/shard_<N>-<seq>[-<seq>].parquet, src/live/signal/signalHistory.ts).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DAY_MS } from '../core/time.js';
import { PtError } from '../core/ptError.js';
import type { ReadTable } from '../ports/tableWriter.js';
import { deliveryKey, type Deliveries } from './signalSlo.js';

const COLUMNS = { pair_id: 'varchar', bar_ts: 'timestamp', generated_at: 'timestamp' } as const;

/**
 * The earliest generated_at per (pair, bar open) for bars opening in [fromMs, toMs). A bar written
 * again after a restart (a newer seq, same signal_id) keeps its first time: that is when the EA could
 * first have read it. Only day folders that can hold such bars are opened (a file's day is its newest
 * bar's UTC day), each as one glob `date=…/shard_<N>-*.parquet` (`readTable` must accept one, as DuckDB's
 * read_parquet does). CORE_FS_MISSING when the history folder does not exist.
 */
export async function readDeliveries(
  historyDir: string,
  shard: number,
  readTable: ReadTable,
  fromMs: number,
  toMs: number,
): Promise<{ deliveries: Deliveries; files: number }> {
  if (!existsSync(historyDir))
    throw new PtError('CORE_FS_MISSING', `no signals history at ${historyDir}: pt live writes it (see --replay)`, {
      source: 'slo',
    });
  const firstDay = new Date(fromMs - DAY_MS).toISOString().slice(0, 10);
  const lastDay = new Date(toMs + DAY_MS).toISOString().slice(0, 10);
  const prefix = `shard_${shard}-`;
  const deliveries: Deliveries = new Map();
  let files = 0;
  for (const day of readdirSync(historyDir).sort()) {
    const m = /^date=(\d{4}-\d{2}-\d{2})$/.exec(day);
    if (!m || m[1]! < firstDay || m[1]! > lastDay) continue;
    const names = readdirSync(join(historyDir, day)).filter((n) => n.startsWith(prefix) && n.endsWith('.parquet'));
    if (names.length === 0) continue;
    files += names.length;
    // One read per day folder, as a glob (DuckDB's read_parquet, the reader the command passes, takes
    // one): a month of 1h bars is ~720 files per shard, and a read per file costs tens of ms.
    const t = await readTable(join(historyDir, day, `${prefix}*.parquet`), COLUMNS);
    const pair = t.pair_id as string[];
    const bar = t.bar_ts as Float64Array;
    const gen = t.generated_at as Float64Array;
    for (let i = 0; i < pair.length; i++) {
      if (!(bar[i]! >= fromMs && bar[i]! < toMs)) continue;
      const key = deliveryKey(pair[i]!, bar[i]!);
      const known = deliveries.get(key);
      if (known === undefined || gen[i]! < known) deliveries.set(key, gen[i]!);
    }
  }
  return { deliveries, files };
}
