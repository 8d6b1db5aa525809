// Reads account.json once per bar, keeping the last good snapshot when the file is missing, torn or invalid.
import { readFile } from 'node:fs/promises';
import { fsErrorFrom } from '../../core/fsError.js';
import { PtError } from '../../core/ptError.js';
import { parseAccountSnapshot, type AccountSnapshot } from './accountSnapshot.js';

export interface ReadAccountResult {
  /** The snapshot to use: the file's when it is good, else `lastGood` (undefined before any good file). */
  snapshot: AccountSnapshot | undefined;
  /** The file's text when this read gave a good snapshot (what the local cache keeps), else undefined. */
  text?: string;
  /** Why the file was not taken: OPS_ACCOUNT_BAD for a torn or invalid file, a CORE_FS_* id when it cannot be read. */
  error?: PtError;
}

/**
 * Reads and validates `path`. Never throws for the file's sake: a bad file is logged (warn, with the
 * error's SPEC §11 payload) when a logger is given, and the previous good snapshot stays in force.
 */
export async function readAccount(
  path: string,
  lastGood: AccountSnapshot | undefined,
  log?: { warn(entry: object): void },
): Promise<ReadAccountResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const error =
      fsErrorFrom(e, 'read account.json', { path }) ??
      new PtError('OPS_ACCOUNT_BAD', `${path}: cannot be read (${(e as Error).message})`, {
        source: 'live-account',
        details: { file: path },
        cause: e,
      });
    log?.warn({ event: 'account_unreadable', details: error.toPayload() });
    return { snapshot: lastGood, error };
  }
  try {
    return { snapshot: parseAccountSnapshot(text, path), text };
  } catch (e) {
    if (!(e instanceof PtError)) throw e;
    log?.warn({ event: 'account_rejected', details: e.toPayload() });
    return { snapshot: lastGood, error: e };
  }
}
