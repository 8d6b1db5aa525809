// One entry of the ops audit log (SPEC §9): who did what to which scope, why, and what it changed.
import { userInfo } from 'node:os';

/** What an entry records; the ops, DD, model and config actions are named now so their writers agree. */
export type AuditAction =
  | 'ops.halt'
  | 'ops.flatten'
  | 'ops.resume'
  | 'ops.rollback'
  | 'dd.action'
  | 'theta.apply'
  | 'theta.hold'
  | 'theta.refused'
  | 'model.promote'
  | 'model.hold'
  | 'model.prune'
  | 'retrain.failed'
  | 'config.propose'
  | 'config.approve'
  | 'config.merge'
  | 'config.rollback'
  | 'config.apply'
  | 'retention.apply'
  | 'api.denied';

/** The fields every entry has. */
export interface AuditFields {
  /** When, ISO 8601 UTC with milliseconds. */
  time: string;
  /** Who asked: `--actor`, else `$USER`, else the OS user. */
  actor: string;
  /** The account the process ran as, whatever `--actor` said. */
  os_user: string;
  action: AuditAction;
  /** What it applies to: `portfolio`, `pair:XAUUSD_XAGUSD`, `model:<version>`, … */
  scope: string;
  reason: string | null;
  /** The state before and after (flags, θ, a version); null when there is none. */
  before: unknown;
  after: unknown;
}

/** An entry: its fields, and further ones of the action (a run id, a record file, …). */
export type AuditEntry = AuditFields & Record<string, unknown>;

/** An entry as a caller gives it: time, actor and os_user are filled in when left out. */
export type AuditInput = Omit<AuditFields, 'time' | 'actor' | 'os_user'> &
  Partial<Pick<AuditFields, 'time' | 'actor' | 'os_user'>> &
  Record<string, unknown>;

/** The login name of this process; `$USER` when the OS has no entry for the uid (a bare container). */
export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER || 'unknown';
  }
}

/** The full entry for `input`, at `now`. */
export function auditEntry(input: AuditInput, now: () => Date = () => new Date()): AuditEntry {
  const os_user = input.os_user ?? osUser();
  const { time, actor, os_user: _o, action, scope, reason, before, after, ...fields } = input;
  return {
    time: time ?? now().toISOString(),
    actor: actor || process.env.USER || os_user,
    os_user,
    action,
    scope,
    reason,
    before,
    after,
    ...fields,
  };
}
