// Lists the bar files of a folder (or returns the one file given) in a stable order.
import { readdirSync, statSync } from 'node:fs';
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
