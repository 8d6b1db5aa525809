// Asks running shards to reload (θ, the CURRENT pointer, config) after a promotion or a rollback: SIGHUP to
// this host's production shards, core:ops:reload when REDIS_URL is set, and the ops folder's reload file.
import { resolve } from 'node:path';
import { FileOpsControl } from '../adapters/files/fileOpsControl.js';
import { RedisOpsControl } from '../adapters/redis/redisOpsControl.js';
import type { PtConfig } from '../config/schemas/index.js';
import { runningShards } from '../live/shardLock.js';

/** One line per channel told (or why it failed); throws only when the ops file cannot be written. */
export async function requestShardReload(
  config: PtConfig,
  o: { dataDir: string; opsDir?: string; redisUrl?: string },
): Promise<string[]> {
  const told: string[] = [];
  for (const { shard, pid } of await runningShards(o.dataDir)) {
    if (!(pid > 0)) continue;
    try {
      process.kill(pid, 'SIGHUP');
      told.push(`SIGHUP to pt live shard ${shard} (pid ${pid})`);
    } catch (e) {
      told.push(`SIGHUP to shard ${shard} (pid ${pid}) failed: ${(e as Error).message}`);
    }
  }
  const prefix = config.signals_policy.redis_key_prefix;
  const url = o.redisUrl ?? process.env.REDIS_URL;
  if (url) {
    try {
      const redis = await RedisOpsControl.open(url, prefix);
      try {
        await redis.requestReload();
      } finally {
        await redis.close();
      }
      told.push(`${prefix}:ops:reload set on Redis`);
    } catch (e) {
      told.push(`${prefix}:ops:reload not set: ${(e as Error).message}`);
    }
  }
  // The file stands in for the key when shards run without Redis (and while they fail over to files).
  const opsDir = o.opsDir ?? resolve(config.signals_policy.ops_dir);
  await new FileOpsControl(opsDir).requestReload();
  told.push(`${resolve(opsDir, 'reload')} written`);
  return told;
}
