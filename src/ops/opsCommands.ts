// pt ops halt / flatten / resume as library functions over the OpsControl port: the flags change, then one audit entry.
import { PtError } from '../core/ptError.js';
import { DEFAULT_OPS_FLAGS, type DrawdownMirror, type OpsFlags } from '../ports/liveBus.js';
import type { OpsControl, RawFlags } from '../ports/opsControl.js';
import { appendAudit } from './audit/appendAudit.js';
import type { AuditAction } from './audit/auditEntry.js';
import { drawdownMirrorsOf } from './flags/drawdownMirror.js';
import { opsFlagsFields } from './flags/opsFlagsFields.js';
import { opsFlagsFrom } from './flags/opsFlagsFrom.js';
import { flattenFlags, haltFlags, haltsIn, resumeFlags, scopeName, type OpsScope } from './flags/opsTransitions.js';
import { addWeekdays, resumeGuard, type ResumeGuardResult } from './flags/resumeGuard.js';

export interface OpsContext {
  control: OpsControl;
  /** runbook_policy.yaml audit_log_path, absolute. */
  auditPath: string;
  actor?: string;
  reason: string | null;
  now?: () => number;
}

export interface OpsChange {
  before: OpsFlags;
  after: OpsFlags;
  /** The audit line's SHA-256 (the log's head right after it). */
  auditSha256: string;
  guard?: ResumeGuardResult;
  forced?: boolean;
}

/** The flags of a raw record; `problems` lists fields that could not be read (they take their defaults). */
export function flagsOfRaw(raw: RawFlags): { flags: OpsFlags; problems: string[] } {
  return opsFlagsFrom(raw, DEFAULT_OPS_FLAGS);
}

/** The halts and flattens in force, for a one-line message (pt ops, pt monitor). */
export function describeHalts(f: Readonly<OpsFlags>): string {
  const halts = haltsIn(f, { scope: 'portfolio' });
  return halts.length === 0 ? 'nothing halted' : halts.join(', ');
}

async function change(
  ctx: OpsContext,
  action: AuditAction,
  s: OpsScope,
  next: (flags: OpsFlags) => OpsFlags,
  extra: Record<string, unknown>,
  refuseUnreadable: boolean,
): Promise<Omit<OpsChange, 'guard' | 'forced'>> {
  let before: OpsFlags = DEFAULT_OPS_FLAGS;
  let after: OpsFlags = DEFAULT_OPS_FLAGS;
  await ctx.control.updateFlags((raw) => {
    const read = flagsOfRaw(raw);
    // A halt or flatten rewrites an unreadable field (it only tightens); a resume must not guess what it lifts.
    if (refuseUnreadable && read.problems.length > 0)
      throw new PtError(
        'OPS_FLAGS_INVALID',
        `ops flags in ${ctx.control.where}: ${read.problems.join('; ')}; fix them (or halt again, which rewrites them) before a resume`,
        { source: 'ops', details: { where: ctx.control.where, problems: read.problems } },
      );
    before = read.flags;
    after = next(before);
    return opsFlagsFields(after);
  });
  const { sha256 } = await appendAudit(
    ctx.auditPath,
    {
      action,
      scope: scopeName(s),
      reason: ctx.reason,
      before: opsFlagsFields(before),
      after: opsFlagsFields(after),
      ...(ctx.actor ? { actor: ctx.actor } : {}),
      where: ctx.control.where,
      ...extra,
    },
    ctx.now ? { now: () => new Date(ctx.now!()) } : {},
  );
  return { before, after, auditSha256: sha256 };
}

export async function opsHalt(ctx: OpsContext, s: OpsScope, level: 'soft' | 'hard'): Promise<OpsChange> {
  return change(ctx, 'ops.halt', s, (f) => haltFlags(f, s, level), { level }, false);
}

export async function opsFlatten(
  ctx: OpsContext,
  s: OpsScope,
  mode: 'immediate' | 'graceful',
  allPairIds: readonly string[],
): Promise<OpsChange> {
  return change(ctx, 'ops.flatten', s, (f) => flattenFlags(f, s, mode, allPairIds), { mode }, false);
}

export interface ResumeOptions {
  force: boolean;
  /** resume_policy of runbook_policy.yaml. */
  policy: { stability_days: number; corr_threshold: number; canary_ratio: number };
  /** The pairs whose ρ the guard checks (the scope's universe pairs) and the shard of each. */
  pairs: ReadonlyArray<{ pairId: string; shard: number }>;
}

/**
 * The guard first (DD mirrors and ρ from the bus); refused with OPS_RESUME_REFUSED unless it holds or
 * `force` (the parser makes --force need --reason). Then the flags, with the canary: the scope trades
 * at canary_ratio of its size until stability_days weekdays from now.
 */
export async function opsResume(ctx: OpsContext, s: OpsScope, o: ResumeOptions): Promise<OpsChange> {
  const now = ctx.now ?? Date.now;
  const [raw, states] = await Promise.all([ctx.control.readFlags(), ctx.control.pairStates()]);
  const shards = new Set(o.pairs.map((p) => p.shard));
  const mirrors: DrawdownMirror[] = drawdownMirrorsOf(raw).filter((m) => shards.has(m.shard));
  const rho = new Map<string, number | undefined>();
  for (const p of o.pairs) {
    const v = Number(states.get(p.pairId)?.rho);
    rho.set(p.pairId, states.get(p.pairId)?.rho === undefined || !Number.isFinite(v) ? undefined : v);
  }
  const guard = resumeGuard({
    scope: s,
    mirrors,
    rho,
    nowMs: now(),
    stabilityDays: o.policy.stability_days,
    corrThreshold: o.policy.corr_threshold,
  });
  if (!guard.pass && !o.force)
    throw new PtError(
      'OPS_RESUME_REFUSED',
      `resume of ${scopeName(s)} refused: ${guard.checks
        .filter((c) => !c.pass)
        .map((c) => `${c.name}: ${c.detail}`)
        .join('; ')}; pt ops resume --force --reason "…" overrides, and is audited`,
      { source: 'ops', details: { scope: scopeName(s), checks: guard.checks } },
    );
  const untilMs = addWeekdays(now(), o.policy.stability_days);
  const done = await change(
    ctx,
    'ops.resume',
    s,
    (f) => resumeFlags(f, s, { untilMs, scale: o.policy.canary_ratio, nowMs: now() }),
    {
      forced: o.force && !guard.pass,
      guard: guard.checks,
      canary: { scale: o.policy.canary_ratio, until: new Date(untilMs).toISOString() },
    },
    true,
  );
  return { ...done, guard, forced: o.force && !guard.pass };
}
