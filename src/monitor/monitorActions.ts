// pt monitor's only writes: halt and resume of the portfolio, through the same library calls as pt ops (audited).
import { isPtError } from '../core/ptError.js';
import { describeHalts, opsHalt, opsResume, type OpsContext } from '../ops/opsCommands.js';
import type { OpsControl } from '../ports/opsControl.js';

/** What the monitor prints after an action: one line, and whether it happened. */
export interface ActionOutcome {
  ok: boolean;
  text: string;
}

export interface MonitorActions {
  /** `pt ops halt --scope portfolio --level soft`. */
  halt(): Promise<ActionOutcome>;
  /** `pt ops resume --scope portfolio` (no --force: the guard's refusal is shown). */
  resume(): Promise<ActionOutcome>;
}

export interface MonitorActionsOptions {
  /** Runs a call on the bus's control (the monitor's source: reconnects when needed). */
  withControl: <T>(fn: (control: OpsControl) => Promise<T>) => Promise<T>;
  /** runbook_policy.yaml audit_log_path, absolute. */
  auditPath: string;
  /** `pt-monitor:<user>`, recorded in the audit entry. */
  actor: string;
  /** runbook_policy.yaml resume_policy. */
  resumePolicy: { stability_days: number; corr_threshold: number; canary_ratio: number };
  /** Every universe pair with its shard: the portfolio resume guard checks them all. */
  pairs: ReadonlyArray<{ pairId: string; shard: number }>;
  /** Told of each applied action (the CLI raises pt ops's INFO alert for it); not awaited. */
  onApplied?: (applied: AppliedAction) => void;
  now?: () => number;
}

export interface AppliedAction {
  action: 'halt' | 'resume';
  level: string;
  reason: string;
  actor: string;
  auditSha256: string;
}

function failed(e: unknown): ActionOutcome {
  return { ok: false, text: isPtError(e) ? `${e.id}: ${e.message}` : e instanceof Error ? e.message : String(e) };
}

export function monitorActions(o: MonitorActionsOptions): MonitorActions {
  const ctx = (control: OpsControl, reason: string): OpsContext => ({
    control,
    auditPath: o.auditPath,
    actor: o.actor,
    reason,
    ...(o.now ? { now: o.now } : {}),
  });
  return {
    async halt() {
      try {
        const reason = 'halt typed in pt monitor';
        const c = await o.withControl((control) => opsHalt(ctx(control, reason), { scope: 'portfolio' }, 'soft'));
        o.onApplied?.({ action: 'halt', level: 'soft', reason, actor: o.actor, auditSha256: c.auditSha256 });
        return {
          ok: true,
          text: `halted (soft) portfolio: ${describeHalts(c.after)} (was: ${describeHalts(c.before)}); audit entry ${c.auditSha256.slice(0, 12)}`,
        };
      } catch (e) {
        return failed(e);
      }
    },
    async resume() {
      try {
        const reason = 'resume typed in pt monitor';
        const c = await o.withControl((control) =>
          opsResume(
            ctx(control, reason),
            { scope: 'portfolio' },
            { force: false, policy: o.resumePolicy, pairs: o.pairs },
          ),
        );
        o.onApplied?.({ action: 'resume', level: 'guarded', reason, actor: o.actor, auditSha256: c.auditSha256 });
        const until = c.after.canaryUntil.portfolio;
        const canary =
          until !== undefined ? `; canary ×${c.after.canaryScale} until ${new Date(until).toISOString()}` : '';
        return {
          ok: true,
          text: `resumed portfolio: ${describeHalts(c.after)} (was: ${describeHalts(c.before)})${canary}; audit entry ${c.auditSha256.slice(0, 12)}`,
        };
      } catch (e) {
        return failed(e);
      }
    },
  };
}
