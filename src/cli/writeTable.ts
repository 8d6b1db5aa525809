// Writes a table as CSV or Parquet by the file's extension (`.csv` or `.parquet`).
import { PtError } from '../core/ptError.js';
import { writeCsvTable } from '../adapters/files/tableCsvWriter.js';
import { writeParquetTable, type TableColumn } from '../adapters/duckdb/tableParquetWriter.js';

export async function writeTable(
  path: string,
  columns: readonly TableColumn[],
  keyValue: Record<string, string> = {},
): Promise<void> {
  if (/\.csv$/i.test(path)) return writeCsvTable(path, columns);
  if (/\.parquet$/i.test(path)) return writeParquetTable(path, columns, keyValue);
  throw new PtError('CORE_CLI_USAGE', `cannot tell the format of ${path}: use a .csv or .parquet file name`, {
    exitCode: 2,
  });
}
