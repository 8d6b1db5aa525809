// The planner alone, on hand-made inventories: model versions in force and their predecessors, a
// stale store, the audit log, and the grace period.
import { describe, expect, it } from 'vitest';
import { planRetention } from '../../src/retention/planRetention.js';
import { retentionPolicyFrom } from '../../src/retention/retentionPolicy.js';
import type { RetentionInventory } from '../../src/retention/retentionTypes.js';
import { tinyConfig } from './retentionFixture.js';

const NOW = Date.UTC(2026, 0, 15);
const DAY = 86_400_000;

function inventory(over: Partial<RetentionInventory> = {}): RetentionInventory {
  return {
    canonical: [],
    pairFolders: [],
    predictions: [],
    signalDays: [],
    reports: [],
    models: { versions: [], current: [], badPointers: [] },
    trashBatches: [],
    roots: { data: '/d', models: '/m', reports: '/r', signals: '/s' },
    auditLogPath: '/d/ops/audit.jsonl',
    ...over,
  };
}

const version = (name: string, group: string | undefined) => ({
  version: name,
  path: `/m/${name}`,
  createdAtMs: Date.UTC(Number(name.slice(0, 4)), Number(name.slice(4, 6)) - 1, Number(name.slice(6, 8))),
  group,
});

describe('planRetention', () => {
  const policy = retentionPolicyFrom(tinyConfig());

  it("keeps each group's version in force and its predecessor of the same group, and deletes the other old versions", () => {
    const versions = [
      version('20220101_0000_0000001', 'metals'),
      version('20220201_0000_0000002', 'metals'),
      version('20220301_0000_0000003', 'majors'),
      version('20220401_0000_0000004', 'metals'),
      version('20220501_0000_0000005', 'majors'),
      version('20251201_0000_0000006', 'metals'),
    ];
    const plan = planRetention(
      inventory({
        models: {
          versions,
          current: [
            { group: 'metals', version: '20220401_0000_0000004', pointer: '/m/metals/CURRENT' },
            { group: 'majors', version: '20220501_0000_0000005', pointer: '/m/majors/CURRENT' },
          ],
          badPointers: [],
        },
      }),
      policy,
      NOW,
    );
    // metals: 4 in force, 2 its predecessor (3 is majors'); majors: 5 in force, 3 its predecessor;
    // 6 is the newest (model_version_retention 1) and young anyway.
    expect(plan.trash.map((i) => i.path)).toEqual(['/m/20220101_0000_0000001']);
    expect(plan.kept.map((k) => [k.path, k.reason.split(' but ')[1]])).toEqual([
      ['/m/20220201_0000_0000002', 'predecessor of 20220401_0000_0000004, in force for group metals (rollback target)'],
      ['/m/20220301_0000_0000003', 'predecessor of 20220501_0000_0000005, in force for group majors (rollback target)'],
      ['/m/20220401_0000_0000004', 'in force: /m/metals/CURRENT names it'],
      ['/m/20220501_0000_0000005', 'in force: /m/majors/CURRENT names it'],
    ]);
  });

  it('deletes no model version while a CURRENT pointer names none that is stored', () => {
    const plan = planRetention(
      inventory({
        models: {
          versions: [version('20220101_0000_0000001', 'metals')],
          current: [],
          badPointers: ['/m/metals/CURRENT'],
        },
      }),
      { ...policy, modelVersionRetention: 0 },
      NOW,
    );
    expect(plan.trash).toEqual([]);
    expect(plan.kept[0]!.reason).toMatch(/\/m\/metals\/CURRENT names no stored version/);
  });

  it('keeps every month of a store that stopped updating: the guard counts back from its newest bar, not from the clock', () => {
    const months = ['2021-01', '2021-02', '2021-03', '2021-04', '2021-05', '2021-06', '2021-07', '2021-08'];
    const plan = planRetention(
      inventory({
        canonical: [
          {
            timeframe: '4h',
            symbol: 'XAUUSD',
            dir: '/d/canonical/4h/XAUUSD',
            newestTsMs: Date.UTC(2021, 7, 20),
            partitions: months.map((m) => ({ month: m, path: `/d/canonical/4h/XAUUSD/2021/${m}` })),
          },
        ],
      }),
      policy,
      NOW,
    );
    // Guard 6 months back from 2021-08: 2021-02 … 2021-08 stay; only January goes.
    expect(plan.trash.map((i) => i.path)).toEqual(['/d/canonical/4h/XAUUSD/2021/2021-01']);
    expect(plan.kept).toHaveLength(7);
    expect(plan.kept[0]!.reason).toMatch(/inside the guard: 6 months back from the newest 4h bar 2021-08-20/);
  });

  it('never lists the audit log or a folder holding it', () => {
    const plan = planRetention(
      inventory({
        reports: [{ path: '/r/ops', newestMtimeMs: Date.UTC(2020, 0, 1) }],
        auditLogPath: '/r/ops/audit.jsonl',
        roots: { data: '/d', models: '/m', reports: '/r', signals: '/s' },
      }),
      policy,
      NOW,
    );
    expect(plan.trash).toEqual([]);
    expect(plan.kept[0]!.reason).toMatch(/audit log/);
  });

  it('purges a batch from delete_grace_days after it was made, not before', () => {
    const made = Date.UTC(2026, 0, 10, 3);
    const inv = inventory({
      trashBatches: [
        { root: '/d', batch: '2026-01-10T030000Z', path: '/d/.trash/2026-01-10T030000Z', createdAtMs: made },
      ],
    });
    expect(planRetention(inv, policy, made + policy.graceDays * DAY - 1).purge).toEqual([]);
    expect(planRetention(inv, policy, made + policy.graceDays * DAY).purge.map((p) => p.path)).toEqual([
      '/d/.trash/2026-01-10T030000Z',
    ]);
  });
});
