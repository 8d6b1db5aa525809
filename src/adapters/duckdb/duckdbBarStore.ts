// BarStore over DuckDB + Parquet: month partitions, latest_wins upsert, crash-safe watermark (SPEC §1.2).
import { unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { PtError } from '../../core/ptError.js';
import { isoUtc, type Timeframe } from '../../core/time.js';
import type { AlignedPair, BarColumns, BarMetadata, CanonicalBar } from '../../model/bar.js';
import { metrics } from '../../observability/metrics.js';
import type { BarStore, UpsertResult, Watermark } from '../../ports/barStore.js';
import { commitTempFiles, ensureDirDurable, fsyncDir, fsyncFile, removeStaleTemps } from '../../core/durableFs.js';
import { alignColumns } from '../../data/alignColumns.js';
import { isBarBatch, type BarBatch } from '../../model/barBatch.js';
import { assertStorableBars, assertStorableBatch } from './assertStorableBars.js';
import { barsAsBatch } from './barsAsBatch.js';
import { makeMonthDirs } from './makeMonthDirs.js';
import { readColumns, readStoredRows } from './partitionReader.js';
import {
  assertStoreKey,
  listPartitions,
  listStoredSymbols,
  partitionDir,
  partitionPath,
  symbolDir,
  watermarkPath,
} from './partitionLayout.js';
import { PartitionWriter, type StagedMonth } from './partitionWriter.js';
import { scanMonthFolders, type MonthFolderState } from './scanMonthFolders.js';
import { guarded, STORE_SOURCE } from './storageError.js';
import { batchByMonth, mergedTs, mergeMonth } from './upsertMerge.js';
import { addCounters, readWatermarkFile, writeWatermarkFile } from './watermarkFile.js';

/** The DuckDB bar store; `readRows` adds full-row reads (metadata included) to the port. */
export interface DuckDbBarStore extends BarStore {
  readonly root: string;
  readRows(symbol: string, timeframe: Timeframe, fromMs?: number, toMs?: number): Promise<CanonicalBar[]>;
}

/**
 * One thread: the Parquet writer's output must not depend on scheduling, and month-sized reads
 * gain nothing from more. Extensions are never fetched: parquet and json are built in.
 */
const INSTANCE_OPTIONS: Record<string, string> = {
  threads: '1',
  preserve_insertion_order: 'true',
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
};

/** Month partitions written between two watermark updates (bounds re-work after a kill). */
const WATERMARK_EVERY = 12;

/** One month of an upsert: where it goes, what is there, and its staging index (-1: unchanged). */
interface MonthPlan {
  month: string;
  dir: string;
  file: string;
  state: MonthFolderState;
  stageIndex: number;
  monthLast: number;
}

class Store implements DuckDbBarStore {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    readonly root: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly writer: PartitionWriter,
  ) {}

  /** One DuckDB connection runs one statement at a time, and upserts share a staging table: serialise. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.closed)
        throw new PtError('DATA_STORAGE_IOFAIL', 'bar store: used after close()', { source: STORE_SOURCE });
      return fn();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async upsert(
    symbol: string,
    timeframe: Timeframe,
    bars: readonly CanonicalBar[] | BarBatch,
    source: string,
    onPartition?: (done: number, total: number) => void,
  ): Promise<UpsertResult> {
    assertStoreKey(symbol, timeframe);
    let batch: BarBatch;
    if (isBarBatch(bars)) {
      assertStorableBatch(bars, symbol, timeframe);
      batch = bars;
    } else {
      assertStorableBars(bars, symbol, timeframe);
      batch = barsAsBatch(bars, symbol, timeframe);
    }
    return this.serial(() =>
      guarded('upsert', { symbol, timeframe }, () => this.upsertNow(symbol, timeframe, batch, source, onPartition)),
    );
  }

  private async upsertNow(
    symbol: string,
    timeframe: Timeframe,
    batch: BarBatch,
    source: string,
    onPartition?: (done: number, total: number) => void,
  ): Promise<UpsertResult> {
    const result: UpsertResult = { inserted: 0, updated: 0, deduped: 0, partitionsWritten: 0 };
    const batches = batchByMonth(batch);
    if (batches.length === 0) return result;
    const symDir = symbolDir(this.root, timeframe, symbol);
    const wmPath = watermarkPath(this.root, timeframe, symbol);
    await ensureDirDurable(symDir);
    await removeStaleTemps(symDir);
    const folders = await scanMonthFolders(
      symDir,
      symbol,
      batches.map((b) => b.month),
    );
    let wm = await readWatermarkFile(wmPath);
    const firstTs = batch.ts[batches[0]!.rows[0]!]!;
    const lastRows = batches[batches.length - 1]!.rows;
    const windowParams = {
      timeframe,
      first_ts: isoUtc(firstTs),
      last_ts: isoUtc(batch.ts[lastRows[lastRows.length - 1]!]!),
      bars: batch.length,
    };

    // Merge every month first, stage all changed rows in one pass (one appender, not one per month),
    // then copy each month out in ascending order. The watermark follows the durable months
    // every WATERMARK_EVERY partitions and at the end: a kill leaves it at or behind the data, never ahead.
    const plans: MonthPlan[] = [];
    const staged: StagedMonth[] = [];
    const years = new Set([...folders].filter(([, st]) => st.yearDir).map(([month]) => month.slice(0, 4)));
    for (const mb of batches) {
      const dir = partitionDir(this.root, timeframe, symbol, mb.month);
      const file = partitionPath(this.root, timeframe, symbol, mb.month);
      const state = folders.get(mb.month)!;
      const stored = state.file ? await readStoredRows(this.conn, [file]) : [];
      const merged = mergeMonth(stored, batch, mb.rows);
      const deduped = merged.deduped + mb.inputDuplicates;
      result.inserted += merged.inserted;
      result.updated += merged.updated;
      result.deduped += deduped;
      if (deduped > 0) metrics.dedupeDropsTotal.inc({ symbol, timeframe }, deduped);
      const plan: MonthPlan = {
        month: mb.month,
        dir,
        file,
        state,
        stageIndex: -1,
        monthLast: mergedTs(merged.rows[merged.rows.length - 1]!, batch, stored),
      };
      plans.push(plan);
      // Changed months are staged in month order, so each group's are a contiguous range of indexes.
      if (merged.inserted + merged.updated > 0)
        plan.stageIndex = staged.push({ rows: merged.rows, revised: merged.revised, stored }) - 1;
    }
    if (staged.length > 0) await this.writer.stageMonths(batch, staged);
    // The rows are handed over: from here on the store waits on DuckDB and the disk.
    onPartition?.(0, plans.length);
    const counters = { inserted: result.inserted, updated: result.updated, deduped: result.deduped };
    const advanceTo = async (lastTs: number, final: boolean) => {
      if (!final && wm !== undefined && lastTs <= wm.last_ts) return;
      wm = {
        last_ts: Math.max(wm?.last_ts ?? -Infinity, lastTs),
        last_refreshed_ts: new Date().toISOString(),
        source,
        window_params: windowParams,
        dq_counters: final ? addCounters(wm?.dq_counters, counters) : (wm?.dq_counters ?? {}),
      };
      await writeWatermarkFile(wmPath, wm);
    };
    try {
      // Groups of WATERMARK_EVERY months: COPY each changed month to its temp file (while missing
      // month folders are made), commit the group, then the watermark follows.
      for (let g = 0; g < plans.length; g += WATERMARK_EVERY) {
        const group = plans.slice(g, g + WATERMARK_EVERY);
        const changed = group.filter((p) => p.stageIndex >= 0);
        const temps: Array<{ tmp: string; finalPath: string }> = [];
        try {
          const dirsMade = makeMonthDirs(symDir, changed, years);
          // A failure of one must not leave the other unobserved.
          dirsMade.catch(() => undefined);
          // The writer's connections each take the next month: COPYs run side by side (each file is
          // still written by one single-threaded statement, so its bytes do not change).
          let next = 0;
          const lanes = Array.from({ length: this.writer.lanes }, async (_, lane) => {
            while (next < changed.length) {
              const plan = changed[next++]!;
              if (!plan.state.monthDir) await dirsMade;
              temps.push({
                tmp: await this.writer.copyPartitionToTemp(plan.stageIndex, symbol, timeframe, plan.file, lane),
                finalPath: plan.file,
              });
            }
          });
          const settled = await Promise.allSettled(lanes);
          const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
          if (failed) throw failed.reason;
          await commitTempFiles(temps, await dirsMade);
        } catch (e) {
          await Promise.all(temps.map((t) => unlink(t.tmp).catch(() => undefined)));
          throw e;
        }
        result.partitionsWritten += changed.length;
        for (const plan of group) {
          if (plan.stageIndex < 0 && (wm === undefined || plan.monthLast > wm.last_ts)) {
            // Unchanged, but the watermark is about to cover it: it may come from a writer killed before its fsyncs.
            await fsyncFile(plan.file);
            await fsyncDir(plan.dir);
          }
        }
        const last = group[group.length - 1]!;
        if (g + WATERMARK_EVERY < plans.length) await advanceTo(last.monthLast, false);
        onPartition?.(Math.min(g + WATERMARK_EVERY, plans.length), plans.length);
      }
    } finally {
      if (staged.length > 0) await this.writer.clearStage();
    }
    await advanceTo(plans[plans.length - 1]!.monthLast, true);
    return result;
  }

  async readWatermark(symbol: string, timeframe: Timeframe): Promise<Watermark | undefined> {
    assertStoreKey(symbol, timeframe);
    return guarded('read watermark', { symbol, timeframe }, () =>
      readWatermarkFile(watermarkPath(this.root, timeframe, symbol)),
    );
  }

  async readBars(symbol: string, timeframe: Timeframe, fromMs?: number, toMs?: number): Promise<BarColumns> {
    assertStoreKey(symbol, timeframe);
    return this.serial(() =>
      guarded('read bars', { symbol, timeframe }, async () => {
        const parts = await listPartitions(this.root, timeframe, symbol, fromMs, toMs);
        return readColumns(
          this.conn,
          parts.map((p) => p.path),
          symbol,
          timeframe,
          fromMs,
          toMs,
        );
      }),
    );
  }

  async readAlignedPair(
    symbolA: string,
    symbolB: string,
    timeframe: Timeframe,
    fromMs?: number,
    toMs?: number,
  ): Promise<AlignedPair> {
    const [a, b] = await Promise.all([
      this.readBars(symbolA, timeframe, fromMs, toMs),
      this.readBars(symbolB, timeframe, fromMs, toMs),
    ]);
    return alignColumns(a, b);
  }

  async readRows(symbol: string, timeframe: Timeframe, fromMs?: number, toMs?: number): Promise<CanonicalBar[]> {
    assertStoreKey(symbol, timeframe);
    return this.serial(() =>
      guarded('read rows', { symbol, timeframe }, async () => {
        const parts = await listPartitions(this.root, timeframe, symbol, fromMs, toMs);
        const rows = await readStoredRows(
          this.conn,
          parts.map((p) => p.path),
          fromMs,
          toMs,
        );
        return rows.map((r) => ({
          ts_utc: r.ts,
          symbol,
          timeframe,
          open: r.open,
          high: r.high,
          low: r.low,
          close: r.close,
          volume: r.volume,
          quality_flag: r.quality,
          source_id: r.sourceId,
          ingest_run_id: r.ingestRunId,
          metadata: JSON.parse(r.metadata) as BarMetadata,
        }));
      }),
    );
  }

  async listSymbols(timeframe: Timeframe): Promise<string[]> {
    return guarded('list symbols', { timeframe }, () => listStoredSymbols(this.root, timeframe));
  }

  /** Waits for queued work, then releases the connection and the instance; a second call is a no-op. */
  close(): Promise<void> {
    const run = this.queue.then(() => {
      if (this.closed) return;
      this.closed = true;
      this.writer.closeExtraConnections();
      this.conn.closeSync();
      this.instance.closeSync();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Opens the store rooted at the data dir `root` (bars under `<root>/canonical/`). */
export async function openBarStore(root: string): Promise<DuckDbBarStore> {
  const abs = resolve(root);
  return guarded('open', { root: abs }, async () => {
    const instance = await DuckDBInstance.create(':memory:', INSTANCE_OPTIONS);
    try {
      const conn = await instance.connect();
      // Timestamps are UTC; the session zone only matters if a TIMESTAMPTZ ever appears in a query.
      await conn.run("SET TimeZone = 'UTC'");
      const writer = await PartitionWriter.create(conn, [await instance.connect()]);
      return new Store(abs, instance, conn, writer);
    } catch (e) {
      instance.closeSync();
      throw e;
    }
  });
}
