// pt live's DD levels made visible: mirrored into flags.json (beside pt ops' fields), logged and audited at each change.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileLiveBus } from '../../src/adapters/files/fileLiveBus.js';
import { ddPolicyParamsFrom } from '../../src/decision/ddPolicy.js';
import type { AccountSnapshot } from '../../src/live/account/accountSnapshot.js';
import { DrawdownWatch } from '../../src/live/job/drawdownWatch.js';
import { LiveOps } from '../../src/live/job/liveOps.js';
import { verifyAuditFile } from '../../src/ops/audit/verifyAuditLog.js';
import { DEFAULT_OPS_FLAGS } from '../../src/ports/liveBus.js';
import { config, pairOf } from '../decision/config.js';
import { capturedLogger } from '../helpers/logLines.js';

const H = 3_600_000;
const T0 = Date.UTC(2025, 0, 6);
const specs = [pairOf('XAUUSD_XAGUSD'), pairOf('EURUSD_GBPUSD')];
const params = ddPolicyParamsFrom(config.dd_policy, 24);
const account = (equity: number): AccountSnapshot => ({
  tsMs: 0,
  equity,
  balance: equity,
  positions: new Map(),
  alerts: [],
});
let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-ddwatch-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const flagsFile = () => JSON.parse(readFileSync(join(dir, 'flags.json'), 'utf8')) as Record<string, unknown>;

describe('DrawdownWatch', () => {
  it('mirrors the first level and each change, keeps pt ops fields, logs and audits changes only', async () => {
    writeFileSync(join(dir, 'flags.json'), JSON.stringify({ global_halt: 'soft', halted_pairs: ['XAUUSD_XAGUSD'] }));
    const bus = new FileLiveBus({ opsDir: dir, heartbeatIntervalSeconds: 10 });
    const { log, lines } = capturedLogger();
    const audit = join(dir, 'audit.jsonl');
    const ops = new LiveOps(specs, params, 100_000);
    const watch = new DrawdownWatch(3, specs, bus, audit, log);
    const step = async (t: number, equity: number) => {
      ops.at(t, DEFAULT_OPS_FLAGS, account(equity), false);
      await watch.after(t, ops);
    };
    await step(T0, 100_000);
    expect(flagsFile()).toMatchObject({
      global_halt: 'soft',
      halted_pairs: ['XAUUSD_XAGUSD'],
      dd_shard_3: { shard: 3, level: 'normal', since: new Date(T0).toISOString(), pairs: {} },
    });
    // A first normal level is mirrored, not audited.
    expect(lines).toHaveLength(0);
    await step(T0 + H, 100_000 * (1 - params.warnPortfolio - 0.001));
    await step(T0 + 2 * H, 100_000 * (1 - params.warnPortfolio - 0.002));
    expect(flagsFile().dd_shard_3).toMatchObject({ level: 'warn', since: new Date(T0 + H).toISOString() });
    await step(T0 + 3 * H, 100_000 * (1 - params.flattenPortfolio - 0.001));
    expect(flagsFile().dd_shard_3).toMatchObject({ level: 'flatten' });
    await step(T0 + 4 * H, 100_000);
    expect(flagsFile().dd_shard_3).toMatchObject({ level: 'normal', since: new Date(T0 + 4 * H).toISOString() });
    expect(lines.map((l) => [l.event, l.severity ?? ''])).toEqual([
      ['dd_level', ''],
      ['dd_level', 'CRITICAL'],
      ['dd_level', ''],
    ]);
    const entries = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; actor: string; after: { level: string } });
    expect(entries.map((e) => [e.action, e.actor, e.after.level])).toEqual([
      ['dd.action', 'pt-live', 'warn'],
      ['dd.action', 'pt-live', 'flatten'],
      ['dd.action', 'pt-live', 'normal'],
    ]);
    expect((await verifyAuditFile(audit)).firstBroken).toBeUndefined();

    // A restarted shard at the same level keeps since: the resume guard counts from the level's start.
    const again = new DrawdownWatch(3, specs, bus, audit, log);
    const ops2 = new LiveOps(specs, params, 100_000);
    ops2.at(T0 + 30 * H, DEFAULT_OPS_FLAGS, account(100_000), false);
    await again.after(T0 + 30 * H, ops2);
    expect(flagsFile().dd_shard_3).toMatchObject({ level: 'normal', since: new Date(T0 + 4 * H).toISOString() });
    expect(flagsFile().global_halt).toBe('soft');
  });
});
