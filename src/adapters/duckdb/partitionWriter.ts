// Writes month partitions through DuckDB: rows in via data chunks, one COPY per month to a temp file beside the partition.
import { unlink } from 'node:fs/promises';
import { tempPathFor } from '../../core/durableFs.js';
import {
  DOUBLE,
  DuckDBDataChunk,
  UINTEGER,
  USMALLINT,
  UTINYINT,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBVector,
} from '@duckdb/node-api';
import type { Timeframe } from '../../core/time.js';
import { QUALITY_FLAGS, type QualityFlag } from '../../model/bar.js';
import { SQL_QUALITY_LIST, sqlString } from './duckdbSql.js';
import type { BarBatch } from '../../model/barBatch.js';
import type { StoredRow } from './upsertMerge.js';

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const STAGE_TYPES = [USMALLINT, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE, UTINYINT, UINTEGER, UINTEGER, VARCHAR];
/** Rows per staged chunk: about a millisecond of work between two yields to the event loop. */
const CHUNK_ROWS = 512;
const QUALITY_INDEX = new Map<QualityFlag, number>(QUALITY_FLAGS.map((q, i) => [q, i]));
const REVISED = QUALITY_FLAGS.indexOf('revised');

/**
 * Everything that could make two writes of the same rows differ is pinned: one thread (set on the
 * instance), one row group per month file, the codec and level, the format version, a fixed footer.
 */
export const PARQUET_COPY_OPTIONS = [
  'FORMAT parquet',
  'COMPRESSION zstd',
  'COMPRESSION_LEVEL 3',
  'ROW_GROUP_SIZE 122880',
  'PARQUET_VERSION V1',
  "KV_METADATA {pt_schema: 'canonical_bar.v1', ts_utc_zone: 'UTC'}",
].join(', ');

/** Distinct strings of a column and each row's index into them (source and run ids repeat on nearly every row). */
class StringDictionary {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  /** The value asked last and its index ('' matches no value: an id is never empty). */
  private last = '';
  private lastIndex = 0;

  indexOf(value: string): number {
    if (value === this.last) return this.lastIndex;
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.index.set(value, i);
    }
    this.last = value;
    this.lastIndex = i;
    return i;
  }

  /**
   * SQL for the value of index column `column`: the one string itself when there is one (the usual
   * case: a file has one source and run), else a lookup in the values as a list (1-based).
   */
  sqlValue(column: string): string {
    if (this.values.length === 1) return sqlString(this.values[0]!);
    return `([${this.values.map(sqlString).join(', ')}]::VARCHAR[])[${column} + 1]`;
  }
}

export interface StagedMonth {
  /** The month's rows in ascending ts: `k >= 0` is row k of the batch, `k < 0` is `stored[-1 - k]`. */
  rows: Int32Array;
  /** `revised[j]` = 1: batch row `rows[j]` is written with the flag `revised`. */
  revised: Uint8Array | undefined;
  stored: readonly StoredRow[];
}

export class PartitionWriter {
  private sources = new StringDictionary();
  private runs = new StringDictionary();
  /** Bit k set: some staged row has flag k. */
  private flagsSeen = 0;

  private constructor(
    private readonly stageConn: DuckDBConnection,
    private readonly copyConns: readonly DuckDBConnection[],
    private readonly table: string,
  ) {}

  /** The connections the COPYs run on. */
  get copyConnections(): readonly DuckDBConnection[] {
    return this.copyConns;
  }

  /** How many COPYs may run at once (one per connection). */
  get lanes(): number {
    return this.copyConns.length;
  }

  /**
   * Rows are staged through `stageConn` into a table of its own (`slot`: writers of one database
   * need different slots); COPYs run on `copyConns`, side by side, so the table is a plain table
   * (not TEMP) that every connection sees. While one writer's months are copied out, another's may
   * be staged.
   */
  static async create(
    stageConn: DuckDBConnection,
    copyConns: readonly DuckDBConnection[] = [stageConn],
    slot = 0,
  ): Promise<PartitionWriter> {
    const table = `pt_bar_stage_${slot}`;
    // Staging keeps ts as DOUBLE, a null volume as NaN, the flag as an index and the repeated ids as
    // dictionary indexes: numbers are much cheaper to fill than timestamps, nulls and strings. `p` is
    // the month's index.
    await stageConn.run(
      `CREATE OR REPLACE TABLE ${table} (p USMALLINT, ts DOUBLE, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, q UTINYINT, src UINTEGER, run UINTEGER, metadata VARCHAR)`,
    );
    return new PartitionWriter(stageConn, copyConns, table);
  }

