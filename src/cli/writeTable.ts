// The TableWriter port over the file adapters: CSV or Parquet by the file's extension (`.csv` or `.parquet`).
import { PtError } from '../core/ptError.js';
import type { TableColumn, WriteTable } from '../ports/tableWriter.js';
import { writeCsvTable } from '../adapters/files/tableCsvWriter.js';
import { writeParquetTable } from '../adapters/duckdb/tableParquetWriter.js';

export const writeTable: WriteTable = async (
  path: string,
  columns: readonly TableColumn[],
  keyValue: Record<string, string> = {},
): Promise<void> => {
  if (/\.csv$/i.test(path)) return writeCsvTable(path, columns);
  if (/\.parquet$/i.test(path)) return writeParquetTable(path, columns, keyValue);
  throw new PtError('CORE_CLI_USAGE', `cannot tell the format of ${path}: use a .csv or .parquet file name`, {
    exitCode: 2,
  });
};
