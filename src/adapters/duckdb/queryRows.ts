// One SQL query over local files (read_parquet) as plain rows, for pt serve's analytics.
import type { DuckDBValue } from '@duckdb/node-api';
import { PtError } from '../../core/ptError.js';
import { withConnection } from './withConnection.js';

export type Row = Record<string, string | number | boolean | null>;

function plain(v: unknown): string | number | boolean | null {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v === null || v === undefined) return null;
  return String(v);
}

/**
 * The rows of `sql` with `$1…` bound to `values`: BIGINT as number, NaN and ±Inf as null (JSON has
 * neither), anything else not a string or boolean as its text. Select timestamps as epoch_ms(…)::DOUBLE.
 */
export async function queryRows(sql: string, values: DuckDBValue[] = []): Promise<Row[]> {
  return withConnection(async (conn) => {
    let reader;
    try {
      reader = await conn.runAndReadAll(sql, values);
    } catch (e) {
      throw new PtError('DATA_STORAGE_IOFAIL', `DuckDB query failed: ${(e as Error).message.split('\n')[0]}`, {
        source: 'duckdb',
      });
    }
    return reader.getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
  });
}
