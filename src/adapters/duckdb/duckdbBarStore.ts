// BarStore over DuckDB + Parquet: month partitions, latest_wins upsert, crash-safe watermark (SPEC §1.2).
import { resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { PtError } from '../../core/ptError.js';
import { isoUtc, type Timeframe } from '../../core/time.js';
import type { AlignedPair, BarColumns, BarMetadata, CanonicalBar } from '../../model/bar.js';
import { assertCanonicalBars } from '../../model/barSchema.js';
import { metrics } from '../../observability/metrics.js';
import type { BarStore, UpsertResult, Watermark } from '../../ports/barStore.js';
import { unlink } from 'node:fs/promises';
import { commitTempFiles, ensureDirDurable, fsyncDir, fsyncFile, pathExists, removeStaleTemps } from '../../core/durableFs.js';
import { alignColumns } from '../../data/alignColumns.js';
import { readColumns, readStoredRows } from './partitionReader.js';
import { assertStoreKey, listPartitions, listStoredSymbols, partitionDir, partitionPath, symbolDir, watermarkPath } from './partitionLayout.js';
import { PartitionWriter } from './partitionWriter.js';
import { guarded, STORE_SOURCE } from './storageError.js';
import { batchByMonth, mergeMonth, type StoredRow } from './upsertMerge.js';
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

function monthRangeMs(month: string): [number, number] {
  const [y, m] = month.split('-').map(Number);
  return [Date.UTC(y!, m! - 1, 1), Date.UTC(y!, m!, 1)];
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
      if (this.closed) throw new PtError('DATA_STORAGE_IOFAIL', 'bar store: used after close()', { source: STORE_SOURCE });
      return fn();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async upsert(symbol: string, timeframe: Timeframe, bars: CanonicalBar[], source: string, onPartition?: (done: number, total: number) => void): Promise<UpsertResult> {
    assertStoreKey(symbol, timeframe);
    for (let i = 0; i < bars.length; i++) {
      const b = bars[i]!;
      if (b.symbol !== symbol || b.timeframe !== timeframe) {
        throw new PtError('DATA_SCHEMA_BAR', `bar store: bar ${i} is ${b.symbol} ${b.timeframe}, upsert is for ${symbol} ${timeframe}`, { source: STORE_SOURCE, details: { index: i } });
      }
    }
    assertCanonicalBars(bars, STORE_SOURCE);
    return this.serial(() => guarded('upsert', { symbol, timeframe }, () => this.upsertNow(symbol, timeframe, bars, source, onPartition)));
  }

  private async upsertNow(symbol: string, timeframe: Timeframe, bars: CanonicalBar[], source: string, onPartition?: (done: number, total: number) => void): Promise<UpsertResult> {
    const result: UpsertResult = { inserted: 0, updated: 0, deduped: 0, partitionsWritten: 0 };
    const batches = batchByMonth(bars);
    if (batches.length === 0) return result;
    const symDir = symbolDir(this.root, timeframe, symbol);
    const wmPath = watermarkPath(this.root, timeframe, symbol);
    await ensureDirDurable(symDir);
    await removeStaleTemps(symDir);
    let wm = await readWatermarkFile(wmPath);
    const firstTs = batches[0]!.rows[0]!.ts;
    const lastBatch = batches[batches.length - 1]!;
    const windowParams = { timeframe, first_ts: isoUtc(firstTs), last_ts: isoUtc(lastBatch.rows[lastBatch.rows.length - 1]!.ts), bars: bars.length };

    // Merge every month first, stage all changed rows in one pass (one appender, not one per month),
    // then copy each month out in ascending order. The watermark follows the durable months every
    // WATERMARK_EVERY partitions and at the end: a kill leaves it at or behind the data, never ahead.
    const plans: Array<{ month: string; dir: string; file: string; rows: StoredRow[]; changed: boolean; monthLast: number }> = [];
    for (const batch of batches) {
      const dir = partitionDir(this.root, timeframe, symbol, batch.month);
      const file = partitionPath(this.root, timeframe, symbol, batch.month);
      // A kill can leave a temp file in a month folder that never got its partition.
      if (await pathExists(dir)) await removeStaleTemps(dir);
      const exists = await pathExists(file);
      const stored = exists ? await readStoredRows(this.conn, [file]) : [];
      const merged = mergeMonth(stored, batch.rows);
      const deduped = merged.deduped + batch.inputDuplicates;
      result.inserted += merged.inserted;
      result.updated += merged.updated;
      result.deduped += deduped;
      if (deduped > 0) metrics.dedupeDropsTotal.inc({ symbol, timeframe }, deduped);
      plans.push({ month: batch.month, dir, file, rows: merged.rows, changed: merged.inserted + merged.updated > 0, monthLast: merged.rows[merged.rows.length - 1]!.ts });
    }
    const changedRows = plans.filter((p) => p.changed).flatMap((p) => p.rows);
    if (changedRows.length > 0) await this.writer.stageRows(changedRows);
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
      // Groups of WATERMARK_EVERY months: COPY each to its temp file, commit the group, then the watermark.
      for (let g = 0; g < plans.length; g += WATERMARK_EVERY) {
        const group = plans.slice(g, g + WATERMARK_EVERY);
        const changed = group.filter((p) => p.changed);
        await Promise.all(changed.map((p) => ensureDirDurable(p.dir)));
        const temps: Array<{ tmp: string; finalPath: string }> = [];
        try {
          for (const plan of changed) {
            const [from, to] = monthRangeMs(plan.month);
            temps.push({ tmp: await this.writer.copyStagedToTemp(from, to, symbol, timeframe, plan.file), finalPath: plan.file });
          }
          await commitTempFiles(temps);
        } catch (e) {
          await Promise.all(temps.map((t) => unlink(t.tmp).catch(() => undefined)));
          throw e;
        }
        result.partitionsWritten += changed.length;
        for (const plan of group) {
          if (!plan.changed && (wm === undefined || plan.monthLast > wm.last_ts)) {
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
      if (changedRows.length > 0) await this.writer.clearStage();
    }
    await advanceTo(plans[plans.length - 1]!.monthLast, true);
    return result;
  }

  async readWatermark(symbol: string, timeframe: Timeframe): Promise<Watermark | undefined> {
    assertStoreKey(symbol, timeframe);
    return guarded('read watermark', { symbol, timeframe }, () => readWatermarkFile(watermarkPath(this.root, timeframe, symbol)));
  }

  async readBars(symbol: string, timeframe: Timeframe, fromMs?: number, toMs?: number): Promise<BarColumns> {
    assertStoreKey(symbol, timeframe);
    return this.serial(() => guarded('read bars', { symbol, timeframe }, async () => {
      const parts = await listPartitions(this.root, timeframe, symbol, fromMs, toMs);
      return readColumns(this.conn, parts.map((p) => p.path), symbol, timeframe, fromMs, toMs);
    }));
  }

  async readAlignedPair(symbolA: string, symbolB: string, timeframe: Timeframe, fromMs?: number, toMs?: number): Promise<AlignedPair> {
    const [a, b] = await Promise.all([this.readBars(symbolA, timeframe, fromMs, toMs), this.readBars(symbolB, timeframe, fromMs, toMs)]);
    return alignColumns(a, b);
  }

  async readRows(symbol: string, timeframe: Timeframe, fromMs?: number, toMs?: number): Promise<CanonicalBar[]> {
    assertStoreKey(symbol, timeframe);
    return this.serial(() => guarded('read rows', { symbol, timeframe }, async () => {
      const parts = await listPartitions(this.root, timeframe, symbol, fromMs, toMs);
      const rows = await readStoredRows(this.conn, parts.map((p) => p.path), fromMs, toMs);
      return rows.map((r) => ({
        ts_utc: r.ts, symbol, timeframe, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume,
        quality_flag: r.quality, source_id: r.sourceId, ingest_run_id: r.ingestRunId, metadata: JSON.parse(r.metadata) as BarMetadata,
      }));
    }));
  }

  async listSymbols(timeframe: Timeframe): Promise<string[]> {
    return guarded('list symbols', { timeframe }, () => listStoredSymbols(this.root, timeframe));
  }

  /** Waits for queued work, then releases the connection and the instance; a second call is a no-op. */
  close(): Promise<void> {
    const run = this.queue.then(() => {
      if (this.closed) return;
      this.closed = true;
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
      const writer = await PartitionWriter.create(conn);
      return new Store(abs, instance, conn, writer);
    } catch (e) {
      instance.closeSync();
      throw e;
    }
  });
}
