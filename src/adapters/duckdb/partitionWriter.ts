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

const STAGE = 'pt_bar_stage';
const STAGE_TYPES = [USMALLINT, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE, UTINYINT, UINTEGER, UINTEGER, VARCHAR];
const CHUNK_ROWS = 2048;
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
  private last: string | undefined;
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
    private readonly conn: DuckDBConnection,
    private readonly copyConns: DuckDBConnection[],
  ) {}

  /** Closes the connections this writer was given besides the store's own. */
  closeExtraConnections(): void {
    for (const c of this.copyConns.slice(1)) c.closeSync();
  }

  /** How many COPYs may run at once (one per connection). */
  get lanes(): number {
    return this.copyConns.length;
  }

  /**
   * `extra` connections of the same in-memory database let COPYs run side by side; the staging
   * table is a plain table (not TEMP) so that every connection sees it.
   */
  static async create(conn: DuckDBConnection, extra: DuckDBConnection[] = []): Promise<PartitionWriter> {
    // Staging keeps ts as DOUBLE, a null volume as NaN, the flag as an index and the repeated ids as
    // dictionary indexes: numbers are much cheaper to fill than timestamps, nulls and strings. `p` is
    // the month's index.
    await conn.run(
      `CREATE OR REPLACE TABLE ${STAGE} (p USMALLINT, ts DOUBLE, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, q UTINYINT, src UINTEGER, run UINTEGER, metadata VARCHAR)`,
    );
    return new PartitionWriter(conn, [conn, ...extra]);
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

  async clearStage(): Promise<void> {
    this.sources = new StringDictionary();
    this.runs = new StringDictionary();
    this.flagsSeen = 0;
    await this.conn.run(`TRUNCATE ${STAGE}`);
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
    const tmp = tempPathFor(finalPath);
    try {
      await this.copyConns[lane % this.copyConns.length]!.run(`COPY (
        SELECT make_timestamp_ms(ts::BIGINT)::TIMESTAMP_MS AS ts_utc, ${sqlString(symbol)} AS symbol, ${sqlString(timeframe)} AS timeframe,
               open, high, low, close, CASE WHEN isnan(volume) THEN NULL ELSE volume END AS volume, ${this.qualitySql()} AS quality_flag,
               ${this.sources.sqlValue('src')} AS source_id, ${this.runs.sqlValue('run')} AS ingest_run_id, metadata::JSON AS metadata
        FROM ${STAGE} WHERE p = ${index}
      ) TO ${sqlString(tmp)} (${PARQUET_COPY_OPTIONS})`);
      return tmp;
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  private async stage(batch: BarBatch, months: readonly StagedMonth[]): Promise<void> {
    let left = 0;
    for (const m of months) left += m.rows.length;
    const appender = await this.conn.createAppender(STAGE);
    try {
      let chunk: DuckDBDataChunk | undefined;
      let v: DuckDBVector[] = [];
      let size = 0;
      let j = 0;
      for (let p = 0; p < months.length; p++) {
        const { rows, revised, stored } = months[p]!;
        for (let r = 0; r < rows.length; r++) {
          if (chunk === undefined) {
            size = Math.min(CHUNK_ROWS, left);
            const c = DuckDBDataChunk.create(STAGE_TYPES, size);
            v = STAGE_TYPES.map((_, col) => c.getColumnVector(col));
            chunk = c;
            j = 0;
          }
          const k = rows[r]!;
          v[0]!.setItem(j, p);
          if (k >= 0) {
            v[1]!.setItem(j, batch.ts[k]!);
            v[2]!.setItem(j, batch.open[k]!);
            v[3]!.setItem(j, batch.high[k]!);
            v[4]!.setItem(j, batch.low[k]!);
            v[5]!.setItem(j, batch.close[k]!);
            v[6]!.setItem(j, batch.volume[k]!);
            const q = revised !== undefined && revised[r] === 1 ? REVISED : batch.quality[k]!;
            this.flagsSeen |= 1 << q;
            v[7]!.setItem(j, q);
            v[8]!.setItem(j, this.sources.indexOf(batch.sourceId(k)));
            v[9]!.setItem(j, this.runs.indexOf(batch.ingestRunId(k)));
            v[10]!.setItem(j, batch.metadataJson(k));
          } else {
            const s = stored[-1 - k]!;
            v[1]!.setItem(j, s.ts);
            v[2]!.setItem(j, s.open);
            v[3]!.setItem(j, s.high);
            v[4]!.setItem(j, s.low);
            v[5]!.setItem(j, s.close);
            v[6]!.setItem(j, s.volume ?? NaN);
            const q = QUALITY_INDEX.get(s.quality) ?? 0;
            this.flagsSeen |= 1 << q;
            v[7]!.setItem(j, q);
            v[8]!.setItem(j, this.sources.indexOf(s.sourceId));
            v[9]!.setItem(j, this.runs.indexOf(s.ingestRunId));
            v[10]!.setItem(j, s.metadata);
          }
          if (++j === size) {
            for (const vec of v) vec.flush();
            appender.appendDataChunk(chunk);
            chunk = undefined;
            left -= size;
          }
        }
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }
}
