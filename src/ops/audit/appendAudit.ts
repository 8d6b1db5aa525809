// Writes one entry to the hash-chained audit log (the line format and the lock are core's appendAuditLine).
import { appendAuditLine, auditLineSha256 } from '../../core/appendAuditLine.js';
import { auditEntry, type AuditEntry, type AuditInput } from './auditEntry.js';

export interface AppendedAudit {
  entry: AuditEntry;
  /** The line written, without its newline. */
  line: string;
  /** Its SHA-256: the log's head hash right after this append (unless another writer followed). */
  sha256: string;
}

/** Appends `input` (time, actor and os_user filled in) to the audit log at `path`, creating it if needed. */
export async function appendAudit(
  path: string,
  input: AuditInput,
  options: { now?: () => Date } = {},
): Promise<AppendedAudit> {
  const entry = auditEntry(input, options.now);
  const line = await appendAuditLine(path, entry);
  return { entry, line, sha256: auditLineSha256(line) };
}
