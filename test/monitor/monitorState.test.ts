// loadMonitorState over real files: the ops folder as pt live and the alerting write it, read through FileOpsControl.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileOpsControl } from '../../src/adapters/files/fileOpsControl.js';
import { MonitorHistory } from '../../src/monitor/monitorHistory.js';
import { ddBandOf, loadMonitorState } from '../../src/monitor/monitorState.js';
import { NOW, SETTINGS, writeOpsDir } from '../helpers/monitorFixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pt-monitor-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadMonitorState (files)', () => {
  it('reads shards, pairs, flags and alerts as pt live and the alerting wrote them', async () => {
    await writeOpsDir(dir);
    const s = await loadMonitorState(new FileOpsControl(dir), SETTINGS, NOW);
    expect(s.shards).toEqual([
      {
        shard: 0,
        pairs: ['XAUUSD_XAGUSD', 'GBPUSD_USDCHF'],
        heartbeat: { ts: new Date(NOW - 4000).toISOString(), age_seconds: 4, lost: false },
        lost: false,
        dd: { level: 'warn', since: new Date(NOW - 86_400_000).toISOString(), drawdown: 0.085, pairs: {} },
        ddBand: 'warn',
        equity: 101_234.5,
        balance: 100_000,
      },
      // 600 s old against a TTL of 30 s: lost.
      {
        shard: 1,
        pairs: ['EURUSD_GBPUSD'],
        heartbeat: { ts: new Date(NOW - 600_000).toISOString(), age_seconds: 600, lost: true },
        lost: true,
      },
    ]);
    const [xau, gbp, eur] = s.pairs;
    expect(xau).toMatchObject({
      pairId: 'XAUUSD_XAGUSD',
      shard: 0,
      z: 1.84,
      returnProb: 0.71,
      riskScore: 0.22,
      position: 'LONG_SPREAD',
      signalAction: 'open',
      signalAgeSeconds: 9,
      stale: false,
      reconcile: 'ok',
      reported: true,
    });
    // No state yet: nothing reported, but the flags still say it is halted.
    expect(gbp).toEqual({ pairId: 'GBPUSD_USDCHF', shard: 0, reported: false, stale: false, halt: 'soft' });
    expect(eur).toMatchObject({ pairId: 'EURUSD_GBPUSD', stale: true, reconcile: 'mismatch', signalAgeSeconds: 600 });
    expect(eur!.beta).toBeUndefined();
    expect(s.haltLevel).toBe('none');
    expect(s.flags.haltedPairs).toEqual(['GBPUSD_USDCHF']);
    // Newest first; the torn last line is skipped.
    expect(s.alerts.map((a) => a.event_id)).toEqual(['e2', 'e1']);
  });

  it('an empty ops folder: every shard of the universe without a heartbeat (lost), no alerts', async () => {
    const s = await loadMonitorState(new FileOpsControl(join(dir, 'nothing')), SETTINGS, NOW);
    expect(s.shards.map((x) => [x.shard, x.lost, x.heartbeat])).toEqual([
      [0, true, undefined],
      [1, true, undefined],
    ]);
    expect(s.pairs.every((p) => !p.reported)).toBe(true);
    expect(s.alerts).toEqual([]);
  });

  it('--shard keeps that shard and its pairs only', async () => {
    await writeOpsDir(dir);
    const s = await loadMonitorState(
      new FileOpsControl(dir),
      { ...SETTINGS, shard: 1, pairs: SETTINGS.pairs.filter((p) => p.shard === 1) },
      NOW,
    );
    expect(s.shards.map((x) => x.shard)).toEqual([1]);
    expect(s.pairs.map((p) => p.pairId)).toEqual(['EURUSD_GBPUSD']);
  });

  it('places a drawdown against warn / halt / flatten', () => {
    const t = SETTINGS.dd;
    expect([0, 0.079, 0.08, 0.099, 0.1, 0.119, 0.12, 0.5].map((d) => ddBandOf(d, t))).toEqual([
      'normal',
      'normal',
      'warn',
      'warn',
      'halt',
      'halt',
      'flatten',
      'flatten',
    ]);
  });

  it('history: equity every refresh, z only when the bar changes', async () => {
    await writeOpsDir(dir);
    const control = new FileOpsControl(dir);
    const h = new MonitorHistory(3);
    for (let k = 0; k < 4; k++) h.record(await loadMonitorState(control, SETTINGS, NOW + k * 1000));
    expect(h.equityOf(0)).toEqual([101_234.5, 101_234.5, 101_234.5]);
    expect(h.zOf('XAUUSD_XAGUSD')).toEqual([1.84]);
    await writeOpsDir(dir, NOW + 3_600_000);
    const next = await loadMonitorState(control, SETTINGS, NOW + 3_600_000);
    h.record({ ...next, pairs: next.pairs.map((p) => (p.z === undefined ? p : { ...p, z: p.z + 1 })) });
    expect(h.zOf('XAUUSD_XAGUSD')).toEqual([1.84, 2.84]);
  });
});
