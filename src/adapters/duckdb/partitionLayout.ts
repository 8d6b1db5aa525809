// Where canonical bars live on disk: {root}/canonical/{tf}/{symbol}/{YYYY}/{YYYY-MM}/{symbol}_{YYYY-MM}.parquet.
import { join } from 'node:path';
import { PtError } from '../../core/ptError.js';
import { listNames } from '../../core/durableFs.js';
import { isTimeframe, type Timeframe } from '../../core/time.js';

export const WATERMARK_FILE = '__meta.json';
const SYMBOL_RE = /^[A-Z0-9]+$/;
const YEAR_RE = /^\d{4}$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

export interface PartitionRef {
  /** `YYYY-MM` (UTC month of ts_utc). */
  month: string;
  path: string;
}

/** Symbols and timeframes become path segments, so anything but the canonical form is refused. */
export function assertStoreKey(symbol: string, timeframe: string): asserts timeframe is Timeframe {
  if (!SYMBOL_RE.test(symbol))
    throw new PtError(
      'DATA_SCHEMA_BAR',
      `bar store: invalid symbol "${symbol}" (expected upper-case letters and digits)`,
      { source: 'bar-store' },
    );
  if (!isTimeframe(timeframe))
    throw new PtError('DATA_SCHEMA_BAR', `bar store: invalid timeframe "${timeframe}"`, { source: 'bar-store' });
}

export function monthOf(tsMs: number): string {
  const d = new Date(tsMs);
  return `${d.getUTCFullYear().toString().padStart(4, '0')}-${(d.getUTCMonth() + 1).toString().padStart(2, '0')}`;
}

/** [start, end) of a `YYYY-MM` month in UTC ms. */
export function monthBounds(month: string): [number, number] {
  const m = MONTH_RE.exec(month);
  if (!m) throw new PtError('CORE_INTERNAL_BUG', `bad month key ${month}`);
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  return [Date.UTC(y, mo, 1), Date.UTC(y, mo + 1, 1)];
}

export function timeframeDir(root: string, timeframe: Timeframe): string {
  return join(root, 'canonical', timeframe);
}

export function symbolDir(root: string, timeframe: Timeframe, symbol: string): string {
  return join(timeframeDir(root, timeframe), symbol);
}

export function watermarkPath(root: string, timeframe: Timeframe, symbol: string): string {
  return join(symbolDir(root, timeframe, symbol), WATERMARK_FILE);
}

export function partitionDir(root: string, timeframe: Timeframe, symbol: string, month: string): string {
  return join(symbolDir(root, timeframe, symbol), month.slice(0, 4), month);
}

export function partitionFileName(symbol: string, month: string): string {
  return `${symbol}_${month}.parquet`;
}

export function partitionPath(root: string, timeframe: Timeframe, symbol: string, month: string): string {
  return join(partitionDir(root, timeframe, symbol, month), partitionFileName(symbol, month));
}

/**
 * Existing partitions of a symbol overlapping [fromMs, toMs), ascending. Only the exact partition
 * file name counts, so temp files and strays are never read.
 */
export async function listPartitions(
  root: string,
  timeframe: Timeframe,
  symbol: string,
  fromMs = -Infinity,
  toMs = Infinity,
): Promise<PartitionRef[]> {
  const base = symbolDir(root, timeframe, symbol);
  const out: PartitionRef[] = [];
  const years = (await listNames(base)).filter((n) => YEAR_RE.test(n)).sort();
  for (const year of years) {
    const y = Number(year);
    if (Date.UTC(y + 1, 0, 1) <= fromMs || Date.UTC(y, 0, 1) >= toMs) continue;
    const months = (await listNames(join(base, year)))
      .filter((n) => MONTH_RE.test(n) && n.startsWith(`${year}-`))
      .sort();
    for (const month of months) {
      const [start, end] = monthBounds(month);
      if (end <= fromMs || start >= toMs) continue;
      const fileName = partitionFileName(symbol, month);
      if ((await listNames(join(base, year, month))).includes(fileName))
        out.push({ month, path: join(base, year, month, fileName) });
    }
  }
  return out;
}

/** Symbol folders of a timeframe that hold at least one partition. */
export async function listStoredSymbols(root: string, timeframe: Timeframe): Promise<string[]> {
  const names = (await listNames(timeframeDir(root, timeframe))).filter((n) => SYMBOL_RE.test(n)).sort();
  const out: string[] = [];
  for (const symbol of names) {
    if ((await listPartitions(root, timeframe, symbol)).length > 0) out.push(symbol);
  }
  return out;
}
