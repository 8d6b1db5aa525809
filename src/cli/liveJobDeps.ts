// The adapters every pt live job runs with (store, cache, bus, lock, history writer): pt live adds its
// source, metrics and reload; pt parity runs a replay with these alone.
import { openBarStore } from '../adapters/duckdb/index.js';
import { openSqliteLiveCache } from '../adapters/sqlite/sqliteLiveCache.js';
import type { PtConfig } from '../config/schemas/index.js';
import type { Logger } from '../core/logger.js';
import type { LiveJobDeps } from '../live/job/runLiveJob.js';
import { acquireShardLock } from '../live/shardLock.js';
import { openLiveBus } from './openLiveBus.js';
import { writeTable } from './writeTable.js';

export function liveJobDeps(
  config: PtConfig,
  source: 'replay' | 'watch' | 'provider',
  log: Logger,
  onRedisError?: () => void,
): Pick<LiveJobDeps, 'openBarStore' | 'openCache' | 'openBus' | 'acquireLock' | 'writeTable' | 'log'> {
  return {
    openBarStore,
    // A replay's cache survives a killed process (WAL, NORMAL); the live source's a power cut too (FULL).
    openCache: (path) => openSqliteLiveCache(path, { synchronous: source === 'replay' ? 'NORMAL' : 'FULL' }),
    openBus: async (opsDir) =>
      (
        await openLiveBus({
          redisUrl: process.env.REDIS_URL,
          prefix: config.signals_policy.redis_key_prefix,
          opsDir,
          heartbeatIntervalSeconds: config.signals_policy.heartbeat_interval_seconds,
          log,
          ...(onRedisError ? { onRedisError } : {}),
        })
      ).bus,
    acquireLock: acquireShardLock,
    writeTable,
    log,
  };
}
