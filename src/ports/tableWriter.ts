// The TableWriter port: a table of typed columns written to one file (Parquet or CSV by its name).

/** `timestamp` columns hold UTC epoch ms; NaN doubles are written as NULL (Parquet) or empty (CSV). */
export interface TableColumn {
  name: string;
  kind: 'timestamp' | 'double' | 'varchar';
  values: ArrayLike<number> | readonly string[];
}

/**
 * Replaces the file at `path` with the table, atomically; every column has the same length.
 * `keyValue` is file metadata (Parquet key-value pairs; CSV has none).
 */
export type WriteTable = (
  path: string,
  columns: readonly TableColumn[],
  keyValue?: Record<string, string>,
) => Promise<void>;

/** A table read back: each requested column as doubles (timestamps as UTC epoch ms, NULL as NaN) or strings. */
export type TableColumnsRead = Record<string, Float64Array | string[]>;

/**
 * Reads the named columns of the table at `path` (Parquet), in file order. A missing file or column
 * is an error naming it; `kinds` says which columns are text.
 */
export type ReadTable = (
  path: string,
  columns: Record<string, 'double' | 'timestamp' | 'varchar'>,
) => Promise<TableColumnsRead>;
