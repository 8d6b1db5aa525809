// Writes a table of typed columns (features, labels, …) to one Parquet file, atomically, through DuckDB.
import { dirname } from 'node:path';
import { DOUBLE, DuckDBDataChunk, DuckDBInstance, VARCHAR, type DuckDBVector } from '@duckdb/node-api';
import {
  commitTempFiles,
  ensureDirDurable,
  removeQuietly,
  removeStaleTemps,
  tempPathFor,
} from '../../core/durableFs.js';
import { fsErrorFrom } from '../../core/fsError.js';
import { PtError } from '../../core/ptError.js';
import { sqlString } from './duckdbSql.js';
import type { TableColumn } from '../../ports/tableWriter.js';

// `timestamp` columns (UTC epoch ms) are written as TIMESTAMP_MS; NaN doubles as NULL.

const CHUNK_ROWS = 2048;

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Replaces `path` with the table; every column must have the same length. */
export async function writeParquetTable(
  path: string,
  columns: readonly TableColumn[],
  keyValue: Record<string, string> = {},
): Promise<void> {
  const n = columns[0]?.values.length ?? 0;
  for (const c of columns)
    if (c.values.length !== n)
      throw new PtError('DATA_STORAGE_IOFAIL', `table column ${c.name} has ${c.values.length} rows, expected ${n}`, {
        source: 'duckdb',
      });
  const instance = await DuckDBInstance.create(':memory:', {
    threads: '1',
    preserve_insertion_order: 'true',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const tmp = tempPathFor(path);
  try {
    // Temp files of writers that died in this folder go on the way (a live writer's are kept).
    await removeStaleTemps(dirname(path), false);
    const conn = await instance.connect();
    const types = columns.map((c) => (c.kind === 'varchar' ? VARCHAR : DOUBLE));
    await conn.run(
      `CREATE TEMP TABLE t (${columns.map((c, i) => `${quoteIdent(c.name)} ${types[i] === VARCHAR ? 'VARCHAR' : 'DOUBLE'}`).join(', ')})`,
    );
    const appender = await conn.createAppender('t');
    for (let off = 0; off < n; off += CHUNK_ROWS) {
      const m = Math.min(CHUNK_ROWS, n - off);
      const chunk = DuckDBDataChunk.create(types, m);
      const vectors: DuckDBVector[] = types.map((_, i) => chunk.getColumnVector(i));
      columns.forEach((c, k) => {
        const v = vectors[k]!;
        for (let j = 0; j < m; j++) {
          const x = c.values[off + j]!;
          v.setItem(j, typeof x === 'number' && Number.isNaN(x) ? null : x);
        }
        v.flush();
      });
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
    appender.closeSync();
    const select = columns
      .map((c) =>
        c.kind === 'timestamp'
          ? `make_timestamp_ms(${quoteIdent(c.name)}::BIGINT)::TIMESTAMP_MS AS ${quoteIdent(c.name)}`
          : quoteIdent(c.name),
      )
      .join(', ');
    const kv = Object.entries(keyValue)
      .map(([k, v]) => `${quoteIdent(k)}: ${sqlString(v)}`)
      .join(', ');
    await ensureDirDurable(dirname(path));
    await conn.run(
      `COPY (SELECT ${select} FROM t) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880${kv ? `, KV_METADATA {${kv}}` : ''})`,
    );
    conn.closeSync();
    await commitTempFiles([{ tmp, finalPath: path }]);
  } catch (e) {
    await removeQuietly(tmp);
    if (e instanceof PtError) throw e;
    throw (
      fsErrorFrom(e, `cannot write ${path}`, { path, source: 'duckdb', matchMessage: true }) ??
      new PtError('DATA_STORAGE_IOFAIL', `writing ${path}: ${e instanceof Error ? e.message : String(e)}`, {
        source: 'duckdb',
        cause: e,
      })
    );
  } finally {
    instance.closeSync();
  }
}
