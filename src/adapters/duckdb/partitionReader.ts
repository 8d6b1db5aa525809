// Reads partitions back through DuckDB read_parquet with explicit file lists.
import type { DuckDBConnection, DuckDBVector } from '@duckdb/node-api';
import type { Timeframe } from '../../core/time.js';
import { emptyColumns, type BarColumns, type QualityFlag } from '../../model/bar.js';
import { SQL_QUALITY_LIST, sqlFileList, sqlTsRange } from './duckdbSql.js';
import type { StoredRow } from './upsertMerge.js';

function num(vec: DuckDBVector, i: number): number {
  return vec.getItem(i) as number;
}

/** Full rows (for merging and exact round trips), ascending ts. */
export async function readStoredRows(
  conn: DuckDBConnection,
  files: readonly string[],
  fromMs?: number,
  toMs?: number,
): Promise<StoredRow[]> {
  if (files.length === 0) return [];
  const result = await conn.run(`
    SELECT epoch_ms(ts_utc)::DOUBLE, open, high, low, close, volume, quality_flag, source_id, ingest_run_id, metadata::VARCHAR
    FROM read_parquet(${sqlFileList(files)}) WHERE ${sqlTsRange('ts_utc', fromMs, toMs)} ORDER BY ts_utc`);
  const out: StoredRow[] = [];
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const v = Array.from({ length: 10 }, (_, k) => chunk.getColumnVector(k));
    const [ts, open, high, low, close, volume, q, src, run, meta] = v as [
      DuckDBVector,
      DuckDBVector,
      DuckDBVector,
      DuckDBVector,
      DuckDBVector,
      DuckDBVector,
      DuckDBVector,
      DuckDBVector,
      DuckDBVector,
      DuckDBVector,
    ];
    for (let i = 0; i < chunk.rowCount; i++) {
      out.push({
        ts: num(ts, i),
        open: num(open, i),
        high: num(high, i),
        low: num(low, i),
        close: num(close, i),
        volume: volume.getItem(i) as number | null,
        quality: q.getItem(i) as QualityFlag,
        sourceId: src.getItem(i) as string,
        ingestRunId: run.getItem(i) as string,
        metadata: meta.getItem(i) as string,
      });
    }
  }
  return out;
}

/**
 * Typed-array columns for the hot paths. Nulls are mapped to NaN in SQL, so every vector arrives
 * without a validity mask and is copied without per-item null checks.
 */
export async function readColumns(
  conn: DuckDBConnection,
  files: readonly string[],
  symbol: string,
  timeframe: Timeframe,
  fromMs?: number,
  toMs?: number,
): Promise<BarColumns> {
  if (files.length === 0) return emptyColumns(symbol, timeframe, 0);
  const result = await conn.run(`
    SELECT epoch_ms(ts_utc)::DOUBLE, open, high, low, close, coalesce(volume, 'NaN'::DOUBLE),
           coalesce(list_position(${SQL_QUALITY_LIST}, quality_flag) - 1, 0)::DOUBLE
    FROM read_parquet(${sqlFileList(files)}) WHERE ${sqlTsRange('ts_utc', fromMs, toMs)} ORDER BY ts_utc`);
  const cols = emptyColumns(symbol, timeframe, result.rowCount);
  const targets = [cols.ts, cols.open, cols.high, cols.low, cols.close, cols.volume, cols.quality];
  let base = 0;
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const n = chunk.rowCount;
    for (let k = 0; k < targets.length; k++) {
      const vec = chunk.getColumnVector(k);
      const dst = targets[k]!;
      for (let i = 0; i < n; i++) dst[base + i] = vec.getItem(i) as number;
    }
    base += n;
  }
  return cols;
}
