// What pt retention needs to know of the bar store: every month partition of every timeframe and
// symbol, each symbol's newest stored bar, and the newest timestamp of a Parquet table.
import { join } from 'node:path';
import { listNames } from '../../core/durableFs.js';
import { isPtError } from '../../core/ptError.js';
import { TIMEFRAMES, type Timeframe } from '../../core/time.js';
import { sqlString } from './duckdbSql.js';
import { newestStoredTs } from './newestStoredTs.js';
import { listPartitions, symbolDir, watermarkPath, type PartitionRef } from './partitionLayout.js';
import { guarded } from './storageError.js';
import { readWatermarkFile } from './watermarkFile.js';
import { withConnection } from './withConnection.js';

export interface CanonicalSymbolInventory {
  timeframe: Timeframe;
  symbol: string;
  /** The folder of the symbol (its writer lock lives there). */
  dir: string;
  /** Open time of the newest stored bar; undefined when no partition holds one. */
  newestTsMs: number | undefined;
  /** Month partitions, ascending. */
  partitions: PartitionRef[];
}

const SYMBOL_RE = /^[A-Z0-9]+$/;

/**
 * Every symbol folder of every timeframe under `root`/canonical with its partitions. The newest bar
 * is the watermark's last_ts when the watermark reads and lies inside the newest partition's month
 * range, else it is read from the newest partition that holds a bar.
 */
export async function listCanonicalInventory(root: string): Promise<CanonicalSymbolInventory[]> {
  const out: CanonicalSymbolInventory[] = [];
  await guarded('inventory', { root }, () =>
    withConnection(async (conn) => {
      for (const timeframe of TIMEFRAMES) {
        const symbols = (await listNames(join(root, 'canonical', timeframe))).filter((n) => SYMBOL_RE.test(n)).sort();
        for (const symbol of symbols) {
          const partitions = await listPartitions(root, timeframe, symbol);
          let newestTsMs: number | undefined;
          try {
            newestTsMs = (await readWatermarkFile(watermarkPath(root, timeframe, symbol), symbol, timeframe))?.last_ts;
          } catch (e) {
            if (!isPtError(e) || e.id !== 'DATA_STORAGE_CORRUPT') throw e;
          }
          const newestMonth = partitions[partitions.length - 1]?.month;
          const wmMonth = newestTsMs === undefined ? undefined : new Date(newestTsMs).toISOString().slice(0, 7);
          if (wmMonth === undefined || wmMonth !== newestMonth)
            newestTsMs = await newestStoredTs(conn, partitions, symbol, timeframe);
          out.push({ timeframe, symbol, dir: symbolDir(root, timeframe, symbol), newestTsMs, partitions });
        }
      }
    }),
  );
  return out;
}

/** The largest value of a timestamp column of a Parquet file (UTC ms); undefined when it has no row. */
export async function newestParquetTimestamp(path: string, column: string): Promise<number | undefined> {
  return guarded('inventory', { path }, () =>
    withConnection(async (conn) => {
      const ident = `"${column.replace(/"/g, '""')}"`;
      const result = await conn.run(`SELECT epoch_ms(max(${ident}))::DOUBLE FROM read_parquet(${sqlString(path)})`);
      const v = result.chunkCount > 0 ? result.getChunk(0).getColumnVector(0).getItem(0) : null;
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    }),
  );
}
