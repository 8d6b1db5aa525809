// pt retention on a real store: the dry run lists exactly what apply does; the grace purge waits
// delete_grace_days; the guard keeps what the 180-bar windows and walk-forward need.
import { readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  listCanonicalInventory,
  lockSymbol,
  newestParquetTimestamp,
  openBarStore,
} from '../../src/adapters/duckdb/index.js';
import { warmupBars } from '../../src/config/crossRules.js';
import { barsPerDay } from '../../src/core/time.js';
import { runRetentionJob } from '../../src/retention/runRetentionJob.js';
import { buildRetentionFixture, SYMBOLS, tinyConfig, type RetentionFixture } from './retentionFixture.js';

const NOW = Date.UTC(2026, 0, 15, 12);
const DAY = 86_400_000;
let fixture: RetentionFixture | undefined;

afterEach(async () => {
  if (fixture) await rm(fixture.root, { recursive: true, force: true });
  fixture = undefined;
});

function job(f: RetentionFixture, dryRun: boolean, now = NOW) {
  return runRetentionJob(
    tinyConfig(),
    { data: f.data, models: f.models, reports: f.reports, signals: f.signals, auditLogPath: f.auditLogPath, dryRun },
    {
      listCanonical: listCanonicalInventory,
      newestTimestamp: newestParquetTimestamp,
      lockSymbol: (tf, symbol) => lockSymbol(f.data, tf, symbol, { noWait: true }),
      now: () => now,
    },
  );
}

describe('pt retention apply', () => {
  it('moves and purges exactly what the dry run listed, and records the list in the audit log', async () => {
    const f = (fixture = await buildRetentionFixture());
    const dry = await job(f, true);
    expect(dry.moves.length).toBeGreaterThan(0);
    expect(dry.purges.map((p) => p.path)).toEqual([join(f.data, '.trash', '2024-09-01T000000Z')]);
    expect(existsSync(f.auditLogPath)).toBe(false);
    for (const m of dry.moves) expect(existsSync(m.path)).toBe(true);

    const applied = await job(f, false);
    expect(applied.moves).toEqual(dry.moves);
    expect(applied.purges).toEqual(dry.purges);
    expect(applied.listSha256).toBe(dry.listSha256);
    for (const m of applied.moves) {
      expect(existsSync(m.path)).toBe(false);
      expect(existsSync(m.to)).toBe(true);
      // Under the trash of the folder it came from: models/, reports/, else data/ (signals included).
      const root = m.kind === 'models' ? f.models : m.kind === 'reports' ? f.reports : f.data;
      expect(m.to).toBe(join(root, '.trash', '2026-01-15T120000Z', m.path.slice(root.length + 1)));
    }
    expect(existsSync(join(f.data, '.trash', '2024-09-01T000000Z'))).toBe(false);

    // What goes, kind by kind: the months before the guard, the pair that left, the model neither in
    // force nor its predecessor with its predictions, the old signal days and the old report.
    const moved = applied.moves.map((m) => m.path.slice(f.root.length + 1));
    // The guard: max(2 months of history, 2 of walk-forward) + 4 of warm-up (380 bars at 126 4h bars a month) = 6 months back from 2024-09.
    const months = ['2024-01', '2024-02'];
    expect(moved).toEqual([
      ...SYMBOLS.slice()
        .sort()
        .flatMap((s) => months.map((m) => `data/canonical/4h/${s}/2024/${m}`)),
      'data/features/4h/EURUSD_GBPUSD',
      'data/labels/4h/EURUSD_GBPUSD',
      'data/predictions/4h/metals/20230301_0300_ccccccc',
      'data/replay/signals/history/date=2023-01-05',
      'data/signals/history/date=2023-01-05',
      'reports/optimize/run-old',
      'models/20230301_0300_ccccccc',
    ]);
    const kept = applied.plan.kept.map((k) => k.path.slice(f.root.length + 1));
    expect(kept).toContain('data/features/4h/XAUUSD_XAGUSD');
    expect(kept).toContain('models/20230201_0300_bbbbbbb');
    expect(kept).toContain('models/20230101_0300_aaaaaaa');

    const lines = (await readFile(f.auditLogPath, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({
      action: 'retention.apply',
      list_sha256: dry.listSha256,
      batch: '2026-01-15T120000Z',
    });
    expect((entry.after as { trashed: Record<string, number> }).trashed.canonical).toBe(4);

    // Nothing is due right after: a second dry run lists nothing to trash.
    expect((await job(f, true)).moves).toEqual([]);
  });

  it('keeps, with canonical_months 1, the bars a 180-bar window and walk-forward need back from the newest bar', async () => {
    const f = (fixture = await buildRetentionFixture());
    const config = tinyConfig();
    await job(f, false);
    const store = await openBarStore(f.data);
    try {
      const bpd = barsPerDay('4h');
      const needBars = Math.max(
        180,
        warmupBars(config.features_policy) +
          (config.retrain_policy.wf_min_train_days + config.retrain_policy.wf_step_days) * bpd,
      );
      for (const s of SYMBOLS) {
        const bars = await store.readBars(s, '4h');
        const newest = bars.ts[bars.length - 1]!;
        expect(bars.length).toBeGreaterThanOrEqual(needBars);
        // And min_training_months of calendar history before the newest bar.
        const first = new Date(bars.ts[0]!);
        const trainingStart = new Date(newest);
        trainingStart.setUTCMonth(trainingStart.getUTCMonth() - config.retrain_policy.min_training_months);
        expect(first.getTime()).toBeLessThanOrEqual(trainingStart.getTime());
        // The store was trimmed: its first month now is March (the guard's first).
        expect(first.toISOString().slice(0, 7)).toBe('2024-03');
      }
    } finally {
      await store.close();
    }
  });

  it("waits for a writer: with --no-wait it fails while an ingest holds a symbol's lock, having moved none of its months", async () => {
    const f = (fixture = await buildRetentionFixture());
    const held = await lockSymbol(f.data, '4h', 'XAGUSD', { noWait: true });
    try {
      await expect(job(f, false)).rejects.toMatchObject({ id: 'DATA_STORAGE_LOCKED' });
      expect(existsSync(join(f.data, 'canonical', '4h', 'XAGUSD', '2024', '2024-01'))).toBe(true);
    } finally {
      await held.release();
    }
  });

  it('purges a trash batch only once delete_grace_days (3) have passed since it was made', async () => {
    const f = (fixture = await buildRetentionFixture());
    const first = await job(f, false);
    const batch = join(f.data, '.trash', first.plan.batch);
    expect(existsSync(batch)).toBe(true);

    const early = await job(f, false, NOW + 3 * DAY - 1000);
    expect(early.purges).toEqual([]);
    expect(existsSync(batch)).toBe(true);

    const due = await job(f, true, NOW + 3 * DAY);
    expect(due.purges.map((p) => p.path).sort()).toEqual(
      [f.data, f.models, f.reports].map((r) => join(r, '.trash', first.plan.batch)).sort(),
    );
    await job(f, false, NOW + 3 * DAY);
    expect(existsSync(batch)).toBe(false);
    expect(existsSync(join(f.models, '.trash', first.plan.batch))).toBe(false);
  });
});
