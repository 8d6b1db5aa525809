// A shard's heartbeat as pt ops status and pt monitor show it: its age and whether it is past its TTL.
import type { ShardHeartbeat } from '../ports/opsControl.js';

export interface HeartbeatStatus {
  ts: string;
  age_seconds: number;
  /** Older than the TTL: the shard stopped beating (on Redis the key would have expired). */
  lost: boolean;
}

/** The heartbeat key lives 3 heartbeat intervals (SPEC §8): past that the shard counts as lost. */
export function heartbeatTtlSeconds(heartbeatIntervalSeconds: number): number {
  return 3 * heartbeatIntervalSeconds;
}

export function heartbeatStatus(beat: ShardHeartbeat, nowMs: number, ttlSeconds: number): HeartbeatStatus {
  const age = Math.max(0, Math.round((nowMs - Date.parse(beat.ts)) / 1000));
  return { ts: beat.ts, age_seconds: age, lost: !Number.isFinite(age) || age > ttlSeconds };
}
