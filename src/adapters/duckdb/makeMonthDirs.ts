// Creates the missing year and month folders of partitions about to be written; the caller fsyncs their parents.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { MonthFolderState } from './scanMonthFolders.js';

async function mkdirOnce(dir: string): Promise<void> {
  await mkdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  });
}

/**
 * Makes `{symDir}/{YYYY}/{YYYY-MM}` for each month whose folder is missing, updating `state` and
 * `years` (year folders known to exist). Returns the folders that gained an entry: fsyncing them
 * (with the renames into the new folders) before the watermark moves makes the new paths durable.
 */
export async function makeMonthDirs(
  symDir: string,
  months: ReadonlyArray<{ month: string; state: MonthFolderState }>,
  years: Set<string>,
): Promise<string[]> {
  const grew = new Set<string>();
  const missing = months.filter((m) => !m.state.monthDir);
  const newYears = [...new Set(missing.map((m) => m.month.slice(0, 4)))].filter((y) => !years.has(y));
  await Promise.all(newYears.map((y) => mkdirOnce(join(symDir, y))));
  for (const y of newYears) {
    years.add(y);
    grew.add(symDir);
  }
  await Promise.all(missing.map((m) => mkdirOnce(join(symDir, m.month.slice(0, 4), m.month))));
  for (const m of missing) {
    m.state.monthDir = true;
    grew.add(join(symDir, m.month.slice(0, 4)));
  }
  return [...grew];
}
