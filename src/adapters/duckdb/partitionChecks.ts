// What every partition read checks: each row's checksum, its symbol, the timeframe grid and the month
// of its file; and, when a read fails, which file failed and why.
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DuckDBConnection, DuckDBVector } from '@duckdb/node-api';
import { PtError } from '../../core/ptError.js';
import { timeframeMs, type Timeframe } from '../../core/time.js';
import { barChecksum } from '../../model/barChecksum.js';
import { sqlFileList, sqlString } from './duckdbSql.js';
import { STORE_SOURCE } from './storageError.js';

/** Row codes of `rowCodeSql`: 0 is a row in its place. */
const WRONG_SYMBOL = 1;
const OFF_GRID = 2;
const OUTSIDE_MONTH = 3;

/** `{symbol}_{YYYY-MM}.parquet`: the month a partition file holds. */
const FILE_MONTH_SQL = String.raw`try_strptime(regexp_extract(filename, '_(\d{4}-\d{2})\.parquet$', 1), '%Y-%m')`;

/**
 * A per-row code of what is out of place: another symbol, a ts off the timeframe grid (or null), or
 * a ts outside the month its file is named for. Needs `read_parquet(…, filename = true)`.
 */
export function rowCodeSql(symbol: string, timeframe: Timeframe): string {
  return `(CASE WHEN symbol IS DISTINCT FROM ${sqlString(symbol)} THEN ${WRONG_SYMBOL}
    WHEN ts_utc IS NULL OR epoch_ms(ts_utc) % ${timeframeMs(timeframe)} <> 0 THEN ${OFF_GRID}
    WHEN date_trunc('month', ts_utc) IS DISTINCT FROM ${FILE_MONTH_SQL} THEN ${OUTSIDE_MONTH}
    ELSE 0 END)::UTINYINT`;
}

/**
 * The stored checksum (16 hex in the metadata JSON, pulled out by DuckDB) as its two 32-bit halves,
 * NaN when absent or malformed: two numbers per row cross into JavaScript much faster than a string.
 */
export function checksumHalvesSql(): string {
  const ck = `try(json_extract_string(metadata, '$.checksum'))`;
  const half = (from: number) =>
    `coalesce(CASE WHEN length(${ck}) = 16 THEN try_cast(('0x' || substr(${ck}, ${from}, 8)) AS UBIGINT)::DOUBLE END, 'NaN'::DOUBLE)`;
  return `${half(1)} AS checksum_hi, ${half(9)} AS checksum_lo`;
}

/**
 * Whether a row's stored checksum (as halves) is `barChecksum` of its values. A missing checksum
 * fails too: every writer sets one, and damaged metadata text can lose it.
 */
export function checksumMatches(
  hi: number,
  lo: number,
  ts: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number | null,
): boolean {
  const hex = barChecksum(ts, open, high, low, close, volume);
  return Number.parseInt(hex.slice(0, 8), 16) === hi && Number.parseInt(hex.slice(8, 16), 16) === lo;
}

