// Small SQL helpers shared by the reader and the writer.
import { QUALITY_FLAGS } from '../../model/bar.js';

/** A single-quoted SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `['a', 'b']`: an explicit file list for read_parquet (never a glob, which would see temp files). */
export function sqlFileList(paths: readonly string[]): string {
  return `[${paths.map(sqlString).join(', ')}]`;
}

/** The QUALITY_FLAGS list as a SQL literal; DuckDB lists are 1-based. */
export const SQL_QUALITY_LIST = `[${QUALITY_FLAGS.map(sqlString).join(', ')}]`;

/** `ts_utc >= from AND ts_utc < to` on a TIMESTAMP column, or TRUE when unbounded. */
export function sqlTsRange(column: string, fromMs?: number, toMs?: number): string {
  const parts: string[] = [];
  if (fromMs !== undefined && Number.isFinite(fromMs))
    parts.push(`${column} >= make_timestamp_ms(${Math.trunc(fromMs)})`);
  if (toMs !== undefined && Number.isFinite(toMs)) parts.push(`${column} < make_timestamp_ms(${Math.trunc(toMs)})`);
  return parts.length ? parts.join(' AND ') : 'TRUE';
}
