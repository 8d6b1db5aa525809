// The store's inter-process locks: one per timeframe × symbol for its writers, one per timeframe for its shared files.
import { ensureDirDurable } from '../../core/durableFs.js';
import { acquireFileLock, type FileLock } from '../../core/fileLock.js';
import type { Timeframe } from '../../core/time.js';
import type { BarStoreOptions } from '../../ports/barStore.js';
import { timeframeDir } from './partitionLayout.js';

/**
 * Takes the exclusive writer lock of `{timeframe}/{symbol}`: its lock files live in the timeframe's
 * folder as `.{SYMBOL}.lock-{pid}-{random}` (see acquireFileLock).
 */
export async function lockSymbol(
  root: string,
  timeframe: Timeframe,
  symbol: string,
  options: BarStoreOptions,
): Promise<FileLock> {
  const dir = timeframeDir(root, timeframe);
  await ensureDirDurable(dir);
  return acquireFileLock(dir, symbol, {
    label: `${timeframe}/${symbol}`,
    noWait: options.noWait,
    onWait: options.onLockWait,
  });
}
