// Redis adapter: hashes keyed like `core:ops:flags`, the shared bus of SPEC §8 (never a hard dependency).
import { Redis } from 'ioredis';
import { PtError } from '../../core/ptError.js';

export interface RedisHashStoreOptions {
  /** `redis://host:6379/0`; default REDIS_URL. */
  url?: string;
  connectTimeoutMs?: number;
}

export class RedisHashStore {
  private readonly client: Redis;

  private constructor(client: Redis) {
    this.client = client;
  }

  /** Connects, failing fast with OPS_REDIS_CONNFAIL instead of retrying forever. */
  static async connect(options: RedisHashStoreOptions = {}): Promise<RedisHashStore> {
    const url = options.url ?? process.env.REDIS_URL;
    if (!url) throw new PtError('CORE_ENV_MISSING', 'REDIS_URL is not set', { source: 'redis' });
    const client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: options.connectTimeoutMs ?? 2000,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    });
    client.on('error', () => {
      /* surfaced through the failing command */
    });
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      throw new PtError('OPS_REDIS_CONNFAIL', `Redis did not answer at ${redactUrl(url)}`, {
        source: 'redis',
        cause: error,
      });
    }
    return new RedisHashStore(client);
  }

  async writeHash(key: string, fields: Record<string, string>, ttlSeconds?: number): Promise<void> {
    const tx = this.client.multi().del(key).hset(key, fields);
    if (ttlSeconds !== undefined) tx.expire(key, ttlSeconds);
    await tx.exec();
  }

  async readHash(key: string): Promise<Record<string, string>> {
    return this.client.hgetall(key);
  }

  async deleteKey(key: string): Promise<void> {
    await this.client.del(key);
  }

  async ttlSeconds(key: string): Promise<number> {
    return this.client.ttl(key);
  }

  async close(): Promise<void> {
    await this.client.quit();
  }
}

/** Drops the password from a Redis URL so it can be logged. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:***@');
}
