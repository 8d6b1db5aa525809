// BarStore over DuckDB + Parquet: month partitions, latest_wins upsert, crash-safe watermark (SPEC §1.2).
import { resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { PtError } from '../../core/ptError.js';
import { isoUtc, type Timeframe } from '../../core/time.js';
import type { AlignedPair, BarColumns, BarMetadata, CanonicalBar } from '../../model/bar.js';
import { assertCanonicalBars } from '../../model/barSchema.js';
import { metrics } from '../../observability/metrics.js';
import type { BarStore, UpsertResult, Watermark } from '../../ports/barStore.js';
import { ensureDirDurable, fsyncDir, fsyncFile, pathExists, removeStaleTemps } from './durableFs.js';
import { alignColumns } from './alignColumns.js';
import { readColumns, readStoredRows } from './partitionReader.js';
import { assertStoreKey, listPartitions, listStoredSymbols, partitionDir, partitionPath, symbolDir, watermarkPath } from './partitionLayout.js';
import { PartitionWriter } from './partitionWriter.js';
import { guarded, STORE_SOURCE } from './storageError.js';
import { batchByMonth, mergeMonth } from './upsertMerge.js';
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

    // Ascending months, the watermark following each durable month: a kill leaves it at or behind the data.
    for (let k = 0; k < batches.length; k++) {
      const batch = batches[k]!;
      const dir = partitionDir(this.root, timeframe, symbol, batch.month);
      const file = partitionPath(this.root, timeframe, symbol, batch.month);
      await removeStaleTemps(dir);
      const exists = await pathExists(file);
      const stored = exists ? await readStoredRows(this.conn, [file]) : [];
      const merged = mergeMonth(stored, batch.rows);
      const deduped = merged.deduped + batch.inputDuplicates;
      const monthLast = merged.rows[merged.rows.length - 1]!.ts;
      if (merged.inserted + merged.updated > 0) {
        await ensureDirDurable(dir);
        await this.writer.write(merged.rows, symbol, timeframe, file);
        result.partitionsWritten++;
      } else if (wm === undefined || monthLast > wm.last_ts) {
        // Unchanged, but the watermark is about to cover it: it may come from a writer killed before its fsyncs.
        await fsyncFile(file);
        await fsyncDir(dir);
      }
      result.inserted += merged.inserted;
      result.updated += merged.updated;
      result.deduped += deduped;
      const advances = wm === undefined || monthLast > wm.last_ts;
      wm = {
        last_ts: Math.max(wm?.last_ts ?? -Infinity, monthLast),
        last_refreshed_ts: new Date().toISOString(),
        source,
        window_params: windowParams,
        dq_counters: addCounters(wm?.dq_counters, { inserted: merged.inserted, updated: merged.updated, deduped }),
      };
      // Written as soon as last_ts moves (a resume point must follow the data month by month);
      // counter-only changes wait for the end of the call.
      if (advances || k === batches.length - 1) await writeWatermarkFile(wmPath, wm);
      if (deduped > 0) metrics.dedupeDropsTotal.inc({ symbol, timeframe }, deduped);
      onPartition?.(k + 1, batches.length);
    }
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
