import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileOpsControl } from '../../../src/adapters/files/fileOpsControl.js';
import { FileLiveBus } from '../../../src/adapters/files/fileLiveBus.js';
import { DEFAULT_OPS_FLAGS } from '../../../src/ports/liveBus.js';
import { capturedLogger } from '../../helpers/logLines.js';

const readJson = async (path: string): Promise<unknown> => JSON.parse(await readFile(path, 'utf8'));

describe('FileLiveBus', () => {
  let root: string;
  let opsDir: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'pt-filebus-'));
    opsDir = join(root, 'data', 'ops');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes the latest signal and state per pair as whole JSON files, creating the folders', async () => {
    const bus = new FileLiveBus({ opsDir, heartbeatIntervalSeconds: 10 });
    await bus.publishSignal('XAUUSD_XAGUSD', { signal_id: 'a', action: 'open', target: { side: 'LONG_SPREAD' } });
    await bus.publishSignal('XAUUSD_XAGUSD', { signal_id: 'b', action: 'hold', target: { side: 'LONG_SPREAD' } });
    await bus.writeState('XAUUSD_XAGUSD', { z: 1.5, stale: false, beta: null });
    expect(await readJson(join(opsDir, 'signals', 'XAUUSD_XAGUSD.json'))).toEqual({
      signal_id: 'b',
      action: 'hold',
      target: { side: 'LONG_SPREAD' },
    });
    expect(await readJson(join(opsDir, 'state', 'XAUUSD_XAGUSD.json'))).toEqual({ z: 1.5, stale: false, beta: null });
    // Atomic writes leave no temp file behind.
    expect(await readdir(join(opsDir, 'signals'))).toEqual(['XAUUSD_XAGUSD.json']);
    await bus.close();
  });

  it('keeps a pair id with a slash inside its folder', async () => {
    const bus = new FileLiveBus({ opsDir, heartbeatIntervalSeconds: 10 });
    await bus.writeState('../x', { z: 0 });
    expect(await readdir(join(opsDir, 'state'))).toEqual(['..%2Fx.json']);
  });

  it('writes a heartbeat that says when it expires: three intervals later', async () => {
    const bus = new FileLiveBus({ opsDir, heartbeatIntervalSeconds: 10, now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
    await bus.heartbeat(2);
    expect(await readJson(join(opsDir, 'heartbeat_shard_2.json'))).toEqual({
      shard: 2,
      pid: process.pid,
      ts: '2026-01-02T03:04:05.000Z',
      expires_at: '2026-01-02T03:04:35.000Z',
    });
  });

  it("carries the account's equity and balance in the heartbeat, read back by pt ops and pt monitor", async () => {
    const bus = new FileLiveBus({ opsDir, heartbeatIntervalSeconds: 10, now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
    await bus.heartbeat(1, { equity: 100_250.5, balance: 100_000 });
    expect(await new FileOpsControl(opsDir).heartbeats()).toEqual([
      { shard: 1, pid: process.pid, ts: '2026-01-02T03:04:05.000Z', equity: 100_250.5, balance: 100_000 },
    ]);
  });

  it('reads flags.json: defaults when absent, its values when present, the last good ones when broken', async () => {
    const { log, lines } = capturedLogger();
    const bus = new FileLiveBus({ opsDir, heartbeatIntervalSeconds: 10, log });
    expect(await bus.readOpsFlags()).toEqual(DEFAULT_OPS_FLAGS);
    await bus.heartbeat(0); // creates opsDir
    await writeFile(
      join(opsDir, 'flags.json'),
      JSON.stringify({ global_halt: true, halted_pairs: ['A_B'], flatten_pairs: 'C_D', leverage_scale: 0.5 }),
    );
    const set = {
      ...DEFAULT_OPS_FLAGS,
      globalHalt: true,
      haltedPairs: ['A_B'],
      flattenPairs: ['C_D'],
      leverageScale: 0.5,
    };
    expect(await bus.readOpsFlags()).toEqual(set);
    await writeFile(join(opsDir, 'flags.json'), '{"global_halt": fal');
    expect(await bus.readOpsFlags()).toEqual(set);
    await writeFile(join(opsDir, 'flags.json'), '[]');
    expect(await bus.readOpsFlags()).toEqual(set);
    expect(lines.map((l) => l.error_id)).toEqual(['OPS_FLAGS_INVALID', 'OPS_FLAGS_INVALID']);
    await writeFile(join(opsDir, 'flags.json'), '{}');
    expect(await bus.readOpsFlags()).toEqual(DEFAULT_OPS_FLAGS);
  });

  it('takes a reload once per change of the reload file, and two buses (two shards) each see it', async () => {
    const a = new FileLiveBus({ opsDir, heartbeatIntervalSeconds: 10 });
    const b = new FileLiveBus({ opsDir, heartbeatIntervalSeconds: 10 });
    expect(await a.takeReload()).toBe(false);
    expect(await b.takeReload()).toBe(false);
    await a.heartbeat(0);
    const reload = join(opsDir, 'reload');
    await writeFile(reload, '1');
    expect([await a.takeReload(), await a.takeReload()]).toEqual([true, false]);
    expect([await b.takeReload(), await b.takeReload()]).toEqual([true, false]);
    // touch: same content, new mtime.
    const later = new Date(Date.now() + 5000);
    await utimes(reload, later, later);
    expect(await a.takeReload()).toBe(true);
    await rm(reload);
    expect(await a.takeReload()).toBe(false);
    await writeFile(reload, '1');
    expect(await a.takeReload()).toBe(true);
  });
});
