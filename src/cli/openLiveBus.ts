// The live shard's bus as pt live wires it: Redis with files behind it when a Redis URL is given, files alone otherwise.
import { FileLiveBus } from '../adapters/files/fileLiveBus.js';
import { RedisLiveBus } from '../adapters/redis/redisLiveBus.js';
import type { createLogger } from '../core/logger.js';
import { FailoverLiveBus } from '../live/bus/failoverLiveBus.js';
import type { LiveBus } from '../ports/liveBus.js';

export interface OpenLiveBusOptions {
  /** REDIS_URL (undefined or empty: files only). */
  redisUrl: string | undefined;
  /** signals_policy.redis_key_prefix. */
  prefix: string;
  /** signals_policy.ops_dir, resolved by the caller (a replay passes its own folder). */
  opsDir: string;
  /** signals_policy.heartbeat_interval_seconds. */
  heartbeatIntervalSeconds: number;
  log?: ReturnType<typeof createLogger>;
  /** Counts failed Redis calls (core_redis_errors_total). */
  onRedisError?: () => void;
}

export interface OpenedLiveBus {
  bus: LiveBus;
  /** The failover, for its status(), when Redis is in use. */
  failover?: FailoverLiveBus;
}

/** Never fails for Redis: a server that is down at start makes the bus start on files. */
export async function openLiveBus(options: OpenLiveBusOptions): Promise<OpenedLiveBus> {
  const files = new FileLiveBus({
    opsDir: options.opsDir,
    heartbeatIntervalSeconds: options.heartbeatIntervalSeconds,
    log: options.log,
  });
  if (!options.redisUrl) return { bus: files };
  const redis = await RedisLiveBus.open({
    url: options.redisUrl,
    prefix: options.prefix,
    heartbeatIntervalSeconds: options.heartbeatIntervalSeconds,
    log: options.log,
  });
  const failover = new FailoverLiveBus(redis, files, { log: options.log, onPrimaryError: options.onRedisError });
  return { bus: failover, failover };
}
