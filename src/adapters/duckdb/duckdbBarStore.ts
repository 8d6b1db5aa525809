// BarStore over DuckDB + Parquet: month partitions, latest_wins upsert, crash-safe watermark (SPEC §1.2).
import { stat, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { FileLock } from '../../core/fileLock.js';
import { isPtError, PtError } from '../../core/ptError.js';
import { isoUtc, type Timeframe } from '../../core/time.js';
import type { AlignedPair, BarColumns, BarMetadata, CanonicalBar } from '../../model/bar.js';
import { metrics } from '../../observability/metrics.js';
import type { BarStore, BarStoreOptions, UpsertResult, Watermark } from '../../ports/barStore.js';
import { commitTempFiles, ensureDirDurable, fsyncDir, fsyncFile, removeStaleTemps } from '../../core/durableFs.js';
import { alignColumns } from '../../data/alignColumns.js';
import { isBarBatch, type BarBatch } from '../../model/barBatch.js';
import { assertStorableBars, assertStorableBatch } from './assertStorableBars.js';
import { barsAsBatch } from './barsAsBatch.js';
import { makeMonthDirs } from './makeMonthDirs.js';
import { newestStoredTs } from './newestStoredTs.js';
import { corruptPartitionError, findBadPartitions } from './partitionChecks.js';
import { readColumns, readStoredRows, RowCheckFailed } from './partitionReader.js';
import {
  assertStoreKey,
  listPartitions,
  listStoredSymbols,
  monthBounds,
  partitionDir,
  partitionPath,
  symbolDir,
  watermarkPath,
  type PartitionRef,
} from './partitionLayout.js';
import { PartitionWriter, type StagedMonth } from './partitionWriter.js';
import { scanMonthFolders, type MonthFolderState } from './scanMonthFolders.js';
import { guarded, STORE_SOURCE } from './storageError.js';
import { batchByMonth, mergedTs, mergeMonth } from './upsertMerge.js';
import { addCounters, readWatermarkFile, writeWatermarkFile } from './watermarkFile.js';
import { lockSymbol } from './storeLocks.js';

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

/** What an upsert's first phase (merge and stage) leaves for its second (write and commit). */
interface PreparedUpsert {
  writer: PartitionWriter;
  symbol: string;
  timeframe: Timeframe;
  source: string;
  result: UpsertResult;
  plans: MonthPlan[];
  staged: boolean;
  years: Set<string>;
  symDir: string;
  wmPath: string;
  wm: Watermark | undefined;
  windowParams: Record<string, unknown>;
}

const settle = (p: Promise<unknown>): Promise<unknown> => p.catch(() => undefined);

interface TempFile {
  tmp: string;
  finalPath: string;
}

/** A group's months written to temp files, and the folders that gained an entry for them. */
interface CopiedGroup {
  temps: TempFile[];
  grew: string[];
}

class Store implements DuckDbBarStore {
  /**
   * An upsert runs in two phases: prepare (read the stored months, merge, stage the rows, on the
   * staging connection) and write (COPY each month, commit, watermark, on the copy connections).
   * Prepares run one at a time in call order, and so do writes; the next upsert may prepare while
   * the previous one writes (each uses its own staging table, `slot`), except for the same symbol
   * and timeframe, whose prepare waits for that write (it reads the months and the watermark).
   */
  private prepTail: Promise<unknown> = Promise.resolve();
  private writeTail: Promise<unknown> = Promise.resolve();
  private readonly slotFree: Promise<unknown>[];
  private nextSlot = 0;
  private lastKey = '';
  private lastWrite: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Partition files this store has read whole and found sound: path → `dev:ino:size:mtime` then. */
  private readonly verifiedFiles = new Map<string, string>();

  constructor(
    readonly root: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly writers: PartitionWriter[],
    private readonly options: BarStoreOptions,
  ) {
    this.slotFree = writers.map(() => Promise.resolve());
  }

  private assertOpen(): void {
    if (this.closed)
      throw new PtError('DATA_STORAGE_IOFAIL', 'bar store: used after close()', { source: STORE_SOURCE });
  }

  /** Runs `fn` once every queued upsert is done, and before any later one starts (reads, close). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = Promise.all([this.prepTail, this.writeTail]).then(fn);
    this.prepTail = settle(run);
    this.writeTail = this.prepTail;
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
    const slot = this.nextSlot;
    this.nextSlot = (slot + 1) % this.writers.length;
    const key = `${timeframe}/${symbol}`;
    // The symbol's lock is taken before its months and watermark are read and released once the
    // watermark is written (or the upsert failed): another process never merges from what this one replaces.
    let lock: FileLock | undefined;
    const prepared = Promise.all([this.prepTail, this.slotFree[slot], key === this.lastKey ? this.lastWrite : 0]).then(
      () => {
        this.assertOpen();
        return guarded('upsert', { symbol, timeframe }, async () => {
          lock = await lockSymbol(this.root, timeframe, symbol, this.options);
          try {
            return await this.prepare(this.writers[slot]!, symbol, timeframe, batch, source, onPartition);
          } catch (e) {
            await lock.release();
            throw e;
          }
        });
      },
    );
    this.prepTail = settle(prepared);
    const written = Promise.all([prepared, this.writeTail]).then(([p]) =>
      guarded('upsert', { symbol, timeframe }, () => this.write(p, onPartition).finally(() => lock!.release())),
    );
    this.writeTail = settle(written);
    this.slotFree[slot] = this.writeTail;
    this.lastKey = key;
    this.lastWrite = this.writeTail;
    return written;
  }

  /** Merges the bars into the stored months and stages the changed ones; ends by calling `onPartition(0, total)`. */
  private async prepare(
    writer: PartitionWriter,
    symbol: string,
    timeframe: Timeframe,
    batch: BarBatch,
    source: string,
    onPartition?: (done: number, total: number) => void,
  ): Promise<PreparedUpsert> {
    const result: UpsertResult = { inserted: 0, updated: 0, deduped: 0, partitionsWritten: 0 };
    const symDir = symbolDir(this.root, timeframe, symbol);
    const wmPath = watermarkPath(this.root, timeframe, symbol);
    const prepared: PreparedUpsert = {
      writer,
      symbol,
      timeframe,
      source,
      result,
      plans: [],
      staged: false,
      years: new Set(),
      symDir,
      wmPath,
      wm: undefined,
      windowParams: {},
    };
    const batches = batchByMonth(batch);
    if (batches.length === 0) return prepared;
    await ensureDirDurable(symDir);
    await removeStaleTemps(symDir);
    const folders = await scanMonthFolders(
      symDir,
      symbol,
      batches.map((b) => b.month),
    );
    prepared.wm = await this.watermarkForUpsert(wmPath, symbol, timeframe);
    const firstTs = batch.ts[batches[0]!.rows[0]!]!;
    const lastRows = batches[batches.length - 1]!.rows;
    prepared.windowParams = {
      timeframe,
      first_ts: isoUtc(firstTs),
      last_ts: isoUtc(batch.ts[lastRows[lastRows.length - 1]!]!),
      bars: batch.length,
    };

    // Merge every month first, then stage all changed rows in one pass (one appender, not one per month).
    const staged: StagedMonth[] = [];
    for (const [month, st] of folders) if (st.yearDir) prepared.years.add(month.slice(0, 4));
    for (const mb of batches) {
      const dir = partitionDir(this.root, timeframe, symbol, mb.month);
      const file = partitionPath(this.root, timeframe, symbol, mb.month);
      const state = folders.get(mb.month)!;
      const stored = state.file
        ? await this.checked([file], symbol, timeframe, () => readStoredRows(this.conn, [file], symbol, timeframe))
        : [];
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
      prepared.plans.push(plan);
      // Changed months are staged in month order, so each group's are a contiguous range of indexes.
      if (merged.inserted + merged.updated > 0)
        plan.stageIndex = staged.push({ rows: merged.rows, revised: merged.revised, stored }) - 1;
    }
    if (staged.length > 0) {
      await batch.ready?.();
      await writer.stageMonths(batch, staged);
      prepared.staged = true;
    }
    try {
      // The rows are handed over: from here on this upsert waits on DuckDB and the disk.
      onPartition?.(0, prepared.plans.length);
    } catch (e) {
      if (prepared.staged) await writer.clearStage();
      throw e;
    }
    return prepared;
  }

  /**
   * Copies each changed month out in ascending order. The watermark follows the durable months
   * every WATERMARK_EVERY partitions and at the end: a kill leaves it at or behind the data, never ahead.
   */
  private async write(p: PreparedUpsert, onPartition?: (done: number, total: number) => void): Promise<UpsertResult> {
    const { writer, symbol, timeframe, source, result, plans, years, symDir, wmPath, windowParams } = p;
    if (plans.length === 0) return result;
    let wm = p.wm;
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
    // Groups of WATERMARK_EVERY months: COPY each changed month to its temp file beside its
    // partition, commit the group, then the watermark follows. The next group's COPYs run while
    // this one is committed.
    const groups: MonthPlan[][] = [];
    for (let g = 0; g < plans.length; g += WATERMARK_EVERY) groups.push(plans.slice(g, g + WATERMARK_EVERY));
    const removeTemps = (temps: readonly TempFile[]) =>
      Promise.all(temps.map((t) => unlink(t.tmp).catch(() => undefined)));
    const copyGroup = async (group: readonly MonthPlan[]): Promise<CopiedGroup> => {
      const changed = group.filter((plan) => plan.stageIndex >= 0);
      const temps: TempFile[] = [];
      try {
        const dirsMade = makeMonthDirs(symDir, changed, years);
        // A failure of one must not leave the other unobserved.
        dirsMade.catch(() => undefined);
        // The writer's connections each take a share of the months, in one call each: COPYs run side
        // by side (each file is still written by one single-threaded statement, so its bytes do not
        // change), and back to back within a lane.
        const per = Math.ceil(changed.length / writer.lanes);
        const lanes = Array.from({ length: writer.lanes }, async (_, lane) => {
          const share = changed.slice(lane * per, (lane + 1) * per);
          if (share.length === 0) return;
          if (share.some((plan) => !plan.state.monthDir)) await dirsMade;
          const tmps = await writer.copyPartitionsToTemp(
            share.map((plan) => ({ index: plan.stageIndex, finalPath: plan.file })),
            symbol,
            timeframe,
            lane,
          );
          share.forEach((plan, k) => temps.push({ tmp: tmps[k]!, finalPath: plan.file }));
        });
        const settled = await Promise.allSettled(lanes);
        const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
        return { temps, grew: await dirsMade };
      } catch (e) {
        await removeTemps(temps);
        throw e;
      }
    };
    let copying: Promise<CopiedGroup> | undefined = copyGroup(groups[0]!);
    try {
      for (let g = 0; g < groups.length; g++) {
        const group = groups[g]!;
        const current = copying!;
        copying = undefined;
        const { temps, grew } = await current;
        if (g + 1 < groups.length) {
          copying = copyGroup(groups[g + 1]!);
          // Observed below; a failure of this group's commit meanwhile must not leave it unhandled.
          copying.catch(() => undefined);
        }
        try {
          await commitTempFiles(temps, grew);
        } catch (e) {
          await removeTemps(temps);
          throw e;
        }
        result.partitionsWritten += temps.length;
        for (const plan of group) {
          if (plan.stageIndex < 0 && (wm === undefined || plan.monthLast > wm.last_ts)) {
            // Unchanged, but the watermark is about to cover it: it may come from a writer killed before its fsyncs.
            await fsyncFile(plan.file);
            await fsyncDir(plan.dir);
          }
        }
        const last = group[group.length - 1]!;
        if (g + 1 < groups.length) await advanceTo(last.monthLast, false);
        onPartition?.(Math.min((g + 1) * WATERMARK_EVERY, plans.length), plans.length);
      }
    } finally {
      // After a failure, the next group's COPY may still be running: let it end, and remove its files.
      if (copying !== undefined) {
        const left = await copying.catch(() => undefined);
        if (left !== undefined) await removeTemps(left.temps);
      }
      if (p.staged) await writer.clearStage('copy');
    }
    await advanceTo(plans[plans.length - 1]!.monthLast, true);
    return result;
  }

  async readWatermark(
    symbol: string,
    timeframe: Timeframe,
    options: { rebuildIfCorrupt?: boolean } = {},
  ): Promise<Watermark | undefined> {
    assertStoreKey(symbol, timeframe);
    const path = watermarkPath(this.root, timeframe, symbol);
    if (!options.rebuildIfCorrupt)
      return guarded('read watermark', { symbol, timeframe }, () => readWatermarkFile(path, symbol, timeframe));
    return this.read(() =>
      guarded('read watermark', { symbol, timeframe }, async () => {
        const lock = await lockSymbol(this.root, timeframe, symbol, this.options);
        try {
          return await this.watermarkForUpsert(path, symbol, timeframe);
        } finally {
          await lock.release();
        }
      }),
    );
  }

  async readBars(symbol: string, timeframe: Timeframe, fromMs?: number, toMs?: number): Promise<BarColumns> {
    assertStoreKey(symbol, timeframe);
    return this.read(() =>
      guarded('read bars', { symbol, timeframe }, async () => {
        const parts = await listPartitions(this.root, timeframe, symbol, fromMs, toMs);
        return this.verifiedRead(parts, symbol, timeframe, fromMs, toMs, (files, check) =>
          readColumns(this.conn, files, symbol, timeframe, fromMs, toMs, check),
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
    return this.read(() =>
      guarded('read rows', { symbol, timeframe }, async () => {
        const parts = await listPartitions(this.root, timeframe, symbol, fromMs, toMs);
        const rows = await this.verifiedRead(parts, symbol, timeframe, fromMs, toMs, (files, check) =>
          readStoredRows(this.conn, files, symbol, timeframe, fromMs, toMs, check),
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

  /**
   * Runs a read of partitions, checking every row unless each file was checked whole before by this
   * store and is unchanged since (same inode, size and mtime): repeated reads of a symbol (one per
   * pair in `pt features --all`) then cost what they did before reads were checked. Files read whole
   * and sound are remembered.
   */
  private async verifiedRead<T>(
    parts: readonly PartitionRef[],
    symbol: string,
    timeframe: Timeframe,
    fromMs: number | undefined,
    toMs: number | undefined,
    read: (files: string[], check: boolean) => Promise<T>,
  ): Promise<T> {
    const files = parts.map((p) => p.path);
    const ids = await Promise.all(
      files.map((f) =>
        stat(f).then(
          (st) => `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`,
          () => '',
        ),
      ),
    );
    const check = files.some((f, k) => ids[k] === '' || this.verifiedFiles.get(f) !== ids[k]);
    const out = await this.checked(files, symbol, timeframe, () => read(files, check));
    if (check)
      parts.forEach((p, k) => {
        const [start, end] = monthBounds(p.month);
        if (ids[k] !== '' && (fromMs ?? -Infinity) <= start && (toMs ?? Infinity) >= end)
          this.verifiedFiles.set(p.path, ids[k]!);
      });
    return out;
  }

  /**
   * Runs a read of `files`; when a row fails its checks or DuckDB cannot read a file, finds which
   * files are bad and throws DATA_STORAGE_CORRUPT naming them (a failure no file explains is rethrown).
   */
  private async checked<T>(
    files: readonly string[],
    symbol: string,
    timeframe: Timeframe,
    read: () => Promise<T>,
  ): Promise<T> {
    try {
      return await read();
    } catch (e) {
      if (isPtError(e)) throw e;
      const bad = await findBadPartitions(this.conn, files, symbol, timeframe);
      if (bad.length > 0) throw corruptPartitionError(bad, symbol, timeframe);
      if (!(e instanceof RowCheckFailed)) throw e;
      // Every file passes alone: one changed while it was read (another process's rename); reading again decides.
      throw new PtError(
        'DATA_STORAGE_CORRUPT',
        `bar store: a row of ${timeframe}/${symbol} failed verification, but no file fails alone (changed while read?); read again, or run pt store verify --symbols ${symbol} --timeframe ${timeframe}`,
        { source: STORE_SOURCE, details: { symbol, timeframe, files } },
      );
    }
  }

  /**
   * The watermark an upsert builds on. A corrupt one (only `--full` gets here: a plain ingest reads
   * it first and stops) is rebuilt from the newest stored bar, with a warning.
   */
  private async watermarkForUpsert(
    wmPath: string,
    symbol: string,
    timeframe: Timeframe,
  ): Promise<Watermark | undefined> {
    try {
      return await readWatermarkFile(wmPath, symbol, timeframe);
    } catch (e) {
      if (!isPtError(e) || e.id !== 'DATA_STORAGE_CORRUPT') throw e;
      const parts = await listPartitions(this.root, timeframe, symbol);
      const files = parts.map((p) => p.path);
      const last = await this.checked(files, symbol, timeframe, () =>
        newestStoredTs(this.conn, parts, symbol, timeframe),
      );
      this.options.onWarning?.(
        `${wmPath} was corrupt (${e.message.slice(wmPath.length + 2).split(';')[0]}); rebuilt from the stored partitions`,
      );
      if (last === undefined) return undefined;
      const wm: Watermark = {
        last_ts: last,
        last_refreshed_ts: new Date().toISOString(),
        source: 'rebuilt',
        window_params: {},
        dq_counters: {},
      };
      await writeWatermarkFile(wmPath, wm);
      return wm;
    }
  }

  /** Reads see every upsert asked before them, and no upsert asked after them runs meanwhile. */
  private read<T>(fn: () => Promise<T>): Promise<T> {
    return this.exclusive(() => {
      this.assertOpen();
      return fn();
    });
  }

  /** Waits for queued work, then releases the connections and the instance; a second call is a no-op. */
  close(): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed) return;
      this.closed = true;
      for (const c of this.writers[0]!.copyConnections) c.closeSync();
      this.conn.closeSync();
      this.instance.closeSync();
    });
  }
}

/** Opens the store rooted at the data dir `root` (bars under `<root>/canonical/`). */
export async function openBarStore(root: string, options: BarStoreOptions = {}): Promise<DuckDbBarStore> {
  const abs = resolve(root);
  return guarded('open', { root: abs }, async () => {
    const instance = await DuckDBInstance.create(':memory:', INSTANCE_OPTIONS);
    try {
      const conn = await instance.connect();
      // Timestamps are UTC; the session zone only matters if a TIMESTAMPTZ ever appears in a query.
      await conn.run("SET TimeZone = 'UTC'");
      // Two staging slots (one upsert prepares while the one before it writes) and two copy lanes.
      const lanes = [await instance.connect(), await instance.connect()];
      const writers = [await PartitionWriter.create(conn, lanes, 0), await PartitionWriter.create(conn, lanes, 1)];
      return new Store(abs, instance, conn, writers, options);
    } catch (e) {
      instance.closeSync();
      throw e;
    }
  });
}
