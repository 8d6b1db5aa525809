// One `pt live` process per shard on a machine (SPEC §8): an exclusive file lock that refuses, never waits.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ensureDirDurable, listNames } from '../core/durableFs.js';
import { acquireFileLock, describeHolder, lockHolders, type FileLock, type LockHolder } from '../core/fileLock.js';
import { isPtError, PtError } from '../core/ptError.js';

/** `<dataDir>/live`: the shard's lock files sit next to its local cache. */
export function shardLockDir(dataDir: string): string {
  return join(dataDir, 'live');
}

/**
 * Takes the lock of shard `shard` under `<dataDir>/live/` (`.shard_<N>.lock-<pid>-…`). When another
 * live process holds it, throws OPS_LIVE_LOCKED naming that process's pid and command at once: a
 * second instance must not wait to take over a running one. A holder killed with SIGKILL leaves a
 * lock file that the next start removes (its pid is gone), so systemd's restart is never refused.
 */
export async function acquireShardLock(dataDir: string, shard: number): Promise<FileLock> {
  if (!Number.isInteger(shard) || shard < 0) throw new RangeError(`shard must be an integer ≥ 0, got ${shard}`);
  const dir = shardLockDir(dataDir);
  await ensureDirDurable(dir);
  try {
    return await acquireFileLock(dir, `shard_${shard}`, { label: `shard ${shard}`, noWait: true });
  } catch (e) {
    if (!isPtError(e) || e.id !== 'DATA_STORAGE_LOCKED') throw e;
    const holder = e.details.holder as LockHolder;
    throw new PtError('OPS_LIVE_LOCKED', `shard ${shard} is already running: ${describeHolder(holder)}`, {
      source: 'live',
      details: { shard, dir, holder },
      cause: e,
    });
  }
}

/** The `pt live` processes of this host holding a shard lock under `<dataDir>/live/` (a reload's SIGHUP targets). */
export async function runningShards(dataDir: string): Promise<Array<{ shard: number; pid: number }>> {
  const dir = shardLockDir(dataDir);
  const shards = new Set<number>();
  for (const name of await listNames(dir).catch(() => [])) {
    const m = /^\.shard_(\d+)\.lock-/.exec(name);
    if (m) shards.add(Number(m[1]));
  }
  const here = hostname();
  const out: Array<{ shard: number; pid: number }> = [];
  for (const shard of [...shards].sort((a, b) => a - b))
    for (const h of await lockHolders(dir, `shard_${shard}`))
      if (h.host === here && h.pid > 0 && h.pid !== process.pid) out.push({ shard, pid: h.pid });
  return out;
}
