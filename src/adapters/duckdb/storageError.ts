// Wraps DuckDB and file-system failures of the bar store into DATA_STORAGE_IOFAIL, except a full
// disk or a refused write: those keep their environment id (CORE_FS_NOSPACE, CORE_FS_PERM) and path,
// since the fix is on the machine, not in the store.
import { fsErrorFrom } from '../../core/fsError.js';
import { isPtError, PtError } from '../../core/ptError.js';

export const STORE_SOURCE = 'bar-store';

export function storageError(what: string, cause: unknown, details: Record<string, unknown> = {}): PtError {
  if (isPtError(cause)) return cause;
  const fs = fsErrorFrom(cause, `bar store: ${what}`, { source: STORE_SOURCE, matchMessage: true });
  if (fs && (fs.id === 'CORE_FS_NOSPACE' || fs.id === 'CORE_FS_PERM'))
    return new PtError(fs.id, fs.message, { source: STORE_SOURCE, details: { ...details, ...fs.details }, cause });
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new PtError('DATA_STORAGE_IOFAIL', `bar store: ${what}: ${reason}`, { source: STORE_SOURCE, details, cause });
}

/** Runs `fn`, rethrowing anything that is not already a PtError as DATA_STORAGE_IOFAIL (or CORE_FS_*, above). */
export async function guarded<T>(what: string, details: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw storageError(what, e, details);
  }
}