  /**
   * Loads the months' rows into the staging table, month k tagged with index k (all changed months
   * of an upsert at once: one appender, not one per month). With one thread and
   * preserve_insertion_order the staging order is the file order, which spares an ORDER BY in the COPY.
   */
  async stageMonths(batch: BarBatch, months: readonly StagedMonth[]): Promise<void> {
    try {
      await this.stage(batch, months);
    } catch (e) {
      await this.clearStage();
      throw e;
    }
  }

  /** Constant columns are cheaper to write than looked-up ones, and give the same bytes (a test checks). */
  private qualitySql(): string {
    const only = QUALITY_FLAGS.findIndex((_, k) => this.flagsSeen === 1 << k);
    return only >= 0 ? sqlString(QUALITY_FLAGS[only]!) : `${SQL_QUALITY_LIST}[q + 1]`;
  }

  /**
   * Empties the staging table, through the staging connection or, once the COPYs are done, through
   * a copy connection (the staging connection may be staging another writer's rows by then).
   */
  async clearStage(via: 'stage' | 'copy' = 'stage'): Promise<void> {
    this.sources = new StringDictionary();
    this.runs = new StringDictionary();
    this.flagsSeen = 0;
    await (via === 'stage' ? this.stageConn : this.copyConns[0]!).run(`TRUNCATE ${this.table}`);
  }

  /**
   * Writes staged month `index` to the temp file of `finalPath` (in the same folder) and returns
   * its path; `commitTempFiles` makes a group of them durable and renames them in place.
   */
  async copyPartitionToTemp(
    index: number,
    symbol: string,
    timeframe: Timeframe,
    finalPath: string,
    lane = 0,
  ): Promise<string> {
    return (await this.copyPartitionsToTemp([{ index, finalPath }], symbol, timeframe, lane))[0]!;
  }

  /**
   * `copyPartitionToTemp` for several months in one call: their COPYs run back to back on the lane's
   * connection without a round trip through JavaScript between them (so a busy main thread does not
   * leave the lane idle). On a failure no temp file of the call is left.
   */
  async copyPartitionsToTemp(
    months: ReadonlyArray<{ index: number; finalPath: string }>,
    symbol: string,
    timeframe: Timeframe,
    lane = 0,
  ): Promise<string[]> {
    const temps = months.map((m) => tempPathFor(m.finalPath));
    const select = `SELECT make_timestamp_ms(ts::BIGINT)::TIMESTAMP_MS AS ts_utc, ${sqlString(symbol)} AS symbol, ${sqlString(timeframe)} AS timeframe,
               open, high, low, close, CASE WHEN isnan(volume) THEN NULL ELSE volume END AS volume, ${this.qualitySql()} AS quality_flag,
               ${this.sources.sqlValue('src')} AS source_id, ${this.runs.sqlValue('run')} AS ingest_run_id, metadata::JSON AS metadata
        FROM ${this.table}`;
    const sql = months
      .map((m, k) => `COPY (${select} WHERE p = ${m.index}) TO ${sqlString(temps[k]!)} (${PARQUET_COPY_OPTIONS});`)
      .join('\n');
    try {
      if (months.length > 0) await this.copyConns[lane % this.copyConns.length]!.run(sql);
      return temps;
    } catch (e) {
      await Promise.all(temps.map((t) => unlink(t).catch(() => undefined)));
      throw e;
    }
  }

