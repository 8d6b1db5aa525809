// Wraps DuckDB and file-system failures of the bar store into DATA_STORAGE_IOFAIL.
import { isPtError, PtError } from '../../core/ptError.js';

export const STORE_SOURCE = 'bar-store';

export function storageError(what: string, cause: unknown, details: Record<string, unknown> = {}): PtError {
  if (isPtError(cause)) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new PtError('DATA_STORAGE_IOFAIL', `bar store: ${what}: ${reason}`, { source: STORE_SOURCE, details, cause });
}

/** Runs `fn`, rethrowing anything that is not already a PtError as DATA_STORAGE_IOFAIL. */
export async function guarded<T>(what: string, details: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw storageError(what, e, details);
  }
}
