// pt ops on the bus's files (data/ops/ without Redis): flags.json under its lock, heartbeat and state files, reload.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDirDurable, listNames, writeFileAtomic } from '../../core/durableFs.js';
import { PtError } from '../../core/ptError.js';
import type { AlertRecord, OpsControl, RawFlags, ShardHeartbeat } from '../../ports/opsControl.js';
import { readAlertsTail } from './readAlertsTail.js';
import { FLAGS_FILE, readFlagsFile, updateFlagsFile } from './updateFlagsFile.js';

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** pid, equity and balance of a heartbeat record, those that are numbers. */
export function heartbeatExtras(v: Record<string, unknown>): Pick<ShardHeartbeat, 'pid' | 'equity' | 'balance'> {
  const out: Pick<ShardHeartbeat, 'pid' | 'equity' | 'balance'> = {};
  for (const k of ['pid', 'equity', 'balance'] as const) if (typeof v[k] === 'number') out[k] = v[k];
  return out;
}

export class FileOpsControl implements OpsControl {
  readonly where: string;

  constructor(private readonly opsDir: string) {
    this.where = join(opsDir, FLAGS_FILE);
  }

  readFlags(): Promise<RawFlags> {
    return readFlagsFile(this.opsDir);
  }

  /** An unreadable flags.json is replaced (a halt must work even then); a resume finds nothing to lift in it. */
  async updateFlags(change: (current: RawFlags) => Record<string, unknown>) {
    let unreadable = false;
    try {
      await readFlagsFile(this.opsDir);
    } catch (e) {
      if (!(e instanceof PtError && e.id === 'OPS_FLAGS_INVALID')) throw e;
      unreadable = true;
    }
    if (unreadable) {
      const after = change({});
      await ensureDirDurable(this.opsDir);
      await writeFileAtomic(this.where, `${JSON.stringify(after, null, 2)}\n`);
      return { before: {}, after };
    }
    return (await updateFlagsFile(this.opsDir, change))!;
  }

  async heartbeats(): Promise<ShardHeartbeat[]> {
    const out: ShardHeartbeat[] = [];
    for (const name of await listNames(this.opsDir).catch(() => [] as string[])) {
      const m = /^heartbeat_shard_(\d+)\.json$/.exec(name);
      if (!m) continue;
      const v = await readJson(join(this.opsDir, name));
      if (typeof v?.ts === 'string') out.push({ shard: Number(m[1]), ts: v.ts, ...heartbeatExtras(v) });
    }
    return out.sort((a, b) => a.shard - b.shard);
  }

  pairStates(): Promise<Map<string, Record<string, unknown>>> {
    return this.perPair('state');
  }

  signals(): Promise<Map<string, Record<string, unknown>>> {
    return this.perPair('signals');
  }

  /** The tail of alerts.jsonl (the alerting appends it). */
  recentAlerts(limit: number): Promise<AlertRecord[]> {
    return readAlertsTail(join(this.opsDir, 'alerts.jsonl'), limit);
  }

  private async perPair(sub: 'state' | 'signals'): Promise<Map<string, Record<string, unknown>>> {
    const dir = join(this.opsDir, sub);
    const out = new Map<string, Record<string, unknown>>();
    for (const name of await listNames(dir).catch(() => [] as string[])) {
      if (!name.endsWith('.json')) continue;
      const v = await readJson(join(dir, name));
      if (v) out.set(decodeURIComponent(name.slice(0, -'.json'.length)), v);
    }
    return out;
  }

  /** A new content of `reload`: every shard sharing this folder sees one request. */
  async requestReload(): Promise<void> {
    await ensureDirDurable(this.opsDir);
    await writeFileAtomic(
      join(this.opsDir, 'reload'),
      `${new Date().toISOString()} ${randomBytes(4).toString('hex')}\n`,
    );
  }

  async close(): Promise<void> {
    // Nothing held open.
  }
}
