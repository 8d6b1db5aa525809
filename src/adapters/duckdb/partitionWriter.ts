// Writes one month partition through DuckDB: rows in via data chunks, COPY to a temp Parquet, atomic rename.
import { unlink } from 'node:fs/promises';
import { DOUBLE, DuckDBDataChunk, UTINYINT, VARCHAR, type DuckDBConnection, type DuckDBVector } from '@duckdb/node-api';
import type { Timeframe } from '../../core/time.js';
import { QUALITY_FLAGS, type QualityFlag } from '../../model/bar.js';
import { commitTempFiles, tempPathFor } from '../../core/durableFs.js';
import { SQL_QUALITY_LIST, sqlString } from './duckdbSql.js';
import type { StoredRow } from './upsertMerge.js';

const STAGE = 'pt_bar_stage';
const STAGE_TYPES = [DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE, UTINYINT, VARCHAR, VARCHAR, VARCHAR];
const CHUNK_ROWS = 2048;
const QUALITY_INDEX = new Map<QualityFlag, number>(QUALITY_FLAGS.map((q, i) => [q, i]));

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

export class PartitionWriter {
  private constructor(private readonly conn: DuckDBConnection) {}

  static async create(conn: DuckDBConnection): Promise<PartitionWriter> {
    // Staging keeps ts as DOUBLE and the flag as an index: both are cheaper to fill than timestamps and strings.
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${STAGE} (ts DOUBLE, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, q UTINYINT, source_id VARCHAR, ingest_run_id VARCHAR, metadata VARCHAR)`);
    return new PartitionWriter(conn);
  }

  /**
   * Replaces `finalPath` with `rows` so a crash leaves the old or the new file. `rows` must be
   * ascending: with one thread and preserve_insertion_order the staging order is the file order,
   * which spares an ORDER BY (a fifth of the COPY time).
   */
  async write(rows: readonly StoredRow[], symbol: string, timeframe: Timeframe, finalPath: string): Promise<void> {
    await this.stageRows(rows);
    try {
      await this.copyStaged(-Infinity, Infinity, symbol, timeframe, finalPath);
    } finally {
      await this.clearStage();
    }
  }

  /** Loads rows (ascending) into the staging table; many months are staged at once and copied out by range. */
  async stageRows(rows: readonly StoredRow[]): Promise<void> {
    try {
      await this.stage(rows);
    } catch (e) {
      await this.clearStage();
      throw e;
    }
  }

  async clearStage(): Promise<void> {
    await this.conn.run(`TRUNCATE ${STAGE}`);
  }

  /** Writes the staged rows with fromMs <= ts < toMs to `finalPath` atomically. */
  async copyStaged(fromMs: number, toMs: number, symbol: string, timeframe: Timeframe, finalPath: string): Promise<void> {
    const tmp = await this.copyStagedToTemp(fromMs, toMs, symbol, timeframe, finalPath);
    await commitTempFiles([{ tmp, finalPath }]);
  }

  /**
   * Writes the staged rows with fromMs <= ts < toMs to the temp file of `finalPath` and returns its
   * path; `commitTempFiles` makes a group of them durable and renames them in place.
   */
  async copyStagedToTemp(fromMs: number, toMs: number, symbol: string, timeframe: Timeframe, finalPath: string): Promise<string> {
    const tmp = tempPathFor(finalPath);
    const where = Number.isFinite(fromMs) ? `WHERE ts >= ${fromMs} AND ts < ${toMs}` : '';
    try {
      await this.conn.run(`COPY (
        SELECT make_timestamp_ms(ts::BIGINT)::TIMESTAMP_MS AS ts_utc, ${sqlString(symbol)} AS symbol, ${sqlString(timeframe)} AS timeframe,
               open, high, low, close, volume, ${SQL_QUALITY_LIST}[q + 1] AS quality_flag, source_id, ingest_run_id, metadata::JSON AS metadata
        FROM ${STAGE} ${where}
      ) TO ${sqlString(tmp)} (${PARQUET_COPY_OPTIONS})`);
      return tmp;
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  private async stage(rows: readonly StoredRow[]): Promise<void> {
    const appender = await this.conn.createAppender(STAGE);
    try {
      for (let off = 0; off < rows.length; off += CHUNK_ROWS) {
        const n = Math.min(CHUNK_ROWS, rows.length - off);
        const chunk = DuckDBDataChunk.create(STAGE_TYPES, n);
        const v: DuckDBVector[] = STAGE_TYPES.map((_, i) => chunk.getColumnVector(i));
        const [ts, open, high, low, close, volume, q, src, run, meta] = v as [DuckDBVector, DuckDBVector, DuckDBVector, DuckDBVector, DuckDBVector, DuckDBVector, DuckDBVector, DuckDBVector, DuckDBVector, DuckDBVector];
        for (let j = 0; j < n; j++) {
          const r = rows[off + j]!;
          ts.setItem(j, r.ts);
          open.setItem(j, r.open);
          high.setItem(j, r.high);
          low.setItem(j, r.low);
          close.setItem(j, r.close);
          volume.setItem(j, r.volume);
          q.setItem(j, QUALITY_INDEX.get(r.quality) ?? 0);
          src.setItem(j, r.sourceId);
          run.setItem(j, r.ingestRunId);
          meta.setItem(j, r.metadata);
        }
        for (const vec of v) vec.flush();
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }
}