/** A failed read's counterpart of `PtError`: DATA_STORAGE_CORRUPT naming the file, what failed and the repair. */
export function corruptPartitionError(
  problems: ReadonlyArray<{ path: string; problems: string[] }>,
  symbol: string,
  timeframe: Timeframe,
): PtError {
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more bad partitions)` : '';
  return new PtError(
    'DATA_STORAGE_CORRUPT',
    `${first.path}: ${first.problems.join('; ')}${more}; run pt store repair --symbols ${symbol} --timeframe ${timeframe} (re-ingests the month from a source, or moves it to data/quarantine)`,
    { source: STORE_SOURCE, details: { symbol, timeframe, partitions: problems } },
  );
}

function when(ms: number): string {
  if (!Number.isFinite(ms)) return 'no time';
  const iso = new Date(ms).toISOString();
  return ms % 60_000 === 0 ? `${iso.slice(0, 16)}Z` : iso;
}

/** `^…_YYYY-MM.parquet$` → `YYYY-MM`. */
export function partitionMonth(path: string): string | undefined {
  return /_(\d{4}-\d{2})\.parquet$/.exec(basename(path))?.[1];
}

/** Whether this process can read the file at all (else a DuckDB failure is the file system's, not the file's). */
async function readableByUs(path: string): Promise<boolean> {
  try {
    const fh = await open(path, 'r');
    try {
      await fh.read(Buffer.alloc(8), 0, 8, 0);
    } finally {
      await fh.close();
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Every check of one partition file, all rows: what is wrong, one phrase per kind of problem
 * (`3 rows fail their checksum (first 2020-06-01T00:00Z)`), empty when the file is sound.
 * DuckDB failing on a file this process can read (truncated, bad magic, bad pages) is a problem
 * (`unreadable: …`); one it cannot read at all is thrown as it is.
 */
export async function checkPartitionFile(
  conn: DuckDBConnection,
  path: string,
  symbol: string,
  timeframe: Timeframe,
): Promise<string[]> {
  let result;
  try {
    result = await conn.run(`
      SELECT epoch_ms(ts_utc)::DOUBLE, open, high, low, close, volume, ${checksumHalvesSql()},
             ${rowCodeSql(symbol, timeframe)}, symbol,
             -- Decoded only to prove they decode: a damaged page of any column makes the file unreadable.
             quality_flag, source_id, ingest_run_id, timeframe
      FROM read_parquet(${sqlFileList([path])}, filename = true) ORDER BY ts_utc NULLS FIRST`);
  } catch (e) {
    if (!(await readableByUs(path))) throw e;
    return [`unreadable: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`];
  }
  const month = partitionMonth(path) ?? '?';
  const counts = new Map<string, { n: number; first: number; extra?: string }>();
  const note = (kind: string, ts: number, extra?: string) => {
    const c = counts.get(kind);
    if (c) c.n++;
    else counts.set(kind, { n: 1, first: ts, extra });
  };
  let prev = -Infinity;
  let rows = 0;
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const v: DuckDBVector[] = Array.from({ length: 10 }, (_, k) => chunk.getColumnVector(k));
    for (let i = 0; i < chunk.rowCount; i++) {
      rows++;
      const ts = (v[0]!.getItem(i) as number | null) ?? NaN;
      const code = v[8]!.getItem(i) as number;
      if (code === WRONG_SYMBOL) note('symbol', ts, String(v[9]!.getItem(i)));
      else if (code === OFF_GRID) note('grid', ts);
      else if (code === OUTSIDE_MONTH) note('month', ts);
      if (ts === prev) note('duplicate', ts);
      prev = ts;
      const hi = v[6]!.getItem(i) as number;
      const lo = v[7]!.getItem(i) as number;
      const price = (k: number) => (v[k]!.getItem(i) as number | null) ?? NaN;
      if (Number.isNaN(hi) || Number.isNaN(lo)) note('no checksum', ts);
      else if (!checksumMatches(hi, lo, ts, price(1), price(2), price(3), price(4), v[5]!.getItem(i) as number | null))
        note('checksum', ts);
    }
  }
  const phrase = (kind: string, n: number, first: number, extra?: string): string => {
    const rowsWord = n === 1 ? '1 row' : `${n} rows`;
    const at = `(first ${when(first)})`;
    switch (kind) {
      case 'symbol':
        return `${rowsWord} of another symbol than ${symbol}, e.g. ${extra} ${at}`;
      case 'grid':
        // Old stores may hold broker-clock bars from before ingest checked the grid.
        return timeframe === '15m'
          ? `${rowsWord} off the ${timeframe} grid ${at}`
          : `${rowsWord} off the ${timeframe} grid ${at} (bars on a broker's clock: after pt store repair, build ${timeframe} bars from shorter ones with pt resample)`;
      case 'month':
        return `${rowsWord} outside ${month} ${at}`;
      case 'duplicate':
        return `${rowsWord} repeating a timestamp ${at}`;
      case 'no checksum':
        return `${rowsWord} without a (well-formed) checksum ${at}`;
      default:
        return `${n === 1 ? '1 row fails its' : `${n} rows fail their`} checksum ${at}`;
    }
  };
  const out = [...counts].map(([kind, c]) => phrase(kind, c.n, c.first, c.extra));
  if (rows === 0) out.push('no rows');
  return out;
}

/** Checks each file until `limit` bad ones are found; the files that fail, with their problems. */
export async function findBadPartitions(
  conn: DuckDBConnection,
  files: readonly string[],
  symbol: string,
  timeframe: Timeframe,
  limit = Infinity,
): Promise<Array<{ path: string; problems: string[] }>> {
  const out: Array<{ path: string; problems: string[] }> = [];
  for (const path of files) {
    const problems = await checkPartitionFile(conn, path, symbol, timeframe);
    if (problems.length > 0) out.push({ path, problems });
    if (out.length >= limit) break;
  }
  return out;
}
