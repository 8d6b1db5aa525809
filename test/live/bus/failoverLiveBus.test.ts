// FailoverLiveBus over a real, test-owned redis-server that is killed mid-sequence and restarted empty.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileLiveBus } from '../../../src/adapters/files/fileLiveBus.js';
import { updateFlagsFile } from '../../../src/adapters/files/updateFlagsFile.js';
import { RedisLiveBus } from '../../../src/adapters/redis/redisLiveBus.js';
import { FailoverLiveBus } from '../../../src/live/bus/failoverLiveBus.js';
import { DEFAULT_OPS_FLAGS } from '../../../src/ports/liveBus.js';
import { capturedLogger } from '../../helpers/logLines.js';
import { OwnedRedisServer, requireRedisServerBinary, sparePort } from '../../helpers/redisServer.js';

const hasRedisServer = requireRedisServerBinary();
const PAIRS = ['AAA_BBB', 'CCC_DDD', 'EEE_FFF'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const readJson = async (path: string): Promise<Record<string, unknown>> => JSON.parse(await readFile(path, 'utf8'));
const signal = (pair: string, bar: number) => ({ signal_id: `${pair}-${bar}`, pair_id: pair, bar, action: 'hold' });

describe.runIf(hasRedisServer)('FailoverLiveBus with a redis-server that dies and comes back', () => {
  let root: string;
  let server: OwnedRedisServer;
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'pt-failover-'));
    server = new OwnedRedisServer(await sparePort());
    await server.start();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await server.kill();
    await rm(root, { recursive: true, force: true });
  });

  async function openBus() {
    const logged = capturedLogger('live');
    const opsDir = join(root, 'ops');
    const redis = await RedisLiveBus.open({
      url: server.url,
      prefix: 'core',
      heartbeatIntervalSeconds: 1,
      reconnectInitialMs: 50,
      reconnectMaxMs: 200,
      commandTimeoutMs: 500,
    });
    const counted = { errors: 0 };
    const bus = new FailoverLiveBus(redis, new FileLiveBus({ opsDir, heartbeatIntervalSeconds: 1 }), {
      log: logged.log,
      retryInitialMs: 50,
      retryMaxMs: 200,
      onPrimaryError: () => counted.errors++,
    });
    cleanups.push(() => bus.close());
    return { bus, redis, opsDir, logged, counted };
  }

  function rawClient(): Redis {
    const raw = new Redis(server.url, { maxRetriesPerRequest: 1 });
    raw.on('error', () => undefined);
    cleanups.push(() => raw.disconnect());
    return raw;
  }

  /** One bar of the live loop: every pair's signal and state, the heartbeat, the flags, the reload. */
  async function bar(bus: FailoverLiveBus, n: number) {
    for (const pair of PAIRS) {
      await bus.publishSignal(pair, signal(pair, n));
      await bus.writeState(pair, { bar: n, z: n / 10, stale: false });
    }
    await bus.heartbeat(0);
    await bus.takeReload();
    return bus.readOpsFlags();
  }

  it('never throws, writes files during the outage, and resyncs every pair into the restarted server', async () => {
    const { bus, opsDir, logged, counted } = await openBus();
    let raw = rawClient();
    for (let n = 0; n < 5; n++) await bar(bus, n);
    await raw.hset('core:ops:flags', { global_halt: 'true' });
    expect((await bar(bus, 5)).globalHalt).toBe(true);
    expect(await raw.hgetall('core:signals:CCC_DDD')).toMatchObject({ signal_id: 'CCC_DDD-5', bar: '5' });
    expect(await raw.ttl('core:heartbeat:shard:0')).toBe(3);
    // Redis up: nothing went to the files.
    await expect(readFile(join(opsDir, 'signals', 'AAA_BBB.json'), 'utf8')).rejects.toThrow(/ENOENT/);
    expect(bus.status()).toEqual({ primary: 'up', outages: 0, primaryErrors: 0, divertedCalls: 0 });

    await server.kill();
    for (let n = 6; n < 10; n++) {
      const flags = await bar(bus, n);
      // The files answer now, and the halt last read from Redis stays in force.
      expect(flags).toEqual({ ...DEFAULT_OPS_FLAGS, globalHalt: true });
    }
    await writeFile(join(opsDir, 'flags.json'), JSON.stringify({ leverage_scale: 0.25, flatten_pairs: ['EEE_FFF'] }));
    expect(await bar(bus, 10)).toMatchObject({ globalHalt: true, leverageScale: 0.25, flattenPairs: ['EEE_FFF'] });
    for (const pair of PAIRS) {
      expect(await readJson(join(opsDir, 'signals', `${pair}.json`))).toEqual(signal(pair, 10));
      expect(await readJson(join(opsDir, 'state', `${pair}.json`))).toEqual({ bar: 10, z: 1, stale: false });
    }
    expect(await readJson(join(opsDir, 'heartbeat_shard_0.json'))).toMatchObject({ shard: 0, pid: process.pid });
    const during = bus.status();
    expect(during).toMatchObject({ primary: 'down', outages: 1 });
    expect(during.divertedCalls).toBeGreaterThan(20);
    // Backoff: far fewer tries of the dead server than calls.
    expect(during.primaryErrors).toBeLessThan(during.divertedCalls / 2);
    expect(counted.errors).toBe(during.primaryErrors);

    await server.start();
    raw = rawClient();
    // Only one pair is written now; the others must come back by the resync.
    let n = 11;
    const deadline = Date.now() + 10_000;
    while (bus.status().primary === 'down') {
      expect(Date.now()).toBeLessThan(deadline);
      await bus.publishSignal('AAA_BBB', signal('AAA_BBB', n++));
      await sleep(50);
    }
    expect(await raw.hgetall('core:signals:AAA_BBB')).toMatchObject({ signal_id: `AAA_BBB-${n - 1}` });
    for (const pair of ['CCC_DDD', 'EEE_FFF']) {
      expect(await raw.hgetall(`core:signals:${pair}`)).toEqual({
        signal_id: `${pair}-10`,
        pair_id: pair,
        bar: '10',
        action: 'hold',
      });
      expect(await raw.hgetall(`core:state:${pair}`)).toEqual({ bar: '10', z: '1', stale: 'false' });
    }
    // The restarted server was empty: the halt in force before and the file's flags are written back.
    expect(await bus.readOpsFlags()).toMatchObject({
      globalHalt: true,
      leverageScale: 0.25,
      flattenPairs: ['EEE_FFF'],
    });
    expect(await raw.hgetall('core:ops:flags')).toMatchObject({ global_halt: 'soft', leverage_scale: '0.25' });
    await bus.heartbeat(0);
    expect(await raw.exists('core:heartbeat:shard:0')).toBe(1);

    const events = logged.lines.map((l) => l.event);
    expect(events.filter((e) => e === 'redis_outage_start')).toHaveLength(1);
    expect(events.filter((e) => e === 'ops_flags_from_files')).toHaveLength(1);
    expect(events.filter((e) => e === 'ops_flags_restored')).toHaveLength(1);
    expect(events.filter((e) => e === 'redis_outage_end')).toHaveLength(1);
    const start = logged.lines.find((l) => l.event === 'redis_outage_start')!;
    expect(start).toMatchObject({ level: 'warn', error_id: 'OPS_REDIS_CONNFAIL', severity: 'WARNING' });
    expect(start.message).toContain(`127.0.0.1:${server.port}`);
    const end = logged.lines.find((l) => l.event === 'redis_outage_end')!;
    expect(end.details).toMatchObject({ resynced_pairs: 3, outages: 1 });
    expect(bus.status()).toMatchObject({ primary: 'up', outages: 1 });
  });

  it('resyncs after a restart that happened between two calls (no call failed)', async () => {
    const { bus, redis, logged } = await openBus();
    for (let n = 0; n < 3; n++) await bar(bus, n);
    const generation = redis.connectionGeneration();
    await server.kill();
    await server.start();
    const deadline = Date.now() + 10_000;
    while (redis.connectionGeneration() === generation) {
      expect(Date.now()).toBeLessThan(deadline);
      await sleep(20);
    }
    await bus.writeState('AAA_BBB', { bar: 3 });
    const raw = rawClient();
    expect(await raw.hgetall('core:signals:EEE_FFF')).toMatchObject({ signal_id: 'EEE_FFF-2' });
    expect(await raw.hgetall('core:state:CCC_DDD')).toMatchObject({ bar: '2' });
    expect(await raw.hgetall('core:state:AAA_BBB')).toEqual({ bar: '3' });
    expect(bus.status()).toMatchObject({ primary: 'up', outages: 0 });
    expect(logged.lines).toEqual([]);
  });

  it('starts on files when Redis is down at start, trying it again only with backoff', async () => {
    await server.kill();
    const { bus, opsDir, logged } = await openBus();
    for (let n = 0; n < 10; n++) await bar(bus, n);
    expect(await readJson(join(opsDir, 'signals', 'EEE_FFF.json'))).toEqual(signal('EEE_FFF', 9));
    const s = bus.status();
    expect(s).toMatchObject({ primary: 'down', outages: 1 });
    expect(s.primaryErrors).toBeLessThan(10);
    expect(logged.lines.map((l) => l.event)).toEqual(['redis_outage_start', 'ops_flags_from_files']);
  });

  /** Polls bars until the bus is on Redis again. */
  async function untilUp(bus: FailoverLiveBus, from: number): Promise<number> {
    let n = from;
    const deadline = Date.now() + 10_000;
    while (bus.status().primary === 'down') {
      expect(Date.now()).toBeLessThan(deadline);
      await bar(bus, n++);
      await sleep(50);
    }
    return n;
  }

  /** What pt ops --bus files does to flags.json: a read-modify-write of some fields under the lock. */
  const editFlagsFile = (opsDir: string, fields: Record<string, unknown>) => updateFlagsFile(opsDir, () => fields);

  it('keeps a hard halt through an outage, a halt added to the files meanwhile, and a restart of Redis empty', async () => {
    const { bus, opsDir, logged } = await openBus();
    let raw = rawClient();
    await raw.hset('core:ops:flags', { global_halt: 'hard', halted_pairs: '[]', leverage_scale: '1' });
    expect(await bar(bus, 0)).toMatchObject({ globalHalt: true, hardHalt: true });
    // flags.json mirrors Redis's flags, stamped as a copy.
    const mirror = await readJson(join(opsDir, 'flags.json'));
    expect(mirror).toMatchObject({ global_halt: 'hard', redis_mirror: { sha256: expect.any(String) } });

    await server.kill();
    expect(await bar(bus, 1)).toMatchObject({ globalHalt: true, hardHalt: true });
    await editFlagsFile(opsDir, { halted_pairs: ['CCC_DDD'] });
    const during = await bar(bus, 2);
    expect(during).toMatchObject({ globalHalt: true, hardHalt: true, haltedPairs: ['CCC_DDD'] });

    await server.start();
    raw = rawClient();
    const n = await untilUp(bus, 3);
    const after = await bar(bus, n);
    expect(after).toMatchObject({ globalHalt: true, hardHalt: true, haltedPairs: ['CCC_DDD'] });
    expect(await raw.hgetall('core:ops:flags')).toMatchObject({ global_halt: 'hard', halted_pairs: '["CCC_DDD"]' });
    const restored = logged.lines.find((l) => l.event === 'ops_flags_restored');
    expect(restored).toMatchObject({ level: 'warn' });
    expect(String((restored!.details as Record<string, unknown>).in_force)).toContain('CCC_DDD');

    // pt ops resume writes explicit values: that, and only that, lifts the halts.
    await raw.hset('core:ops:flags', { global_halt: 'none', halted_pairs: '[]' });
    expect(await bar(bus, n + 1)).toEqual(DEFAULT_OPS_FLAGS);
    expect(await readJson(join(opsDir, 'flags.json'))).toMatchObject({ global_halt: 'none', halted_pairs: [] });
    expect(logged.lines.filter((l) => l.event === 'ops_flags_restored')).toHaveLength(1);
  });

  it('adds a halt written to flags.json during an outage to a Redis that kept its flags', async () => {
    const { bus, opsDir, logged } = await openBus();
    let raw = rawClient();
    await raw.hset('core:ops:flags', { global_halt: 'none', leverage_scale: '0.5' });
    expect(await bar(bus, 0)).toMatchObject({ globalHalt: false, leverageScale: 0.5 });
    await server.kill();
    await bar(bus, 1);
    await editFlagsFile(opsDir, { flatten_pairs: ['AAA_BBB'] });
    expect(await bar(bus, 2)).toMatchObject({ leverageScale: 0.5, flattenPairs: ['AAA_BBB'] });
    // The server comes back holding its flags (as a persistent one would) before the shard retries it.
    await server.start();
    raw = rawClient();
    await raw.hset('core:ops:flags', { global_halt: 'none', leverage_scale: '0.5' });
    const n = await untilUp(bus, 3);
    expect(await bar(bus, n)).toMatchObject({ leverageScale: 0.5, flattenPairs: ['AAA_BBB'] });
    expect(await raw.hgetall('core:ops:flags')).toMatchObject({ flatten_pairs: '["AAA_BBB"]', leverage_scale: '0.5' });
    expect(logged.lines.map((l) => l.event)).toContain('ops_flags_promoted');
  });

  it('a shard restarted while Redis is down obeys the mirror; restarted after a resume it does not re-halt', async () => {
    const first = await openBus();
    const raw = rawClient();
    await raw.hset('core:ops:flags', { global_halt: 'soft', halted_pairs: '["EEE_FFF"]' });
    expect(await bar(first.bus, 0)).toMatchObject({ globalHalt: true, haltedPairs: ['EEE_FFF'] });
    await first.bus.close();

    await server.kill();
    const second = await openBus();
    expect(await bar(second.bus, 1)).toMatchObject({ globalHalt: true, haltedPairs: ['EEE_FFF'] });
    await second.bus.close();

    // Redis back with the halt lifted by pt ops resume while no shard ran: the old mirror is only a copy.
    await server.start();
    const raw2 = rawClient();
    await raw2.hset('core:ops:flags', { global_halt: 'none', halted_pairs: '[]' });
    const third = await openBus();
    expect(await bar(third.bus, 2)).toEqual(DEFAULT_OPS_FLAGS);
    expect(await readJson(join(second.opsDir, 'flags.json'))).toMatchObject({ global_halt: 'none' });
    expect(third.logged.lines.map((l) => l.event)).not.toContain('ops_flags_promoted');
  });
});
