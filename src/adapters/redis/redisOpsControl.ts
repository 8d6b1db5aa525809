// pt ops on Redis (SPEC §8 keys): core:ops:flags in a WATCH transaction, heartbeats, pair states, core:ops:reload.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { PtError } from '../../core/ptError.js';
import type { AlertRecord, OpsControl, RawFlags, ShardHeartbeat } from '../../ports/opsControl.js';
import { alertRecordOf } from '../files/alertRecordOf.js';
import { heartbeatExtras } from '../files/fileOpsControl.js';
import { redactUrl } from './redisHashStore.js';
import { hashFieldsOf } from './redisLiveBus.js';

/** Retries of a flags transaction that another writer (a shard's DD mirror) interleaved with. */
const MAX_TRIES = 20;

export class RedisOpsControl implements OpsControl {
  readonly where: string;
  private readonly flagsKey: string;

  private constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly redacted: string,
  ) {
    this.flagsKey = `${prefix}:ops:flags`;
    this.where = `${redacted} ${this.flagsKey}`;
  }

  /** Connects or fails at once with OPS_BUS_DOWN: a person at the terminal must know nothing changed. */
  static async open(url: string, prefix: string, timeoutMs = 2000): Promise<RedisOpsControl> {
    const client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      commandTimeout: timeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => {
      /* surfaced by connect() */
    });
    const redacted = redactUrl(url);
    try {
      await client.connect();
    } catch (e) {
      client.disconnect();
      throw unreachable(redacted, e);
    }
    return new RedisOpsControl(client, prefix, redacted);
  }

  async readFlags(): Promise<RawFlags> {
    return this.run(() => this.client.hgetall(this.flagsKey));
  }

  async updateFlags(change: (current: RawFlags) => Record<string, unknown>) {
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      await this.run(() => this.client.watch(this.flagsKey));
      let before: RawFlags;
      let fields: Record<string, unknown>;
      try {
        before = await this.run(() => this.client.hgetall(this.flagsKey));
        fields = change(before);
      } catch (e) {
        await this.client.unwatch().catch(() => undefined);
        throw e;
      }
      const set = hashFieldsOf(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null)));
      const removed = Object.entries(fields)
        .filter(([, v]) => v === null)
        .map(([k]) => k);
      const tx = this.client.multi();
      if (Object.keys(set).length > 0) tx.hset(this.flagsKey, set);
      if (removed.length > 0) tx.hdel(this.flagsKey, ...removed);
      const result = await this.run(() => tx.exec());
      if (result !== null) {
        const after: RawFlags = { ...before, ...set };
        for (const k of removed) delete after[k];
        return { before, after };
      }
    }
    throw new PtError('OPS_BUS_DOWN', `Redis at ${this.where}: the flags kept changing under ${MAX_TRIES} tries`, {
      source: 'redis',
      details: { where: this.where },
    });
  }

  async heartbeats(): Promise<ShardHeartbeat[]> {
    const keys = await this.scan(`${this.prefix}:heartbeat:shard:*`);
    const out: ShardHeartbeat[] = [];
    for (const key of keys) {
      const text = await this.run(() => this.client.get(key));
      try {
        const v = JSON.parse(text ?? '') as Record<string, unknown>;
        if (typeof v.ts === 'string')
          out.push({ shard: Number(key.slice(key.lastIndexOf(':') + 1)), ts: v.ts, ...heartbeatExtras(v) });
      } catch {
        // An unreadable heartbeat counts as none.
      }
    }
    return out.sort((a, b) => a.shard - b.shard);
  }

  pairStates(): Promise<Map<string, Record<string, unknown>>> {
    return this.hashes(`${this.prefix}:state:`);
  }

  signals(): Promise<Map<string, Record<string, unknown>>> {
    return this.hashes(`${this.prefix}:signals:`);
  }

  /** LRANGE of `<prefix>:alerts` (LPUSH: newest first); an element that is not an alert is skipped. */
  async recentAlerts(limit: number): Promise<AlertRecord[]> {
    if (limit <= 0) return [];
    const items = await this.run(() => this.client.lrange(`${this.prefix}:alerts`, 0, limit - 1));
    return items.flatMap((t) => alertRecordOf(t) ?? []);
  }

  private async hashes(prefix: string): Promise<Map<string, Record<string, unknown>>> {
    const out = new Map<string, Record<string, unknown>>();
    for (const key of await this.scan(`${prefix}*`)) {
      const h = await this.run(() => this.client.hgetall(key));
      out.set(key.slice(prefix.length), h);
    }
    return out;
  }

  async requestReload(): Promise<void> {
    const value = `${new Date().toISOString()} ${randomBytes(4).toString('hex')}`;
    await this.run(() => this.client.set(`${this.prefix}:ops:reload`, value));
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private async scan(pattern: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.run(() => this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 200));
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return keys;
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (e) {
      throw unreachable(this.redacted, e);
    }
  }
}

function unreachable(where: string, cause: unknown): PtError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new PtError(
    'OPS_BUS_DOWN',
    `Redis at ${where} does not answer (${reason}); nothing was changed. Shards fall back to their ops files while Redis is down: --bus files writes those`,
    { source: 'redis', details: { where } },
  );
}
