// Reads partitions back through DuckDB read_parquet with explicit file lists, checking every row read.
import type { DuckDBConnection, DuckDBVector } from '@duckdb/node-api';
import type { Timeframe } from '../../core/time.js';
import { emptyColumns, type BarColumns, type QualityFlag } from '../../model/bar.js';
import { SQL_QUALITY_LIST, sqlFileList, sqlTsRange } from './duckdbSql.js';
import { checksumHalvesSql, checksumMatches, rowCodeSql } from './partitionChecks.js';
import type { StoredRow } from './upsertMerge.js';

/**
 * Thrown by the readers when a row fails its checks (checksum, symbol, grid, month); the store
 * then finds which file failed and why (`findBadPartitions`).
 */
export class RowCheckFailed extends Error {
  constructor() {
    super('a stored row failed verification');
  }
}

function num(vec: DuckDBVector, i: number): number {
  return vec.getItem(i) as number;
}

/**
 * The FROM and WHERE of a read. A checked one adds `row_code` and the checksum halves, and keeps
 * every row out of place wherever it sits (a damaged ts may have left the range, and must still
 * fail the read). An unchecked one (files verified before, unchanged since) yields zeros there.
 */
function source(
  files: readonly string[],
  symbol: string,
  timeframe: Timeframe,
  check: boolean,
  fromMs?: number,
  toMs?: number,
): string {
  const range = sqlTsRange('ts_utc', fromMs, toMs);
  if (!check)
    return `(SELECT *, 0 AS row_code, 0::DOUBLE AS checksum_hi, 0::DOUBLE AS checksum_lo FROM read_parquet(${sqlFileList(files)})) WHERE ${range}`;
  return `(SELECT *, ${rowCodeSql(symbol, timeframe)} AS row_code, ${checksumHalvesSql()}
      FROM read_parquet(${sqlFileList(files)}, filename = true))
    WHERE ${range} OR row_code <> 0`;
}

/** Full rows (for merging and exact round trips), ascending ts; throws RowCheckFailed on a bad row. */
export async function readStoredRows(
  conn: DuckDBConnection,
  files: readonly string[],
  symbol: string,
  timeframe: Timeframe,
  fromMs?: number,
  toMs?: number,
  check = true,
): Promise<StoredRow[]> {
  if (files.length === 0) return [];
  const result = await conn.run(`
    SELECT epoch_ms(ts_utc)::DOUBLE, open, high, low, close, volume, quality_flag, source_id, ingest_run_id,
           metadata::VARCHAR, row_code, checksum_hi, checksum_lo
    FROM ${source(files, symbol, timeframe, check, fromMs, toMs)} ORDER BY ts_utc`);
  const out: StoredRow[] = [];
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const v = Array.from({ length: 13 }, (_, k) => chunk.getColumnVector(k));
    const [ts, open, high, low, close, volume, q, src, run, meta, code, hi, lo] = v as [
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
      DuckDBVector,
      DuckDBVector,
      DuckDBVector,
    ];
    for (let i = 0; i < chunk.rowCount; i++) {
      const row: StoredRow = {
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
      };
      if (
        check &&
        (num(code, i) !== 0 ||
          !checksumMatches(num(hi, i), num(lo, i), row.ts, row.open, row.high, row.low, row.close, row.volume))
      )
        throw new RowCheckFailed();
      out.push(row);
    }
  }
  return out;
}

/**
 * Typed-array columns for the hot paths; throws RowCheckFailed on a bad row. Nulls are mapped to
 * NaN in SQL, so every vector arrives without a validity mask and is copied without per-item null checks.
 */
export async function readColumns(
  conn: DuckDBConnection,
  files: readonly string[],
  symbol: string,
  timeframe: Timeframe,
  fromMs?: number,
  toMs?: number,
  check = true,
): Promise<BarColumns> {
  if (files.length === 0) return emptyColumns(symbol, timeframe, 0);
  const result = await conn.run(`
    SELECT epoch_ms(ts_utc)::DOUBLE, open, high, low, close, coalesce(volume, 'NaN'::DOUBLE),
           coalesce(list_position(${SQL_QUALITY_LIST}, quality_flag) - 1, 0)::DOUBLE, row_code, checksum_hi, checksum_lo
    FROM ${source(files, symbol, timeframe, check, fromMs, toMs)} ORDER BY ts_utc`);
  const cols = emptyColumns(symbol, timeframe, result.rowCount);
  const targets = [cols.ts, cols.open, cols.high, cols.low, cols.close, cols.volume, cols.quality];
  const { ts, open, high, low, close, volume } = cols;
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
    if (!check) continue;
    const code = chunk.getColumnVector(targets.length);
    const hi = chunk.getColumnVector(targets.length + 1);
    const lo = chunk.getColumnVector(targets.length + 2);
    for (let i = 0; i < n; i++) {
      const r = base - n + i;
      const v = volume[r]!;
      if (
        num(code, i) !== 0 ||
        !checksumMatches(
          num(hi, i),
          num(lo, i),
          ts[r]!,
          open[r]!,
          high[r]!,
          low[r]!,
          close[r]!,
          Number.isNaN(v) ? null : v,
        )
      )
        throw new RowCheckFailed();
    }
  }
  return cols;
}
