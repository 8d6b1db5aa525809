// reconcile: a shard pair whose broker position differs from the believed one in side or lots (beyond half a lot step).
import { describe, expect, it } from 'vitest';
import type { AccountPosition, AccountSnapshot } from '../../../src/live/account/accountSnapshot.js';
import { reconcile, type BelievedPosition, type PairLotSteps } from '../../../src/live/account/reconcile.js';

const STEPS = new Map<string, PairLotSteps>([
  ['EURUSD_GBPUSD', { lotStepA: 0.01, lotStepB: 0.01 }],
  ['XAUUSD_XAGUSD', { lotStepA: 0.01, lotStepB: 0.1 }],
]);

function account(positions: Record<string, Omit<AccountPosition, 'tickets'>>): AccountSnapshot {
  return {
    tsMs: 0,
    equity: 1e5,
    balance: 1e5,
    positions: new Map(Object.entries(positions).map(([k, p]) => [k, { ...p, tickets: [1] }])),
    alerts: [],
  };
}

const believed = (entries: Record<string, BelievedPosition>) => new Map(Object.entries(entries));

describe('reconcile', () => {
  it('nothing believed and nothing held: no mismatch', () => {
    expect(reconcile(new Map(), account({}), STEPS)).toEqual([]);
  });

  it('a flat pair believed, absent from account.json (or FLAT with zero lots there): no mismatch', () => {
    const mine = believed({ EURUSD_GBPUSD: { side: 0, lotsA: 0, lotsB: 0 } });
    expect(reconcile(mine, account({}), STEPS)).toEqual([]);
    expect(reconcile(mine, account({ EURUSD_GBPUSD: { side: 0, lotsA: 0, lotsB: 0 } }), STEPS)).toEqual([]);
  });

  it('the same position up to float noise and under half a lot step: no mismatch', () => {
    const mine = believed({
      EURUSD_GBPUSD: { side: 1, lotsA: 0.3, lotsB: -0.1 - 0.2 },
      XAUUSD_XAGUSD: { side: -1, lotsA: -0.05, lotsB: 2.3 },
    });
    const held = account({
      EURUSD_GBPUSD: { side: 1, lotsA: 0.30000000001, lotsB: -0.3 },
      XAUUSD_XAGUSD: { side: -1, lotsA: -0.05, lotsB: 2.3 + 0.049 },
    });
    expect(reconcile(mine, held, STEPS)).toEqual([]);
  });

  it('a leg off by half a step or more, another side, or a position the shard does not know of: mismatch, sorted by pair', () => {
    const mine = believed({
      XAUUSD_XAGUSD: { side: -1, lotsA: -0.05, lotsB: 2.3 },
      EURUSD_GBPUSD: { side: 1, lotsA: 0.3, lotsB: -0.3 },
    });
    const legOff = account({
      XAUUSD_XAGUSD: { side: -1, lotsA: -0.05, lotsB: 2.35 },
      EURUSD_GBPUSD: { side: 1, lotsA: 0.31, lotsB: -0.3 },
    });
    expect(reconcile(mine, legOff, STEPS).map((m) => m.pairId)).toEqual(['EURUSD_GBPUSD', 'XAUUSD_XAGUSD']);

    const otherSide = account({
      EURUSD_GBPUSD: { side: -1, lotsA: 0.3, lotsB: -0.3 },
      XAUUSD_XAGUSD: { side: -1, lotsA: -0.05, lotsB: 2.3 },
    });
    expect(reconcile(mine, otherSide, STEPS)).toEqual([
      {
        pairId: 'EURUSD_GBPUSD',
        believed: { side: 1, lotsA: 0.3, lotsB: -0.3 },
        broker: { side: -1, lotsA: 0.3, lotsB: -0.3 },
      },
    ]);

    const unknown = account({ EURUSD_GBPUSD: { side: -1, lotsA: -0.2, lotsB: 0.2 } });
    expect(reconcile(new Map(), unknown, STEPS)).toEqual([
      {
        pairId: 'EURUSD_GBPUSD',
        believed: { side: 0, lotsA: 0, lotsB: 0 },
        broker: { side: -1, lotsA: -0.2, lotsB: 0.2 },
      },
    ]);
  });

  it('a position the shard believes open that the broker no longer holds: mismatch', () => {
    const mine = believed({ EURUSD_GBPUSD: { side: 1, lotsA: 0.3, lotsB: -0.3 } });
    expect(reconcile(mine, account({}), STEPS)).toEqual([
      {
        pairId: 'EURUSD_GBPUSD',
        believed: { side: 1, lotsA: 0.3, lotsB: -0.3 },
        broker: { side: 0, lotsA: 0, lotsB: 0 },
      },
    ]);
  });

  it('pairs of other shards in account.json are not this shard’s business', () => {
    expect(reconcile(new Map(), account({ AUDUSD_NZDUSD: { side: 1, lotsA: 1, lotsB: -1 } }), STEPS)).toEqual([]);
  });
});
