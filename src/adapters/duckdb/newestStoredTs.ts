// The open time of the newest bar actually stored: what a rebuilt watermark says.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Timeframe } from '../../core/time.js';
import type { PartitionRef } from './partitionLayout.js';
import { readColumns } from './partitionReader.js';

/**
 * The newest bar of the newest partition in `parts` that holds one (read with every row checked), or
 * undefined when none does.
 */
export async function newestStoredTs(
  conn: DuckDBConnection,
  parts: readonly PartitionRef[],
  symbol: string,
  timeframe: Timeframe,
): Promise<number | undefined> {
  for (let k = parts.length - 1; k >= 0; k--) {
    const cols = await readColumns(conn, [parts[k]!.path], symbol, timeframe);
    if (cols.length > 0) return cols.ts[cols.length - 1];
  }
  return undefined;
}
