// The monitor on Redis: what pt live's Redis bus writes, read back through RedisOpsControl; a server that dies and returns.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisLiveBus } from '../../src/adapters/redis/redisLiveBus.js';
import { RedisOpsControl } from '../../src/adapters/redis/redisOpsControl.js';
import { MonitorSource } from '../../src/monitor/monitorSource.js';
import { OwnedRedisServer, requireRedisServerBinary, sparePort } from '../helpers/redisServer.js';
import { requireService } from '../helpers/services.js';
import { SETTINGS } from '../helpers/monitorFixtures.js';

const url = 'redis://127.0.0.1:6379/15';
const available = await requireService('Redis', 6379);
const canSpawn = requireRedisServerBinary();

describe.runIf(available)('MonitorSource on the real Redis', () => {
  const prefix = `ptmon${process.pid}x${Date.now()}`;
  const raw = new Redis(url);
  afterAll(async () => {
    const keys = await raw.keys(`${prefix}:*`);
    if (keys.length > 0) await raw.del(...keys);
    raw.disconnect();
  });

  it('reads state, latest signal, heartbeat equity, DD mirror and alerts as pt live and the alerting write them', async () => {
    const bus = await RedisLiveBus.open({ url, prefix, heartbeatIntervalSeconds: 10 });
    const now = Date.now();
    await bus.publishSignal('XAUUSD_XAGUSD', {
      pair_id: 'XAUUSD_XAGUSD',
      action: 'open',
      target: { side: 'LONG_SPREAD', legs: [] },
    });
    await bus.writeState('XAUUSD_XAGUSD', {
      bar_ts: '2026-12-04T01:00:00.000Z',
      z: 1.84,
      beta: null,
      position: 'LONG_SPREAD',
      return_prob: 0.71,
      risk_score: 0.22,
      rho: 0.88,
      seq: 42,
      stale: false,
      tradable: true,
      signal_action: 'open',
      signal_at: new Date(now - 5000).toISOString(),
      reconcile: 'mismatch',
    });
    await bus.writeState('EURUSD_GBPUSD', { z: -1, stale: true, reconcile: 'no_account' });
    await bus.heartbeat(0, { equity: 99_500.25, balance: 100_000 });
    await bus.mirrorDrawdown({
      shard: 0,
      level: 'halt',
      since: '2026-12-01T00:00:00.000Z',
      drawdown: 0.105,
      pairs: {},
      updated_at: new Date(now).toISOString(),
    });
    await bus.close();
    const alert = (id: string, severity: string) =>
      JSON.stringify({
        event_id: id,
        error_id: 'OPS_X_Y',
        severity,
        source: 'live',
        message: id,
        occurred_at: new Date(now).toISOString(),
      });
    // LPUSH: the newest is first; a foreign element is skipped.
    await raw.lpush(`${prefix}:alerts`, alert('old', 'INFO'), 'not json', alert('new', 'CRITICAL'));

    const source = new MonitorSource({
      open: () => RedisOpsControl.open(url, prefix),
      label: url,
      kind: 'redis',
      settings: SETTINGS,
      now: () => now,
    });
    const feed = await source.poll();
    await source.close();
    expect(feed.down).toBeUndefined();
    const s = feed.state!;
    expect(s.shards[0]).toMatchObject({ shard: 0, lost: false, equity: 99_500.25, balance: 100_000, ddBand: 'halt' });
    expect(s.shards[0]!.dd).toMatchObject({ level: 'halt', drawdown: 0.105 });
    expect(s.shards[1]).toMatchObject({ shard: 1, lost: true });
    expect(s.shards[1]!.heartbeat).toBeUndefined();
    // Redis hashes hold text: the loader turns it back into numbers and booleans.
    expect(s.pairs.find((p) => p.pairId === 'XAUUSD_XAGUSD')).toMatchObject({
      z: 1.84,
      returnProb: 0.71,
      riskScore: 0.22,
      rho: 0.88,
      seq: 42,
      position: 'LONG_SPREAD',
      signalAction: 'open',
      signalAgeSeconds: 5,
      stale: false,
      tradable: true,
      reconcile: 'mismatch',
    });
    expect(s.pairs.find((p) => p.pairId === 'XAUUSD_XAGUSD')!.beta).toBeUndefined();
    expect(s.pairs.find((p) => p.pairId === 'EURUSD_GBPUSD')).toMatchObject({ stale: true, reconcile: 'no_account' });
    expect(s.alerts.map((a) => a.event_id)).toEqual(['new', 'old']);
  });
});

describe.runIf(canSpawn)('MonitorSource when Redis goes away and comes back', () => {
  it('keeps the last snapshot and says since when while the server is down; reads again once it is back', async () => {
    const server = new OwnedRedisServer(await sparePort());
    await server.start();
    let clock = Date.UTC(2026, 11, 4, 2, 0, 0);
    const source = new MonitorSource({
      open: () => RedisOpsControl.open(server.url, 'core', 500),
      label: server.url,
      kind: 'redis',
      settings: SETTINGS,
      now: () => clock,
    });
    try {
      const beat = async (equity: number) => {
        const c = new Redis(server.url);
        await c.set('core:heartbeat:shard:0', JSON.stringify({ shard: 0, ts: new Date(clock).toISOString(), equity }));
        c.disconnect();
      };
      await beat(100_000);
      const first = await source.poll();
      expect(first.down).toBeUndefined();
      expect(first.state!.shards[0]!.equity).toBe(100_000);
      const goodAt = clock;

      await server.kill();
      clock += 5000;
      const down = await source.poll();
      expect(down.down).toMatchObject({ lastGoodAtMs: goodAt });
      expect(down.down!.message).toMatch(/^OPS_BUS_DOWN: Redis at redis:\/\/127\.0\.0\.1:\d+\/0 does not answer/);
      expect(down.state).toBe(first.state);

      await server.start();
      await beat(100_700);
      clock += 5000;
      const back = await source.poll();
      expect(back.down).toBeUndefined();
      expect(back.state!.takenAtMs).toBe(clock);
      expect(back.state!.shards[0]!.equity).toBe(100_700);
      expect(back.history.equityOf(0)).toEqual([100_000, 100_700]);
    } finally {
      await source.close();
      await server.kill();
    }
  });
});
