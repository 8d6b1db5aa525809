import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisHashStore, redactUrl } from '../../../src/adapters/redis/redisHashStore.js';
import { requireService } from '../../helpers/services.js';
import { PtError } from '../../../src/core/ptError.js';

const url = 'redis://127.0.0.1:6379/15';
const available = await requireService('Redis', 6379);

describe.runIf(available)('RedisHashStore against the real Redis', () => {
  let store: RedisHashStore;
  const key = `pt:test:${process.pid}:${Date.now()}`;
  beforeAll(async () => {
    store = await RedisHashStore.connect({ url });
  });
  afterAll(async () => {
    await store.deleteKey(key);
    await store.close();
  });

  it('round-trips a hash and replaces its fields on rewrite', async () => {
    await store.writeHash(key, { global_halt: 'soft', leverage_scale: '0.5', halted_pairs: '["XAUUSD_XAGUSD"]' });
    expect(await store.readHash(key)).toEqual({
      global_halt: 'soft',
      leverage_scale: '0.5',
      halted_pairs: '["XAUUSD_XAGUSD"]',
    });
    await store.writeHash(key, { global_halt: 'none' }, 30);
    expect(await store.readHash(key)).toEqual({ global_halt: 'none' });
    const ttl = await store.ttlSeconds(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
  });
});

describe('RedisHashStore without a server', () => {
  it('fails fast with OPS_REDIS_CONNFAIL and a redacted URL', async () => {
    const err = await RedisHashStore.connect({ url: 'redis://user:s3cret@127.0.0.1:1/0', connectTimeoutMs: 500 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PtError);
    expect((err as PtError).id).toBe('OPS_REDIS_CONNFAIL');
    expect((err as PtError).message).not.toContain('s3cret');
    expect(redactUrl('redis://user:s3cret@host:6379')).toBe('redis://user:***@host:6379');
  });
});
