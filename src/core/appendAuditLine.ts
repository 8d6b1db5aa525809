// Append-only JSON-lines audit files: one line per event, durable, serialised, each line naming its predecessor's hash.
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { ensureDirDurable, fsyncDir, pathExists } from './durableFs.js';
import { acquireFileLock } from './fileLock.js';
import { fsErrorFrom } from './fsError.js';

/** The SHA-256 (hex) of one line (UTF-8, without its newline): what the next line's `prev_sha256` holds. */
export function auditLineSha256(line: string | Uint8Array): string {
  return createHash('sha256').update(line).digest('hex');
}

const ENTRY_SHA = /,"entry_sha256":"([0-9a-f]{64})"\}$/;

/**
 * A line's own hash: `entry_sha256` is the last field, the SHA-256 of the line as it was before that
 * field was added (`{…,"prev_sha256":…}`). Undefined for a line without it (written before pt added it).
 */
export function splitEntrySha256(line: string): { body: string; sha256: string } | undefined {
  const m = ENTRY_SHA.exec(line);
  return m ? { body: `${line.slice(0, m.index)}}`, sha256: m[1]! } : undefined;
}

const NL = 0x0a;

/**
 * The last non-empty line of an open file of `size` bytes, read from its end (an audit file only
 * grows, so reading all of it for every append would not scale), and whether the file ends with a
 * newline. Null for a file of newlines only.
 */
async function lastLine(fh: FileHandle, size: number): Promise<{ line: Buffer | null; endsWithNewline: boolean }> {
  for (let chunk = 64 * 1024; ; chunk *= 2) {
    const start = Math.max(0, size - chunk);
    const buf = Buffer.alloc(size - start);
    await fh.read(buf, 0, buf.length, start);
    let end = buf.length;
    while (end > 0 && buf[end - 1] === NL) end--;
    const from = end === 0 ? -1 : buf.lastIndexOf(NL, end - 1);
    if (from >= 0 || start === 0)
      return {
        line: end === 0 ? null : buf.subarray(from + 1, end),
        endsWithNewline: buf.length === 0 || buf[buf.length - 1] === NL,
      };
  }
}

/**
 * Appends `entry` as one JSON line with `prev_sha256`, the SHA-256 of the previous line (null for the
 * first), then `entry_sha256`, the line's own hash, so a later check (`verifyAuditLog` in src/ops/audit)
 * can tell an edited, removed or moved line and name it. Writers are serialised by a file lock in the
 * same folder (`.<file>.lock-*`), the line is written with one append and fsynced, and the folder is
 * fsynced when the file is new. A file whose last line lost its newline (a write cut off) gets one
 * first, so the new line is never glued to it. Returns the line written (without the newline).
 */
export async function appendAuditLine(path: string, entry: Record<string, unknown>): Promise<string> {
  const dir = dirname(path);
  try {
    await ensureDirDurable(dir);
    const lock = await acquireFileLock(dir, basename(path), { label: path, pollMs: 20 });
    try {
      const existed = await pathExists(path);
      // 'a+': reads at any offset, every write lands at the end.
      const fh = await open(path, 'a+');
      try {
        const { size } = await fh.stat();
        const last = await lastLine(fh, size);
        const { prev_sha256: _p, entry_sha256: _e, ...fields } = entry;
        const body = JSON.stringify(
          { ...fields, prev_sha256: last.line ? auditLineSha256(last.line) : null },
          (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : (v as unknown)),
        );
        const line = `${body.slice(0, -1)},"entry_sha256":"${auditLineSha256(body)}"}`;
        await fh.appendFile(`${last.endsWithNewline ? '' : '\n'}${line}\n`);
        await fh.sync();
        if (!existed) await fsyncDir(dir);
        return line;
      } finally {
        await fh.close();
      }
    } finally {
      await lock.release();
    }
  } catch (e) {
    throw fsErrorFrom(e, `cannot append to the audit file ${path}`, { path }) ?? e;
  }
}
