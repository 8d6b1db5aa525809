// pt sync: ships what pt live, pt paper (or the EA) and the alerts write locally into the history tables
// (the HistoryStore port), batch by batch. Each batch and the cursor after it are committed together and
// every row has a key (signal_id, (shard, fill id), (shard, ts), (shard, bar_ts), event_id), so a re-run
// or a run killed mid-batch adds nothing twice and loses nothing.
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SIGNAL_HISTORY_COLUMNS } from '../live/signal/signalHistory.js';
import type { CursorKey, HistoryBatch, HistoryStore, HistoryTable } from '../ports/historyStore.js';
import type { ReadTable } from '../ports/tableWriter.js';
import { readLinesAfter, type LinePosition } from './readLines.js';
import { accountRowOf, alertRowOf, ddLevelRowOf, fillRowOf, signalRowsOf, type Parsed } from './parseRows.js';

export interface SyncJobOptions {
  shards: number[];
  /** This machine's name: cursors are per host and file, as the files are. */
  host: string;
  /** pt live's signals history (<signal dir>/history). */
  historyDir: string;
  /** Folder of shard_<N>/fills.csv (pt paper's <signal dir>/paper, or the EA's Common Files pt folder). */
  fillsDir: string;
  /** account.json and the shard it belongs to; undefined: not synced. */
  account?: { path: string; shard: number };
  /** The audit log holding pt live's dd.action entries. */
  auditPath: string;
  /** <ops_dir>/alerts.jsonl. */
  alertsPath: string;
  /** Rows (lines, for the line files) per transaction. */
  batchSize: number;
  /** One pass, or passes every intervalMs until stopRequested. */
  once: boolean;
  intervalMs: number;
}

export interface SyncJobDeps {
  store: HistoryStore;
  readTable: ReadTable;
  stopRequested: () => boolean;
  sleep: (ms: number) => Promise<void>;
  log?: { info(entry: object): void; warn(entry: object): void };
  /** Called after each committed batch (progress; tests). */
  onBatch?: (table: HistoryTable, added: number) => void;
}

/** What one source gave in a pass. */
export interface SourceSummary {
  table: HistoryTable;
  /** `shard 0`, or empty for alerts. */
  what: string;
  path: string;
  missing: boolean;
  batches: number;
  read: number;
  added: number;
  skipped: number;
}

export interface SyncPass {
  sources: SourceSummary[];
}

export interface SyncJobResult {
  passes: number;
  /** The last pass. */
  last: SyncPass;
  /** Rows added over every pass, by table. */
  added: Record<HistoryTable, number>;
}

interface Ctx {
  o: SyncJobOptions;
  deps: SyncJobDeps;
}

function summary(table: HistoryTable, what: string, path: string): SourceSummary {
  return { table, what, path, missing: false, batches: 0, read: 0, added: 0, skipped: 0 };
}

async function drain(
  ctx: Ctx,
  s: SourceSummary,
  key: CursorKey,
  step: Parameters<HistoryStore['step']>[1],
): Promise<void> {
  while (!ctx.deps.stopRequested()) {
    const r = await ctx.deps.store.step(key, step);
    if (r === undefined) return;
    s.batches++;
    s.read += r.read;
    s.added += r.added;
    ctx.deps.onBatch?.(s.table, r.added);
  }
}

/** A line file: batches of up to batchSize lines, each line a row, nothing, or a logged skip. */
async function syncLineFile<R>(
  ctx: Ctx,
  s: SourceSummary,
  key: CursorKey,
  table: HistoryTable,
  rowOf: (text: string, lineNo: number) => Parsed<R>,
): Promise<void> {
  if (!existsSync(s.path)) {
    s.missing = true;
    return;
  }
  await drain(ctx, s, key, async (position) => {
    const got = await readLinesAfter(s.path, position as LinePosition | null, ctx.o.batchSize);
    if (got === undefined || got.lines.length === 0) return undefined;
    const rows: R[] = [];
    for (const l of got.lines) {
      const p = rowOf(l.text, l.lineNo);
      if (p === null) continue;
      if ('row' in p) rows.push(p.row);
      else {
        s.skipped++;
        ctx.deps.log?.warn({ event: 'sync_line_skipped', details: { path: s.path, line: l.lineNo, why: p.skip } });
      }
    }
    return { batch: { table, rows } as HistoryBatch, position: got.position };
  });
}

/** `shard_<N>-<seq>.parquet` or `shard_<N>-<first>-<last>.parquet`: its last seq. */
const HISTORY_FILE = /^shard_(\d+)-(\d+)(?:-(\d+))?\.parquet$/;

function historyFiles(dir: string, shard: number): { path: string; lastSeq: number }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .flatMap((rel) => {
      const m = HISTORY_FILE.exec(rel.split('/').at(-1)!);
      return m && Number(m[1]) === shard ? [{ path: join(dir, rel), lastSeq: Number(m[3] ?? m[2]) }] : [];
    })
    .sort((a, b) => a.lastSeq - b.lastSeq);
}

