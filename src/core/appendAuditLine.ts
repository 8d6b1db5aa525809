// Append-only JSON-lines audit files: one line per event, durable, serialised, each line naming its predecessor's hash.
import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { ensureDirDurable, fsyncDir, pathExists } from './durableFs.js';
import { acquireFileLock } from './fileLock.js';
import { fsErrorFrom } from './fsError.js';

/** The SHA-256 (hex) of the last non-empty line of `text` (without its newline), or null for an empty file. */
export function lastLineSha256(text: string): string | null {
  const lines = text.split('\n').filter((l) => l.length > 0);
  const last = lines[lines.length - 1];
  return last === undefined ? null : createHash('sha256').update(last, 'utf8').digest('hex');
}

/**
 * Appends `entry` as one JSON line with `prev_sha256`, the SHA-256 of the previous line (null for the
 * first), so a later check can tell an edited or removed line. Writers are serialised by a file lock
 * in the same folder (`.<file>.lock-*`), the line is written with one append and fsynced, and the
 * folder is fsynced when the file is new. Returns the line written (without the newline).
 */
export async function appendAuditLine(path: string, entry: Record<string, unknown>): Promise<string> {
  const dir = dirname(path);
  try {
    await ensureDirDurable(dir);
    const lock = await acquireFileLock(dir, basename(path), { label: path, pollMs: 20 });
    try {
      const existed = await pathExists(path);
      const prev = existed ? lastLineSha256(await readFile(path, 'utf8')) : null;
      const line = JSON.stringify({ ...entry, prev_sha256: prev }, (_k, v: unknown) =>
        typeof v === 'number' && !Number.isFinite(v) ? null : v,
      );
      const fh = await open(path, 'a');
      try {
        await fh.appendFile(`${line}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (!existed) await fsyncDir(dir);
      return line;
    } finally {
      await lock.release();
    }
  } catch (e) {
    throw fsErrorFrom(e, `cannot append to the audit file ${path}`, { path }) ?? e;
  }
}
