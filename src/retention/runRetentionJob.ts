// pt retention apply as a library job: inventory → plan → (apply: trash moves, purges, one audit entry).
import { createHash } from 'node:crypto';
import type { PtConfig } from '../config/schemas/index.js';
import { appendAudit } from '../ops/audit/appendAudit.js';
import { applyRetention, trashTarget, type RetentionApplyDeps } from './applyRetention.js';
import { planRetention } from './planRetention.js';
import { retentionPolicyFrom } from './retentionPolicy.js';
import { RETENTION_KINDS, type RetentionKind, type RetentionPlan } from './retentionTypes.js';
import { scanRetentionInventory, type RetentionRoots, type RetentionScanDeps } from './scanRetentionInventory.js';

export interface RetentionJobOptions extends RetentionRoots {
  dryRun: boolean;
  /** Who asked, for the audit entry (`$USER` when undefined). */
  actor?: string;
}

export interface RetentionJobResult {
  plan: RetentionPlan;
  /** SHA-256 of the ordered list of paths moved and purged: the same for a dry run and its apply. */
  listSha256: string;
  /** Where each item goes (dry run) or went (apply). */
  moves: Array<{ kind: RetentionKind; path: string; to: string; reason: string }>;
  purges: Array<{ path: string; reason: string }>;
  dryRun: boolean;
  /** The audit log's head after the apply's entry. */
  auditSha256?: string;
}

export function retentionListSha256(plan: RetentionPlan): string {
  const lines = [...plan.trash.map((i) => `trash ${i.path}`), ...plan.purge.map((p) => `purge ${p.path}`)];
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

export function countsByKind(plan: RetentionPlan): Record<RetentionKind, number> {
  const counts = Object.fromEntries(RETENTION_KINDS.map((k) => [k, 0])) as Record<RetentionKind, number>;
  for (const item of plan.trash) counts[item.kind] += 1;
  return counts;
}

/** The plan at `now`; applied unless a dry run, then recorded in the audit log. */
export async function runRetentionJob(
  config: PtConfig,
  o: RetentionJobOptions,
  deps: RetentionScanDeps & RetentionApplyDeps & { now?: () => number },
): Promise<RetentionJobResult> {
  const nowMs = (deps.now ?? Date.now)();
  const inventory = await scanRetentionInventory(o, deps);
  const plan = planRetention(inventory, retentionPolicyFrom(config), nowMs);
  const listSha256 = retentionListSha256(plan);
  const purges = plan.purge.map((p) => ({ path: p.path, reason: p.reason }));
  if (o.dryRun) {
    const moves = plan.trash.map((i) => ({
      kind: i.kind,
      path: i.path,
      to: trashTarget(i, plan.batch),
      reason: i.reason,
    }));
    return { plan, listSha256, moves, purges, dryRun: true };
  }
  const applied = await applyRetention(plan, deps);
  const to = new Map(applied.moved.map((m) => [m.path, m.to]));
  const moves = plan.trash.map((i) => ({ kind: i.kind, path: i.path, to: to.get(i.path)!, reason: i.reason }));
  const { sha256 } = await appendAudit(
    o.auditLogPath,
    {
      action: 'retention.apply',
      scope: 'data',
      reason: null,
      before: null,
      after: { trashed: countsByKind(plan), purged: applied.purged.length, kept_by_guard: plan.kept.length },
      actor: o.actor,
      batch: plan.batch,
      list_sha256: listSha256,
    },
    { now: () => new Date(nowMs) },
  );
  return { plan, listSha256, moves, purges, dryRun: false, auditSha256: sha256 };
}
