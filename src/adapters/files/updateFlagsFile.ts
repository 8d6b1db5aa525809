// flags.json read-modify-write under the ops dir's `flags` lock: pt ops and pt live's DD mirror share it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDirDurable, writeFileAtomic } from '../../core/durableFs.js';
import { acquireFileLock } from '../../core/fileLock.js';
import { fsErrorFrom } from '../../core/fsError.js';
import { PtError } from '../../core/ptError.js';
import type { RawFlags } from '../../ports/opsControl.js';

export const FLAGS_FILE = 'flags.json';

/** flags.json as an object; {} when missing. Unreadable: OPS_FLAGS_INVALID. */
export async function readFlagsFile(opsDir: string): Promise<RawFlags> {
  const path = join(opsDir, FLAGS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw fsErrorFrom(e, `cannot read ${path}`, { path }) ?? e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new PtError('OPS_FLAGS_INVALID', `ops flags in ${path}: not a JSON object; fix or remove the file`, {
      source: 'ops',
      details: { where: path, problem: 'not a JSON object' },
    });
  return raw as RawFlags;
}

/**
 * Applies `change` (fields to set; null removes one) to flags.json atomically under the lock.
 * `keepUnreadable`: a file that is not a JSON object is left as it is and nothing is written
 * (pt live's mirror must not overwrite flags a person is fixing); otherwise OPS_FLAGS_INVALID.
 */
export async function updateFlagsFile(
  opsDir: string,
  change: (current: RawFlags) => Record<string, unknown>,
  o: { keepUnreadable?: boolean } = {},
): Promise<{ before: RawFlags; after: RawFlags } | undefined> {
  await ensureDirDurable(opsDir);
  const lock = await acquireFileLock(opsDir, 'flags', { label: join(opsDir, FLAGS_FILE), pollMs: 50 });
  try {
    let before: RawFlags;
    try {
      before = await readFlagsFile(opsDir);
    } catch (e) {
      if (o.keepUnreadable && e instanceof PtError && e.id === 'OPS_FLAGS_INVALID') return undefined;
      throw e;
    }
    const after: RawFlags = { ...before };
    for (const [k, v] of Object.entries(change(before))) {
      if (v === null) delete after[k];
      else after[k] = v;
    }
    await writeFileAtomic(join(opsDir, FLAGS_FILE), `${JSON.stringify(after, null, 2)}\n`);
    return { before, after };
  } finally {
    await lock.release();
  }
}
