// Lists the bar files of a folder (or returns the one file given) in a stable order.
import { readdirSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PtError } from '../../core/ptError.js';

const BAR_FILE = /\.(csv|tsv|txt)(\.gz)?$/i;

/** A folder gives every `.csv/.tsv/.txt[.gz]` directly inside it, sorted by name; a file gives itself. */
export function listCsvFiles(pathOrDir: string): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(pathOrDir).isDirectory();
  } catch (error) {
    throw new PtError('DATA_INPUT_MISSING', `${pathOrDir}: no such file or folder`, {
      source: 'csv',
      details: { path: pathOrDir },
      cause: error,
    });
  }
  if (!isDir) return [pathOrDir];
  return readdirSync(pathOrDir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && BAR_FILE.test(entry.name))
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => join(pathOrDir, name));
}

/**
 * `listCsvFiles` of a folder without blocking the event loop: a long-lived process polling a
 * network folder must not stall on a slow share.
 */
export async function listCsvFilesAsync(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && BAR_FILE.test(entry.name))
      .map((entry) => entry.name);
  } catch (error) {
    throw new PtError('DATA_INPUT_MISSING', `${dir}: no such folder`, {
      source: 'csv',
      details: { path: dir },
      cause: error,
    });
  }
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((name) => join(dir, name));
}
