import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisLiveBus, hashFieldsOf } from '../../../src/adapters/redis/redisLiveBus.js';
import { PtError } from '../../../src/core/ptError.js';
import { DEFAULT_OPS_FLAGS } from '../../../src/ports/liveBus.js';
import { capturedLogger } from '../../helpers/logLines.js';
import { requireService } from '../../helpers/services.js';
import { sparePort } from '../../helpers/redisServer.js';

const url = 'redis://127.0.0.1:6379/15';
const available = await requireService('Redis', 6379);

const entry = {
  signal_id: 'abc123',
  pair_id: 'XAUUSD_XAGUSD',
  action: 'open',
  z: -2.1,
  beta: null,
  stale: false,
  target: { side: 'LONG_SPREAD', legs: [{ symbol: 'XAUUSD', side: 'BUY', lots: 0.1 }] },
};

describe('hashFieldsOf', () => {
  it('keeps strings and writes every other value as JSON', () => {
    expect(hashFieldsOf({ a: 'x', b: 1.5, c: null, d: true, e: [1], f: undefined })).toEqual({
      a: 'x',
      b: '1.5',
      c: 'null',
      d: 'true',
      e: '[1]',
    });
  });
});

describe.runIf(available)('RedisLiveBus against the real Redis', () => {
  const prefix = `pttest${process.pid}x${Date.now()}`;
  let bus: RedisLiveBus;
  let raw: Redis;
  const logged = capturedLogger();
  beforeAll(async () => {
    bus = await RedisLiveBus.open({ url, prefix, heartbeatIntervalSeconds: 10, log: logged.log });
    raw = new Redis(url);
  });
  afterAll(async () => {
    const keys = await raw.keys(`${prefix}:*`);
    if (keys.length > 0) await raw.del(...keys);
    raw.disconnect();
    await bus.close();
  });

  it('stores the latest signal as a hash, replacing the previous one, and publishes it on the channel', async () => {
    const sub = new Redis(url);
    const received: string[] = [];
    await sub.subscribe(`${prefix}:signals`);
    sub.on('message', (_channel: string, message: string) => received.push(message));
    await bus.publishSignal('XAUUSD_XAGUSD', { ...entry, expires_at: '2026-01-01T01:00:00Z' });
    await bus.publishSignal('XAUUSD_XAGUSD', entry);
    expect(await raw.hgetall(`${prefix}:signals:XAUUSD_XAGUSD`)).toEqual({
      signal_id: 'abc123',
      pair_id: 'XAUUSD_XAGUSD',
      action: 'open',
      z: '-2.1',
      beta: 'null',
      stale: 'false',
      target: JSON.stringify(entry.target),
    });
    for (let i = 0; i < 50 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(received.map((m) => JSON.parse(m))).toEqual([{ ...entry, expires_at: '2026-01-01T01:00:00Z' }, entry]);
    sub.disconnect();
  });

  it('replaces the state hash and keeps the heartbeat for three intervals', async () => {
    await bus.writeState('XAUUSD_XAGUSD', { z: 1, position: 'LONG_SPREAD', stale: true });
    await bus.writeState('XAUUSD_XAGUSD', { z: 0.5, stale: false });
    expect(await raw.hgetall(`${prefix}:state:XAUUSD_XAGUSD`)).toEqual({ z: '0.5', stale: 'false' });
    await bus.heartbeat(3);
    const key = `${prefix}:heartbeat:shard:3`;
    expect(JSON.parse((await raw.get(key))!)).toMatchObject({ shard: 3, pid: process.pid });
    const ttl = await raw.ttl(key);
    expect(ttl).toBeGreaterThan(25);
    expect(ttl).toBeLessThanOrEqual(30);
  });

  it('reads the ops flags hash tolerantly, and a key of the wrong type as a bad flag, not an outage', async () => {
    const key = `${prefix}:ops:flags`;
    expect(await bus.readOpsFlags()).toEqual(DEFAULT_OPS_FLAGS);
    await raw.hset(key, { global_halt: 'hard', halted_pairs: '["EURUSD_GBPUSD"]', leverage_scale: '0.5' });
    const set = {
      ...DEFAULT_OPS_FLAGS,
      globalHalt: true,
      hardHalt: true,
      haltedPairs: ['EURUSD_GBPUSD'],
      leverageScale: 0.5,
    };
    expect(await bus.readOpsFlags()).toEqual(set);
    await raw.del(key);
    await raw.set(key, 'halt');
    expect(await bus.readOpsFlags()).toEqual(set);
    expect(logged.lines.map((l) => l.error_id)).toEqual(['OPS_FLAGS_INVALID']);
    await raw.del(key);
  });

  it('takes a reload once per new value of core:ops:reload, and a second shard sees it too', async () => {
    const other = await RedisLiveBus.open({ url, prefix, heartbeatIntervalSeconds: 10 });
    const key = `${prefix}:ops:reload`;
    expect([await bus.takeReload(), await other.takeReload()]).toEqual([false, false]);
    await raw.incr(key);
    expect([await bus.takeReload(), await bus.takeReload()]).toEqual([true, false]);
    expect([await other.takeReload(), await other.takeReload()]).toEqual([true, false]);
    await raw.incr(key);
    expect(await bus.takeReload()).toBe(true);
    await raw.del(key);
    expect(await bus.takeReload()).toBe(false);
    await other.close();
  });
});

describe('RedisLiveBus without a server', () => {
  it('opens anyway, then fails each command fast with OPS_REDIS_CONNFAIL and no password', async () => {
    const port = await sparePort();
    const started = Date.now();
    const bus = await RedisLiveBus.open({
      url: `redis://user:s3cret@127.0.0.1:${port}/0`,
      prefix: 'core',
      heartbeatIntervalSeconds: 10,
      connectTimeoutMs: 300,
    });
    const err = await bus.heartbeat(0).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err).toBeInstanceOf(PtError);
    expect((err as PtError).id).toBe('OPS_REDIS_CONNFAIL');
    expect((err as PtError).message).toContain(`redis://user:***@127.0.0.1:${port}`);
    expect((err as PtError).message).not.toContain('s3cret');
    expect(bus.connectionGeneration()).toBe(0);
    await bus.close();
  });
});
