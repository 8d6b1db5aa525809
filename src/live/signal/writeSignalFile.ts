// Writes the shard's signal.json: validated, then atomically (temp file, fsync, rename, fsync of the folder).
import { dirname } from 'node:path';
import { ensureDirDurable, writeFileAtomic } from '../../core/durableFs.js';
import type { SignalFile } from './signalTypes.js';
import { validateSignalFile } from './validateSignalFile.js';

/**
 * Validates `file` (CORE_SIGNAL_SCHEMA, nothing written), then replaces `path` so that a reader sees
 * the old file or the new one, never a part, and a crash leaves one of them. The temp file is
 * `.signal.json.tmp-<pid>` beside it: one write at a time per path within a process (the shard loop
 * awaits each). Environment failures are CORE_FS_* errors naming `path`.
 */
export async function writeSignalFile(path: string, file: SignalFile): Promise<void> {
  validateSignalFile(file);
  await ensureDirDurable(dirname(path));
  await writeFileAtomic(path, `${JSON.stringify(file)}\n`);
}
