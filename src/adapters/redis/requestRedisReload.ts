// core:ops:reload as pt retrain sets it after a promotion: a new value that every live shard reading the
// bus takes as one reload request (RedisLiveBus.takeReload).
import { Redis } from 'ioredis';

/** Sets `<prefix>:ops:reload` to `value`; throws when Redis does not answer within a second or two. */
export async function requestRedisReload(url: string, prefix: string, value: string): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    commandTimeout: 1000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {
    /* surfaced through connect or set */
  });
  try {
    await client.connect();
    await client.set(`${prefix}:ops:reload`, value);
  } finally {
    client.disconnect();
  }
}
