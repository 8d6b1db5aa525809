// Checks an audit log's hash chain and names the first line that breaks it (an edit, a deletion, a move).
import { readFile } from 'node:fs/promises';
import { auditLineSha256, splitEntrySha256 } from '../../core/appendAuditLine.js';

export interface AuditBreak {
  /** 1-based line number in the file. */
  line: number;
  problem: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  /** Entries (non-empty lines). */
  lines: number;
  /** SHA-256 of the last line: the next entry's prev_sha256, the value to anchor; null for an empty log. */
  headSha256: string | null;
  firstBroken?: AuditBreak;
}

const NL = 0x0a;

function splitLines(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (let i = bytes.indexOf(NL); i >= 0; i = bytes.indexOf(NL, from)) {
    out.push(bytes.subarray(from, i));
    from = i + 1;
  }
  if (from < bytes.length) out.push(bytes.subarray(from));
  return out;
}

/**
 * Walks the log line by line and stops at the first line that is not what the writer
 * (`appendAuditLine`) wrote: not a JSON object, an empty line, a line whose own `entry_sha256` does
 * not match its text (edited), or whose `prev_sha256` is not the SHA-256 of the line before it (null
 * for the first line): a line removed before it, or lines out of order. Hashes are over the raw
 * bytes of each line. The log must end with a newline. The last line is covered by its own hash
 * only; an anchored head hash (`pt ops audit verify --anchor`) guards it against a rewrite.
 */
export function verifyAuditLog(log: string | Uint8Array): AuditVerifyResult {
  const bytes = typeof log === 'string' ? Buffer.from(log, 'utf8') : log;
  const lines = splitLines(bytes);
  const hashes = lines.map((l) => auditLineSha256(l));
  const lineOfHash = new Map<string, number>();
  hashes.forEach((h, i) => lineOfHash.has(h) || lineOfHash.set(h, i + 1));
  const headSha256 = hashes.length > 0 ? hashes[hashes.length - 1]! : null;
  const broken = (line: number, problem: string): AuditVerifyResult => ({
    ok: false,
    lines: lines.filter((l) => l.length > 0).length,
    headSha256,
    firstBroken: { line, problem },
  });
  /** The first line with its own hash: every later one must have one too (removing it hides an edit). */
  let selfHashedFrom = 0;
  let prevSelfHashed = false;
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const l = lines[i]!;
    const text = Buffer.from(l.buffer, l.byteOffset, l.length).toString('utf8');
    if (text.length === 0) return broken(n, 'is empty (the writer never writes an empty line)');
    let entry: unknown;
    try {
      entry = JSON.parse(text);
    } catch {
      return broken(n, 'is not JSON (edited, or a write cut off)');
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return broken(n, 'is not a JSON object');
    const self = splitEntrySha256(text);
    if (self) {
      if (auditLineSha256(self.body) !== self.sha256)
        return broken(n, 'does not match its own entry_sha256: the line was edited');
      selfHashedFrom ||= n;
    } else if (selfHashedFrom > 0)
      return broken(n, `has no entry_sha256 although line ${selfHashedFrom} before it has one: edited or inserted`);
    const prev = (entry as { prev_sha256?: unknown }).prev_sha256;
    if (prev !== null && (typeof prev !== 'string' || !/^[0-9a-f]{64}$/.test(prev)))
      return broken(n, 'has no prev_sha256 (null or 64 hex digits): not a line of the audit writer');
    if (prev !== (i === 0 ? null : hashes[i - 1])) {
      const j = prev === null ? undefined : lineOfHash.get(prev);
      if (i === 0)
        return broken(
          n,
          j === undefined
            ? 'is the first line but its prev_sha256 is not null: the lines before it were removed'
            : `is the first line but follows the entry of line ${j}: lines out of order`,
        );
      if (prev === null) return broken(n, 'has prev_sha256 null, which only the first line may have: inserted');
      if (j !== undefined && j > i)
        return broken(n, `follows the entry of line ${j}, not of line ${i}: lines out of order (moved or swapped)`);
      if (j !== undefined) {
        const between = j + 1 === i ? `line ${i} was` : `lines ${j + 1}-${i} were`;
        return broken(n, `follows the entry of line ${j}, not of line ${i}: ${between} moved or inserted`);
      }
      return broken(
        n,
        prevSelfHashed
          ? `does not follow line ${i}: the entry between them is missing (a line was deleted)`
          : `its prev_sha256 is not the SHA-256 of line ${i}: line ${i} was edited, or a line after it was deleted`,
      );
    }
    prevSelfHashed = self !== undefined;
  }
  const last = bytes.length === 0 ? NL : bytes[bytes.length - 1];
  if (last !== NL) return broken(lines.length, 'has no newline at its end (a write cut off, or an edit)');
  return { ok: true, lines: lines.length, headSha256 };
}

/** verifyAuditLog on the file at `path` (errno errors, a missing file among them, are thrown as they are). */
export async function verifyAuditFile(path: string): Promise<AuditVerifyResult> {
  return verifyAuditLog(await readFile(path));
}
