// pt ops's alerts: each applied action (halt, flatten, resume, rollback) as an INFO alert through the
// `ops` template, and `pt ops status --alert`'s check of the shards' heartbeats (cron, every minute)
// and of Redis's answer time. Short-lived: the suppression state is the ops folder's file, and the
// command waits (bounded) for delivery before it exits. A delivery that failed and a channel variable
// that is no URL are each one `WARNING <id>: …` line on stderr, whatever LOG_LEVEL says: the user
// must not believe a page went out when it did not.
import { userInfo } from 'node:os';
import type { PtConfig } from '../config/schemas/index.js';
import { createLogger, logLevelIsSet } from '../core/logger.js';
import type { AlertInput } from '../ports/alerts.js';
import { ALERT_FLUSH_MS, openAlerts, type AlertWarning } from './openAlerts.js';

/** Redis slower than this to answer pt ops status is an alert (seed: Redis遅延 > 2 s). */
export const REDIS_SLOW_MS = 2000;

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** A warning as a one-shot command prints it, like its `ERROR <id>: …` line. */
export function warningLine(w: AlertWarning): string {
  return `WARNING ${w.id}: ${w.message}`;
}

const toStderr = (w: AlertWarning) => void process.stderr.write(`${warningLine(w)}\n`);

/**
 * Raises `alerts` and waits for their delivery (bounded); never throws: the action is already done.
 * Warnings go to stderr; `onWarning: null` leaves them to the JSON log (pt monitor: its screen owns the terminal).
 */
export async function sendAlerts(
  config: PtConfig,
  opsDir: string,
  alerts: readonly AlertInput[],
  source = 'ops',
  onWarning: ((w: AlertWarning) => void) | null = toStderr,
): Promise<number> {
  if (alerts.length === 0) return 0;
  // As with failures: the JSON lines only under LOG_LEVEL (cron, services); a terminal sees the command's own output.
  const log = logLevelIsSet() ? createLogger({ source }, process.stderr, 'warn') : undefined;
  try {
    const d = await openAlerts(config, { opsDir, ...(log ? { log } : {}), ...(onWarning ? { onWarning } : {}) });
    let accepted = 0;
    for (const a of alerts) if (d.raise(a)) accepted++;
    await d.flush(ALERT_FLUSH_MS);
    await d.close();
    return accepted;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (onWarning)
      onWarning({
        id: 'OPS_ALERT_UNSENT',
        message: `${alerts.length} alert(s) neither recorded nor sent: ${why}`,
        details: { why },
      });
    else log?.warn({ event: 'alert_failed', details: { why } });
    return 0;
  }
}

export interface OpsActionFacts {
  action: 'halt' | 'flatten' | 'resume' | 'rollback';
  scope: string;
  /** soft/hard, immediate/graceful, forced/guarded, the rollback's target and version. */
  level: string;
  actor?: string;
  reason: string | null;
  /** The audit entry's hash: every action is its own alert, never suppressed as a repeat. */
  auditSha256: string;
}

export function opsActionAlert(f: OpsActionFacts): AlertInput {
  const actor = f.actor ?? (process.env.USER || osUser());
  return {
    errorId: 'OPS_ACTION_APPLIED',
    source: 'ops',
    message: `${f.action} ${f.scope} (${f.level}) by ${actor}${f.reason ? `: ${f.reason}` : ''}`,
    details: {
      action: f.action,
      scope: f.scope,
      level: f.level,
      actor,
      reason: f.reason,
      audit_sha256: f.auditSha256,
    },
    dedupeKey: f.auditSha256,
  };
}

export interface HeartbeatView {
  shard: number;
  pairs: string[];
  heartbeat: { ts: string; age_seconds: number; lost: boolean } | null;
}

/** OPS_HEARTBEAT_LOST for each shard whose heartbeat expired or is absent. */
export function heartbeatAlerts(shards: readonly HeartbeatView[], ttlSeconds: number): AlertInput[] {
  return shards
    .filter((s) => s.heartbeat === null || s.heartbeat.lost)
    .map((s) => ({
      errorId: 'OPS_HEARTBEAT_LOST' as const,
      source: 'ops status',
      message: `shard ${s.shard} (${s.pairs.join(', ')}): ${
        s.heartbeat ? `last heartbeat ${s.heartbeat.age_seconds} s ago (over ${ttlSeconds} s)` : 'no heartbeat'
      }`,
      details: {
        shard: s.shard,
        pairs: s.pairs,
        last_heartbeat: s.heartbeat?.ts ?? null,
        age_seconds: s.heartbeat?.age_seconds ?? null,
        ttl_seconds: ttlSeconds,
      },
      dedupeKey: `shard_${s.shard}`,
    }));
}

export function redisSlowAlert(ms: number, where: string): AlertInput {
  return {
    errorId: 'OPS_LATENCY_REDIS',
    source: 'ops status',
    message: `Redis took ${Math.round(ms)} ms to answer (over ${REDIS_SLOW_MS} ms)`,
    details: { ms: Math.round(ms), where },
    dedupeKey: 'redis',
  };
}

/** pt ops status --alert could not reach the bus: no heartbeat can be checked (CRITICAL, pages). */
export function busDownAlert(where: string, why: string): AlertInput {
  return {
    errorId: 'OPS_BUS_DOWN',
    source: 'ops status',
    // The error's first clause names the redacted URL and the cause; the rest is advice for a writer.
    message: `no shard heartbeat can be checked: ${why.split(';')[0]}`,
    details: { where },
    dedupeKey: 'bus',
  };
}
