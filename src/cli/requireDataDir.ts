// Commands that only read the bar store refuse a --data-dir that does not exist (CORE_FS_MISSING),
// before the store is opened: opening would create it, and a typo would then read as an empty store.
import { statSync } from 'node:fs';
import { PtError } from '../core/ptError.js';

export function requireDataDir(dataDir: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(dataDir).isDirectory();
  } catch {
    throw new PtError(
      'CORE_FS_MISSING',
      `--data-dir ${dataDir} does not exist (check the path, or run pt ingest to fill a new store)`,
      { details: { path: dataDir } },
    );
  }
  if (!isDir)
    throw new PtError('CORE_FS_MISSING', `--data-dir ${dataDir} is not a folder`, { details: { path: dataDir } });
}
