// Complete lines of an append-only text file after a cursor (alerts.jsonl, fills.csv, the audit log).
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';

/**
 * Where a reader stopped: the byte offset after the last line taken and that line's number (1-based),
 * and a fingerprint of the file's first bytes, so a file replaced by another (rewritten, rotated) is
 * read again from its start rather than from an offset that means nothing in it.
 */
export interface LinePosition {
  offset: number;
  line: number;
  headBytes: number;
  headSha256: string;
}

export const START: LinePosition = { offset: 0, line: 0, headBytes: 0, headSha256: '' };
const HEAD = 4096;
const CHUNK = 256 * 1024;

export interface LinesRead {
  /** Each line without its end of line (`\n` or `\r\n`), with its number in the file. */
  lines: { text: string; lineNo: number }[];
  position: LinePosition;
}

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/**
 * Up to `maxLines` complete lines after `from` (a last line without its newline is a write in progress:
 * left for the next read). Undefined when the file is missing; no lines when nothing new.
 */
export async function readLinesAfter(
  path: string,
  from: LinePosition | null,
  maxLines: number,
): Promise<LinesRead | undefined> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const fh = await open(path, 'r');
  try {
    let pos = from ?? START;
    if (pos.offset > 0) {
      const head = Buffer.alloc(Math.min(pos.headBytes, size));
      await fh.read(head, 0, head.length, 0);
      // Shorter than what was read, or other first bytes: another file now. Its rows' keys make a re-read harmless.
      if (size < pos.offset || head.length < pos.headBytes || sha(head) !== pos.headSha256) pos = START;
    }
    const lines: LinesRead['lines'] = [];
    let offset = pos.offset;
    let lineNo = pos.line;
    let carry = Buffer.alloc(0);
    let readAt = offset;
    while (lines.length < maxLines && readAt < size) {
      const buf = Buffer.alloc(Math.min(CHUNK, size - readAt));
      const { bytesRead } = await fh.read(buf, 0, buf.length, readAt);
      if (bytesRead === 0) break;
      readAt += bytesRead;
      const data = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
      let start = 0;
      for (let nl = data.indexOf(0x0a, start); nl >= 0 && lines.length < maxLines; nl = data.indexOf(0x0a, start)) {
        let end = nl;
        if (end > start && data[end - 1] === 0x0d) end--;
        lineNo++;
        lines.push({ text: data.subarray(start, end).toString('utf8'), lineNo });
        offset += nl + 1 - start;
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(start));
      // A full batch: the rest is the next read's.
      if (lines.length >= maxLines) break;
    }
    let headBytes = pos.headBytes;
    let headSha256 = pos.headSha256;
    if (headBytes < HEAD && offset > headBytes) {
      headBytes = Math.min(HEAD, offset);
      const head = Buffer.alloc(headBytes);
      await fh.read(head, 0, headBytes, 0);
      headSha256 = sha(head);
    }
    return { lines, position: { offset, line: lineNo, headBytes, headSha256 } };
  } finally {
    await fh.close();
  }
}
