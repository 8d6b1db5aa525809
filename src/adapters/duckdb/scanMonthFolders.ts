// What exists of a symbol's month folders, in one readdir per level instead of stat calls per month.
import { join } from 'node:path';
import { isTempName, listNames, removeStaleTemps } from '../../core/durableFs.js';
import { partitionFileName } from './partitionLayout.js';

export interface MonthFolderState {
  /** The `{YYYY}` folder exists. */
  yearDir: boolean;
  /** The `{YYYY-MM}` folder exists. */
  monthDir: boolean;
  /** The partition file exists. */
  file: boolean;
}

/**
 * The state of each `YYYY-MM` in `months` under `symDir`. A month folder holding a temp file (left by
 * a writer killed before its rename) is cleaned on the way: it is never read, and the next write of
 * that month would not replace it.
 */
export async function scanMonthFolders(
  symDir: string,
  symbol: string,
  months: readonly string[],
): Promise<Map<string, MonthFolderState>> {
  const out = new Map<string, MonthFolderState>();
  const years = new Set(await listNames(symDir));
  const monthsByYear = new Map<string, Set<string>>();
  for (const month of months) {
    const year = month.slice(0, 4);
    const state: MonthFolderState = { yearDir: years.has(year), monthDir: false, file: false };
    out.set(month, state);
    if (!state.yearDir) continue;
    let present = monthsByYear.get(year);
    if (present === undefined) {
      present = new Set(await listNames(join(symDir, year)));
      monthsByYear.set(year, present);
    }
    if (!present.has(month)) continue;
    state.monthDir = true;
    const dir = join(symDir, year, month);
    const names = await listNames(dir);
    state.file = names.includes(partitionFileName(symbol, month));
    if (names.some(isTempName)) await removeStaleTemps(dir);
  }
  return out;
}
