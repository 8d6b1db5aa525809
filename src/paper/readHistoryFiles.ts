// The signal.json files a shard's history holds (Parquet under <signalDir>/history), in seq order: what
// `pt paper --from/--to` plays, as the EA would have read them one after another.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PtError } from '../core/ptError.js';
import { SIGNAL_HISTORY_COLUMNS, signalFilesFromColumns } from '../live/signal/signalHistory.js';
import type { SignalFile } from '../live/signal/signalTypes.js';
import type { ReadTable } from '../ports/tableWriter.js';

/**
 * The shard's files whose entries have bar_ts in [fromMs, toMs), each keeping only those entries.
 * A seq written twice (it never is) keeps its first copy.
 */
export async function readHistoryFiles(
  historyDir: string,
  shard: number,
  readTable: ReadTable,
  fromMs = Number.NEGATIVE_INFINITY,
  toMs = Number.POSITIVE_INFINITY,
): Promise<SignalFile[]> {
  if (!existsSync(historyDir))
    throw new PtError('CORE_FS_MISSING', `no signals history at ${historyDir}: run pt live there first`, {
      source: 'paper',
    });
  const paths = readdirSync(historyDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.parquet') && /(^|\/)shard_\d+-/.test(f))
    .filter((f) => f.split('/').at(-1)!.startsWith(`shard_${shard}-`))
    .sort();
  const bySeq = new Map<number, SignalFile>();
  for (const p of paths) {
    const files = signalFilesFromColumns(await readTable(join(historyDir, p), SIGNAL_HISTORY_COLUMNS));
    for (const f of files) {
      f.signals = f.signals.filter((s) => {
        const t = Date.parse(s.bar_ts);
        return t >= fromMs && t < toMs;
      });
      if (f.signals.length > 0 && !bySeq.has(f.seq)) bySeq.set(f.seq, f);
    }
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
