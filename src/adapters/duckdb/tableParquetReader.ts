// Reads named columns of one Parquet table (e.g. pt train's OOS predictions) through DuckDB.
import { PtError } from '../../core/ptError.js';
import type { TableColumnsRead } from '../../ports/tableWriter.js';
import { sqlString } from './duckdbSql.js';
import { withConnection } from './withConnection.js';

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Timestamps come back as UTC epoch ms, NULL doubles as NaN, NULL text as ''. */
export async function readParquetTable(
  path: string,
  columns: Record<string, 'double' | 'timestamp' | 'varchar'>,
): Promise<TableColumnsRead> {
  const names = Object.keys(columns);
  return withConnection(async (conn) => {
    const select = names
      .map((n) =>
        columns[n] === 'timestamp'
          ? `epoch_ms(${quoteIdent(n)})::DOUBLE`
          : columns[n] === 'double'
            ? `${quoteIdent(n)}::DOUBLE`
            : `${quoteIdent(n)}::VARCHAR`,
      )
      .join(', ');
    let result;
    try {
      result = await conn.run(`SELECT ${select} FROM read_parquet(${sqlString(path)})`);
    } catch (e) {
      throw new PtError('DATA_STORAGE_IOFAIL', `cannot read ${path}: ${(e as Error).message.split('\n')[0]}`, {
        source: 'duckdb',
      });
    }
    const parts: Array<Array<number | string>> = names.map(() => []);
    for (let c = 0; c < result.chunkCount; c++) {
      const chunk = result.getChunk(c);
      names.forEach((_, k) => {
        const vec = chunk.getColumnVector(k);
        for (let i = 0; i < chunk.rowCount; i++) {
          const v = vec.getItem(i);
          parts[k]!.push(
            columns[names[k]!] === 'varchar' ? ((v as string | null) ?? '') : ((v as number | null) ?? Number.NaN),
          );
        }
      });
    }
    return Object.fromEntries(
      names.map((n, k) => [
        n,
        columns[n] === 'varchar' ? (parts[k] as string[]) : Float64Array.from(parts[k] as number[]),
      ]),
    );
  });
}
