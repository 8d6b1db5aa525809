// The store's inter-process locks: one per timeframe × symbol for its writers, one per timeframe for its shared files.
import { ensureDirDurable } from '../../core/durableFs.js';
import { acquireFileLock, type FileLock } from '../../core/fileLock.js';
import type { Timeframe } from '../../core/time.js';
import type { BarStoreOptions } from '../../ports/barStore.js';
import { symbolDir } from './partitionLayout.js';

/**
 * Takes the exclusive writer lock of `{timeframe}/{symbol}`: its lock files live in the symbol's
 * folder as `.writer.lock-{pid}-{random}` (see acquireFileLock).
 */
export async function lockSymbol(
  root: string,
  timeframe: Timeframe,
  symbol: string,
  options: BarStoreOptions,
): Promise<FileLock> {
  const dir = symbolDir(root, timeframe, symbol);
  await ensureDirDurable(dir);
  return acquireFileLock(dir, 'writer', {
    label: `${timeframe}/${symbol}`,
    noWait: options.noWait,
    onWait: options.onLockWait,
  });
}
