// What pt retention apply prints: a line per item (dry run: what would happen), a summary line per
// kind, what is not stored, and a clear line when nothing is due.
import type { RetentionJobResult } from './runRetentionJob.js';
import { countsByKind } from './runRetentionJob.js';
import { RETENTION_KINDS } from './retentionTypes.js';

/** Kinds of data_retention.yaml pt does not keep, and logs: retention has nothing of theirs to delete. */
export const NOT_STORED = [
  'raw payloads (raw_days), ws ticks (ws_ticks_hours): pt keeps none; fetched payloads go straight into canonical bars',
  'logs (logs_days): pt writes JSON log lines to stderr only; journald (systemd) or logrotate (the cron log) keeps them for logs_days, see docs/operations.md "Retention"',
  'audit log (audit_logs_years): never deleted or truncated by retention, since each entry holds the hash of the one before',
];

export function formatRetention(r: RetentionJobResult): string[] {
  const lines: string[] = [];
  const verb = r.dryRun ? 'would move' : 'moved';
  for (const m of r.moves) lines.push(`${verb} ${m.path} → ${m.to} (${m.reason})`);
  for (const p of r.purges) lines.push(`${r.dryRun ? 'would purge' : 'purged'} ${p.path} (${p.reason})`);
  for (const k of r.plan.kept) lines.push(`kept ${k.path} (${k.reason})`);
  const counts = countsByKind(r.plan);
  const kept = new Map<string, number>();
  for (const k of r.plan.kept) kept.set(k.kind, (kept.get(k.kind) ?? 0) + 1);
  for (const kind of RETENTION_KINDS)
    lines.push(`${kind}: ${counts[kind]} to trash${kept.has(kind) ? `, ${kept.get(kind)} kept by the guard` : ''}`);
  lines.push(`trash: ${r.purges.length} batch${r.purges.length === 1 ? '' : 'es'} past delete_grace_days to purge`);
  for (const n of NOT_STORED) lines.push(`not stored: ${n}`);
  const total = r.moves.length + r.purges.length;
  if (total === 0)
    lines.push('nothing is due: no item is past its retention and no trash batch is past its grace period');
  else if (r.dryRun)
    lines.push(
      `dry run: ${r.moves.length} to trash (batch ${r.plan.batch}), ${r.purges.length} to purge; list sha256 ${r.listSha256}`,
    );
  else
    lines.push(
      `applied: ${r.moves.length} moved to .trash/${r.plan.batch}, ${r.purges.length} purged; list sha256 ${r.listSha256}; restore an item by moving it back`,
    );
  return lines;
}