  private async stage(batch: BarBatch, months: readonly StagedMonth[]): Promise<void> {
    let left = 0;
    for (const m of months) left += m.rows.length;
    const appender = await this.stageConn.createAppender(this.table);
    try {
      const b = new ChunkValues();
      const at = { month: 0, row: 0 };
      while (left > 0) {
        const size = Math.min(CHUNK_ROWS, left);
        this.gather(batch, months, at, size, b);
        const chunk = DuckDBDataChunk.create(STAGE_TYPES, size);
        const numbers = [b.p, b.ts, b.open, b.high, b.low, b.close, b.volume, b.q, b.src, b.run];
        for (let col = 0; col < numbers.length; col++) setNumbers(chunk.getColumnVector(col), numbers[col]!, size);
        setStrings(chunk.getColumnVector(numbers.length), b.metadata, size);
        appender.appendDataChunk(chunk);
        left -= size;
        // Let waiting callbacks run between chunks: another upsert's writes (its next COPYs, a
        // commit's file steps) wait on this thread.
        await yieldToEventLoop();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  /** Fills `b` with the next `size` rows of `months`, from `at` on (advancing it). */
  private gather(
    batch: BarBatch,
    months: readonly StagedMonth[],
    at: { month: number; row: number },
    size: number,
    b: ChunkValues,
  ): void {
    for (let j = 0; j < size; ) {
      const m = months[at.month]!;
      const take = Math.min(size - j, m.rows.length - at.row);
      if (m.stored.length === 0 && m.revised === undefined)
        this.gatherInput(batch, m.rows, at.row, take, at.month, b, j);
      else this.gatherMerged(batch, m, at.row, take, at.month, b, j);
      j += take;
      at.row += take;
      if (at.row === m.rows.length) {
        at.month++;
        at.row = 0;
      }
    }
  }

  /** Rows `rows[from .. from + n - 1]` of the batch into `b` at `to` on (a month with nothing stored). */
  private gatherInput(
    batch: BarBatch,
    rows: Int32Array,
    from: number,
    n: number,
    month: number,
    b: ChunkValues,
    to: number,
  ): void {
    for (let t = 0; t < n; t++) {
      const k = rows[from + t]!;
      const j = to + t;
      b.p[j] = month;
      b.ts[j] = batch.ts[k]!;
      b.open[j] = batch.open[k]!;
      b.high[j] = batch.high[k]!;
      b.low[j] = batch.low[k]!;
      b.close[j] = batch.close[k]!;
      b.volume[j] = batch.volume[k]!;
      const q = batch.quality[k]!;
      this.flagsSeen |= 1 << q;
      b.q[j] = q;
      b.src[j] = this.sources.indexOf(batch.sourceId(k));
      b.run[j] = this.runs.indexOf(batch.ingestRunId(k));
      b.metadata[j] = batch.metadataJson(k);
    }
  }

  /** The same for a merged month: rows from the batch (maybe revised) and from the stored rows. */
  private gatherMerged(
    batch: BarBatch,
    m: StagedMonth,
    from: number,
    n: number,
    month: number,
    b: ChunkValues,
    to: number,
  ): void {
    for (let t = 0; t < n; t++) {
      const r = from + t;
      const k = m.rows[r]!;
      const j = to + t;
      b.p[j] = month;
      if (k >= 0) {
        b.ts[j] = batch.ts[k]!;
        b.open[j] = batch.open[k]!;
        b.high[j] = batch.high[k]!;
        b.low[j] = batch.low[k]!;
        b.close[j] = batch.close[k]!;
        b.volume[j] = batch.volume[k]!;
        b.q[j] = m.revised !== undefined && m.revised[r] === 1 ? REVISED : batch.quality[k]!;
        b.src[j] = this.sources.indexOf(batch.sourceId(k));
        b.run[j] = this.runs.indexOf(batch.ingestRunId(k));
        b.metadata[j] = batch.metadataJson(k);
      } else {
        const s = m.stored[-1 - k]!;
        b.ts[j] = s.ts;
        b.open[j] = s.open;
        b.high[j] = s.high;
        b.low[j] = s.low;
        b.close[j] = s.close;
        b.volume[j] = s.volume ?? NaN;
        b.q[j] = QUALITY_INDEX.get(s.quality) ?? 0;
        b.src[j] = this.sources.indexOf(s.sourceId);
        b.run[j] = this.runs.indexOf(s.ingestRunId);
        b.metadata[j] = s.metadata;
      }
      this.flagsSeen |= 1 << b.q[j]!;
    }
  }
}

/** One chunk's values, gathered before they go into the chunk's vectors (reused from chunk to chunk). */
class ChunkValues {
  readonly p = new Float64Array(CHUNK_ROWS);
  readonly ts = new Float64Array(CHUNK_ROWS);
  readonly open = new Float64Array(CHUNK_ROWS);
  readonly high = new Float64Array(CHUNK_ROWS);
  readonly low = new Float64Array(CHUNK_ROWS);
  readonly close = new Float64Array(CHUNK_ROWS);
  readonly volume = new Float64Array(CHUNK_ROWS);
  readonly q = new Float64Array(CHUNK_ROWS);
  readonly src = new Float64Array(CHUNK_ROWS);
  readonly run = new Float64Array(CHUNK_ROWS);
  readonly metadata: string[] = new Array<string>(CHUNK_ROWS).fill('');
}

/** Column at a time, so each loop sees one vector class (no nulls: a null volume is staged as NaN). */
function setNumbers(vector: DuckDBVector, values: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) vector.setItem(j, values[j]!);
  vector.flush();
}

function setStrings(vector: DuckDBVector, values: readonly string[], n: number): void {
  for (let j = 0; j < n; j++) vector.setItem(j, values[j]!);
  vector.flush();
}
