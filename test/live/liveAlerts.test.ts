// What a shard raises: DD halt/flatten on the way up only, reconcile per pair, stale, the EA's
// critical account alerts, and the losing streak from the kernel's closes (hand-computed P&L).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.js';
import type { PairAction } from '../../src/decision/pairKernel.js';
import { LiveAlerts, LOSING_STREAK_MAX } from '../../src/live/job/liveAlerts.js';
import { newLiveBar, type LiveBar } from '../../src/live/livePair.js';
import type { AlertInput, AlertSink } from '../../src/ports/alerts.js';
import { repoRoot } from '../helpers/runPt.js';

const config = loadConfig(join(repoRoot, 'config'));
const specs = config.universe.pairs.filter((p) => p.shard === 0).slice(0, 2);

class Raised implements AlertSink {
  readonly all: AlertInput[] = [];
  raise(a: AlertInput): void {
    this.all.push(a);
  }
}

function bar(closeA: number, closeB: number): LiveBar {
  return { ...newLiveBar(), closeA, closeB };
}

function act(action: string, lotsA = 0, lotsB = 0): PairAction {
  return { action, targetLotsA: lotsA, targetLotsB: lotsB, tsMs: Date.parse('2026-03-02T10:00:00Z') } as PairAction;
}

describe('LiveAlerts', () => {
  it('raises DD halt and flatten when a level rises into them, not when it falls or stays', () => {
    const sink = new Raised();
    const a = new LiveAlerts(0, specs, sink);
    const t = Date.parse('2026-03-02T10:00:00Z');
    a.drawdown(t, { portfolioLevel: 1, pairLevels: [0, 0], portfolioDrawdown: 0.05 });
    a.drawdown(t, { portfolioLevel: 2, pairLevels: [0, 0], portfolioDrawdown: 0.1 });
    a.drawdown(t, { portfolioLevel: 2, pairLevels: [0, 0], portfolioDrawdown: 0.11 });
    a.drawdown(t, { portfolioLevel: 3, pairLevels: [2, 0], portfolioDrawdown: 0.2 });
    a.drawdown(t, { portfolioLevel: 2, pairLevels: [2, 0], portfolioDrawdown: 0.12 });
    expect(sink.all.map((x) => [x.errorId, x.dedupeKey])).toEqual([
      ['OPS_DD_HALT', 'shard_0'],
      ['OPS_DD_FLATTEN', 'shard_0'],
      ['OPS_DD_HALT', specs[0]!.pair_id],
    ]);
    expect(sink.all[0]!.message).toBe('DD halt: portfolio (drawdown 10.00%) at 2026-03-02T10:00:00.000Z');
  });

  it('counts consecutive losing closes across the shard by spread P&L; a win resets', () => {
    const sink = new Raised();
    const a = new LiveAlerts(0, specs, sink);
    const s0 = specs[0]!;
    // Long 1 lot A, short 2 lots B; A falls 1, B unchanged: P&L = 1 × (−1) × contract_size(A) < 0.
    const lose = () => {
      a.closes([0], [act('open', 1, -2)], [{ lastBar: bar(100, 50) }, { lastBar: undefined }]);
      a.closes([0], [act('close')], [{ lastBar: bar(99, 50) }, { lastBar: undefined }]);
    };
    for (let i = 0; i < LOSING_STREAK_MAX; i++) lose();
    expect(sink.all).toEqual([]);
    // A win (B falls: the short leg gains 2 × 1 × contract_size(B)) resets the count.
    a.closes([0], [act('open', 1, -2)], [{ lastBar: bar(100, 50) }, { lastBar: undefined }]);
    a.closes([0], [act('close')], [{ lastBar: bar(100, 49) }, { lastBar: undefined }]);
    for (let i = 0; i < LOSING_STREAK_MAX; i++) lose();
    expect(sink.all).toEqual([]);
    lose();
    expect(sink.all).toHaveLength(1);
    expect(sink.all[0]).toMatchObject({
      errorId: 'ANALYTICS_LOSS_STREAK',
      dedupeKey: 'shard_0',
      details: { streak: 6, pair_id: s0.pair_id, pnl_usd: -s0.leg_A.contract_size },
    });
  });

  it('a close without a known entry (opened before this process emitted) does not count', () => {
    const sink = new Raised();
    const a = new LiveAlerts(0, specs, sink);
    for (let i = 0; i < 10; i++) a.closes([1], [act('close')], [{ lastBar: undefined }, { lastBar: bar(1, 1) }]);
    expect(sink.all).toEqual([]);
  });

  it('raises only the critical account alerts, one key per pair and alert', () => {
    const sink = new Raised();
    const a = new LiveAlerts(3, specs, sink);
    a.account([
      { pairId: 'XAUUSD_XAGUSD', alert: 'naked_leg', critical: true, lotsA: 0.1 },
      { pairId: 'XAUUSD_XAGUSD', alert: 'entry_failed', critical: false },
    ]);
    expect(sink.all.map((x) => [x.errorId, x.dedupeKey, x.source])).toEqual([
      ['OPS_ACCOUNT_ALERT', 'XAUUSD_XAGUSD|naked_leg', 'live shard_3'],
    ]);
  });
});