/**
 * The signals history: files in seq order, whole files per batch (at least one, until batchSize rows).
 * The cursor is the last seq synced: pt live writes a shard's files in seq order, each whole (rename).
 */
async function syncSignals(ctx: Ctx, s: SourceSummary, shard: number): Promise<void> {
  const files = historyFiles(ctx.o.historyDir, shard);
  if (!existsSync(ctx.o.historyDir)) s.missing = true;
  const key = { source: 'signals', scope: `${ctx.o.host}:${ctx.o.historyDir}#shard_${shard}` };
  await drain(ctx, s, key, async (position) => {
    const after = (position as { seq: number } | null)?.seq ?? Number.NEGATIVE_INFINITY;
    const todo = files.filter((f) => f.lastSeq > after);
    if (todo.length === 0) return undefined;
    const rows: ReturnType<typeof signalRowsOf> = [];
    let last = after;
    for (const f of todo) {
      if (rows.length > 0 && rows.length >= ctx.o.batchSize) break;
      rows.push(...signalRowsOf(await ctx.deps.readTable(f.path, SIGNAL_HISTORY_COLUMNS)));
      last = f.lastSeq;
    }
    return { batch: { table: 'signals', rows }, position: { seq: last } };
  });
}

async function syncAccount(ctx: Ctx, s: SourceSummary, shard: number): Promise<void> {
  let text: string;
  try {
    text = await readFile(s.path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    s.missing = true;
    return;
  }
  const p = accountRowOf(text, shard);
  if (p === null) return;
  if ('skip' in p) {
    s.skipped++;
    ctx.deps.log?.warn({ event: 'sync_account_skipped', details: { path: s.path, why: p.skip } });
    return;
  }
  const key = { source: 'account', scope: `${ctx.o.host}:${s.path}#shard_${shard}` };
  await drain(ctx, s, key, (position) =>
    Promise.resolve(
      (position as { ts: string } | null)?.ts === p.row.ts
        ? undefined
        : { batch: { table: 'account_snapshots', rows: [p.row] }, position: { ts: p.row.ts } },
    ),
  );
}

async function onePass(ctx: Ctx): Promise<SyncPass> {
  const { o } = ctx;
  const sources: SourceSummary[] = [];
  const add = (s: SourceSummary) => (sources.push(s), s);
  for (const shard of o.shards) {
    const what = `shard ${shard}`;
    await syncSignals(ctx, add(summary('signals', what, o.historyDir)), shard);
    const fills = add(summary('fills', what, join(o.fillsDir, `shard_${shard}`, 'fills.csv')));
    await syncLineFile(ctx, fills, { source: 'fills', scope: `${o.host}:${fills.path}` }, 'fills', (t, n) =>
      fillRowOf(t, n, shard),
    );
    if (o.account?.shard === shard)
      await syncAccount(ctx, add(summary('account_snapshots', what, o.account.path)), shard);
    const dd = add(summary('dd_levels', what, o.auditPath));
    await syncLineFile(
      ctx,
      dd,
      { source: 'dd_levels', scope: `${o.host}:${o.auditPath}#shard_${shard}` },
      'dd_levels',
      (t) => ddLevelRowOf(t, shard),
    );
  }
  const alerts = add(summary('alerts', '', o.alertsPath));
  await syncLineFile(ctx, alerts, { source: 'alerts', scope: `${o.host}:${o.alertsPath}` }, 'alerts', (t) =>
    alertRowOf(t),
  );
  return { sources };
}

export async function runSyncJob(o: SyncJobOptions, deps: SyncJobDeps): Promise<SyncJobResult> {
  const ctx: Ctx = { o, deps };
  const added: Record<HistoryTable, number> = { signals: 0, fills: 0, account_snapshots: 0, dd_levels: 0, alerts: 0 };
  let passes = 0;
  let last: SyncPass = { sources: [] };
  for (;;) {
    last = await onePass(ctx);
    passes++;
    for (const s of last.sources) added[s.table] += s.added;
    deps.log?.info({
      event: 'sync_pass',
      details: {
        pass: passes,
        added: Object.fromEntries(last.sources.map((s) => [`${s.table} ${s.what}`.trim(), s.added])),
      },
    });
    if (o.once || deps.stopRequested()) break;
    // Sleep in short steps so a stop is obeyed within a second.
    for (let waited = 0; waited < o.intervalMs && !deps.stopRequested(); waited += 250)
      await deps.sleep(Math.min(250, o.intervalMs - waited));
    if (deps.stopRequested()) break;
  }
  return { passes, last, added };
}

/** The printed table of a pass: one line per source. */
export function formatSyncPass(pass: SyncPass): string[] {
  return pass.sources.map((s) => {
    const where = `${s.table}${s.what ? ` ${s.what}` : ''}`.padEnd(26);
    if (s.missing) return `${where} no file at ${s.path}`;
    const skipped = s.skipped > 0 ? `, ${s.skipped} lines skipped (see the log)` : '';
    return `${where} ${s.added} added of ${s.read} read in ${s.batches} batches${skipped}  ${s.path}`;
  });
}
