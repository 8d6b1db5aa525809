// When each (pair, bar) of one shard first got a signal, from its signals history
// (<signalDir>/history/date=YYYY-MM-DD/shard_<N>-<seq>[-<seq>].parquet, src/live/signal/signalHistory.ts).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DAY_MS } from '../core/time.js';
import { PtError } from '../core/ptError.js';
import type { ReadTable } from '../ports/tableWriter.js';
import { deliveryKey, type Deliveries } from './signalSlo.js';

const COLUMNS = { pair_id: 'varchar', bar_ts: 'timestamp', generated_at: 'timestamp' } as const;

export interface ReadDeliveries {
  deliveries: Deliveries;
  /** History files found for the shard in the days read. */
  files: number;
  /** Files that could not be read (damaged, not Parquet, other columns), full paths: left out. */
  unreadable: string[];
  /** The oldest and newest bar open of the rows kept (UTC ms); NaN when none: a replay's range. */
  firstBarMs: number;
  lastBarMs: number;
}

type Columns = Awaited<ReturnType<ReadTable>>;

function assertHistory(historyDir: string): void {
  if (!existsSync(historyDir))
    throw new PtError('CORE_FS_MISSING', `no signals history at ${historyDir}: pt live writes it (see --replay)`, {
      source: 'slo',
    });
}

/**
 * One day folder's files: one read as a glob (DuckDB's read_parquet, the reader the command passes,
 * takes one: a month of 1h bars is ~720 files per shard, and a read per file costs tens of ms); when
 * that fails, file by file, so one damaged file costs only its own rows.
 */
async function readDay(
  folder: string,
  prefix: string,
  names: readonly string[],
  readTable: ReadTable,
): Promise<{ tables: Columns[]; unreadable: string[] }> {
  try {
    return { tables: [await readTable(join(folder, `${prefix}*.parquet`), COLUMNS)], unreadable: [] };
  } catch {
    const tables: Columns[] = [];
    const unreadable: string[] = [];
    for (const name of names)
      try {
        tables.push(await readTable(join(folder, name), COLUMNS));
      } catch {
        unreadable.push(join(folder, name));
      }
    return { tables, unreadable };
  }
}

/**
 * The earliest generated_at per (pair, bar open) for bars opening in [fromMs, toMs). A bar written
 * again after a restart (a newer seq, same signal_id) keeps its first time: that is when the EA could
 * first have read it. Only day folders that can hold such bars are opened (a file's day is its newest
 * bar's UTC day), each as one glob `date=…/shard_<N>-*.parquet` (`readTable` must accept one, as DuckDB's
 * read_parquet does). A file that cannot be read is listed in `unreadable` and its rows are left out.
 * CORE_FS_MISSING when the history folder does not exist.
 */
export async function readDeliveries(
  historyDir: string,
  shard: number,
  readTable: ReadTable,
  fromMs: number,
  toMs: number,
): Promise<ReadDeliveries> {
  assertHistory(historyDir);
  const firstDay = new Date(fromMs - DAY_MS).toISOString().slice(0, 10);
  const lastDay = new Date(toMs + DAY_MS).toISOString().slice(0, 10);
  const prefix = `shard_${shard}-`;
  const deliveries: Deliveries = new Map();
  const unreadable: string[] = [];
  let files = 0;
  let firstBarMs = Number.NaN;
  let lastBarMs = Number.NaN;
  for (const day of readdirSync(historyDir).sort()) {
    const m = /^date=(\d{4}-\d{2}-\d{2})$/.exec(day);
    if (!m || m[1]! < firstDay || m[1]! > lastDay) continue;
    const names = readdirSync(join(historyDir, day))
      .filter((n) => n.startsWith(prefix) && n.endsWith('.parquet'))
      .sort();
    if (names.length === 0) continue;
    files += names.length;
    const read = await readDay(join(historyDir, day), prefix, names, readTable);
    unreadable.push(...read.unreadable);
    for (const t of read.tables) {
      const pair = t.pair_id as string[];
      const bar = t.bar_ts as Float64Array;
      const gen = t.generated_at as Float64Array;
      for (let i = 0; i < pair.length; i++) {
        if (!(bar[i]! >= fromMs && bar[i]! < toMs)) continue;
        if (Number.isNaN(firstBarMs) || bar[i]! < firstBarMs) firstBarMs = bar[i]!;
        if (Number.isNaN(lastBarMs) || bar[i]! > lastBarMs) lastBarMs = bar[i]!;
        const key = deliveryKey(pair[i]!, bar[i]!);
        const known = deliveries.get(key);
        if (known === undefined || gen[i]! < known) deliveries.set(key, gen[i]!);
      }
    }
  }
  return { deliveries, files, unreadable, firstBarMs, lastBarMs };
}

/**
 * The UTC days of the history folders holding files of any of `shards` (`date=YYYY-MM-DD`, a file's
 * newest bar's day), as [first day's start, last day's end) in UTC ms; undefined when there are none.
 * A replay's window when none is given. CORE_FS_MISSING when the history folder does not exist.
 */
export function historyDays(
  historyDir: string,
  shards: readonly number[],
): { fromMs: number; toMs: number } | undefined {
  assertHistory(historyDir);
  const prefixes = shards.map((n) => `shard_${n}-`);
  const days = readdirSync(historyDir)
    .map((name) => /^date=(\d{4}-\d{2}-\d{2})$/.exec(name)?.[1])
    .filter(
      (day): day is string =>
        day !== undefined &&
        readdirSync(join(historyDir, `date=${day}`)).some(
          (n) => n.endsWith('.parquet') && prefixes.some((p) => n.startsWith(p)),
        ),
    )
    .sort();
  if (days.length === 0) return undefined;
  return { fromMs: Date.parse(`${days[0]!}T00:00:00Z`), toMs: Date.parse(`${days.at(-1)!}T00:00:00Z`) + DAY_MS };
}
