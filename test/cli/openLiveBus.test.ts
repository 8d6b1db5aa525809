import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileLiveBus } from '../../src/adapters/files/fileLiveBus.js';
import { openLiveBus } from '../../src/cli/openLiveBus.js';
import { FailoverLiveBus } from '../../src/live/bus/failoverLiveBus.js';
import { requireService } from '../helpers/services.js';

const available = await requireService('Redis', 6379);

describe('openLiveBus', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'pt-openbus-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('uses files only without a Redis URL', async () => {
    const opsDir = join(root, 'ops');
    const { bus, failover } = await openLiveBus({ redisUrl: '', prefix: 'core', opsDir, heartbeatIntervalSeconds: 10 });
    expect(bus).toBeInstanceOf(FileLiveBus);
    expect(failover).toBeUndefined();
    await bus.writeState('AAA_BBB', { z: 1 });
    expect(JSON.parse(await readFile(join(opsDir, 'state', 'AAA_BBB.json'), 'utf8'))).toEqual({ z: 1 });
    await bus.close();
  });

  it.runIf(available)('uses Redis, with files behind it, when a URL is given', async () => {
    const url = 'redis://127.0.0.1:6379/15';
    const prefix = `pttest${process.pid}o${Date.now()}`;
    const opened = await openLiveBus({
      redisUrl: url,
      prefix,
      opsDir: join(root, 'ops'),
      heartbeatIntervalSeconds: 10,
    });
    expect(opened.bus).toBeInstanceOf(FailoverLiveBus);
    await opened.bus.writeState('AAA_BBB', { z: 1 });
    const raw = new Redis(url);
    expect(await raw.hgetall(`${prefix}:state:AAA_BBB`)).toEqual({ z: '1' });
    await raw.del(`${prefix}:state:AAA_BBB`);
    raw.disconnect();
    expect(opened.failover?.status()).toMatchObject({ primary: 'up', outages: 0 });
    await opened.bus.close();
  });
});
