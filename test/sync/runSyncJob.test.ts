// pt sync's job against a real PostgreSQL schema: every source shipped exactly (row counts equal the
// files', keyed so a re-run adds 0), two shards at once into the same tables, appends, torn and replaced
// files, and the signals history's highest-seq rule.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParquetTable } from '../../src/adapters/duckdb/index.js';
import { connectPg, migrate, PgHistoryStore } from '../../src/adapters/postgres/index.js';
import { SignalHistory } from '../../src/live/signal/signalHistory.js';
import { writeParquetTable } from '../../src/adapters/duckdb/index.js';
import { runSyncJob, type SyncJobOptions, type SyncJobResult } from '../../src/sync/runSyncJob.js';
import { createTestSchema, postgresAvailable, type TestSchema } from '../helpers/postgres.js';
import {
  signalFile,
  syncPaths,
  writeAccount,
  writeAlerts,
  writeDdChanges,
  writeFills,
  writeSignals,
  type SyncPaths,
} from '../helpers/syncSources.js';
import { capturedLogger } from '../helpers/logLines.js';

const up = await postgresAvailable();

describe.runIf(up)('pt sync job', () => {
  let schema: TestSchema;
  let root = '';
  beforeAll(async () => {
    schema = await createTestSchema('syncjob');
    const c = await connectPg(schema.url);
    await migrate(c, { lockTimeoutMs: 10_000 });
    await c.end();
  });
  afterAll(async () => {
    await schema?.drop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const options = (p: SyncPaths, o: Partial<SyncJobOptions> = {}): SyncJobOptions => ({
    shards: [0, 1],
    host: 'test-host',
    historyDir: p.historyDir,
    fillsDir: p.fillsDir,
    auditPath: p.auditPath,
    alertsPath: p.alertsPath,
    batchSize: 7,
    once: true,
    intervalMs: 1000,
    ...o,
  });
  const sync = async (o: SyncJobOptions, log?: ReturnType<typeof capturedLogger>['log']): Promise<SyncJobResult> => {
    const store = await PgHistoryStore.open(schema.url);
    try {
      return await runSyncJob(o, {
        store,
        readTable: readParquetTable,
        stopRequested: () => false,
        sleep: async () => {},
        ...(log ? { log } : {}),
      });
    } finally {
      await store.close();
    }
  };
  const count = async (table: string, where = 'true', params: unknown[] = []) =>
    (await schema.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params))[0]!.n;
  const clear = () => schema.query('TRUNCATE signals, fills, account_snapshots, dd_levels, alerts, sync_cursors');

  it('ships every source exactly, two shards at once into the same tables; a re-run adds 0', async () => {
    await clear();
    root = mkdtempSync(join(tmpdir(), 'pt-sync-'));
    const p = syncPaths(root);
    const ids0 = await writeSignals(p.historyDir, 0, { files: 30, perBatch: 4 });
    const ids1 = await writeSignals(p.historyDir, 1, { files: 25 });
    writeFills(p.fillsDir, 0, 40);
    writeFills(p.fillsDir, 1, 9);
    // An EA request that made no deal (deal 0), twice: known by its line.
    appendFileSync(
      join(p.fillsDir, 'shard_1', 'fills.csv'),
      '2025-01-07T00:00:00.000Z,P1A,0,A,XAUUSD,BUY,0,0.1,0,0,0,0,10004\n'.repeat(2),
    );
    const alertIds = await writeAlerts(p.alertsPath, 23);
    await writeDdChanges(join(root, 'ops0'), p.auditPath, 0);
    await writeDdChanges(join(root, 'ops1'), p.auditPath, 1);
    writeAccount(p.accountPath, '2025-01-07T10:00:00.000Z', 101_000);

    // Two shards' syncs at the same time: each its own connection, the alerts file and audit log shared.
    const [a, b] = await Promise.all([
      sync(options(p, { shards: [0], account: { path: p.accountPath, shard: 0 } })),
      sync(options(p, { shards: [1] })),
    ]);
    expect(await count('signals')).toBe(ids0.size + ids1.size);
    expect(await count('signals', 'shard = 0')).toBe(ids0.size);
    expect(await count('fills', 'shard = 0')).toBe(40);
    expect(await count('fills', 'shard = 1')).toBe(11);
    expect(await count('fills', "fill_id LIKE 'line:%'")).toBe(2);
    expect(await count('alerts')).toBe(alertIds.length);
    expect(await count('alerts', 'event_id = ANY($1)', [alertIds])).toBe(alertIds.length);
    expect(await count('dd_levels')).toBe(6);
    expect(await count('account_snapshots')).toBe(1);
    // Each alert was added by one of the two.
    expect(a.added.alerts + b.added.alerts).toBe(alertIds.length);
    expect(a.added.signals).toBe(ids0.size);
    expect(a.last.sources.find((s) => s.table === 'signals')!.batches).toBeGreaterThan(1);

    // What the rows hold: the history's values, NULLs where the file had none.
    const [sig] = await schema.query<Record<string, unknown>>(
      `SELECT shard, seq, pair_id, bar_ts, z, return_prob, target_legs, expires_at, reason FROM signals WHERE signal_id = $1`,
      [[...ids0.keys()][0]],
    );
    expect(sig).toMatchObject({
      shard: 0,
      seq: '1000',
      pair_id: 'P0A',
      z: null,
      return_prob: null,
      target_legs: [],
      expires_at: null,
    });
    expect((sig!.bar_ts as Date).toISOString()).toBe('2025-01-06T00:00:00.000Z');
    const dd = await schema.query<{ level: string; before_level: string | null }>(
      'SELECT level, before_level FROM dd_levels WHERE shard = 1 ORDER BY bar_ts',
    );
    expect(dd).toEqual([
      { level: 'warn', before_level: 'normal' },
      { level: 'flatten', before_level: 'warn' },
      { level: 'normal', before_level: 'flatten' },
    ]);
    const [fill] = await schema.query('SELECT fill_id, deal, reduce, price FROM fills WHERE shard = 0 AND deal = 3');
    expect(fill).toEqual({ fill_id: 'deal:3', deal: '3', reduce: true, price: 2000.02 });

    const again = await sync(options(p, { account: { path: p.accountPath, shard: 0 } }));
    expect(again.added).toEqual({ signals: 0, fills: 0, account_snapshots: 0, dd_levels: 0, alerts: 0 });
    expect(again.last.sources.every((s) => s.batches === 0)).toBe(true);
  });

  it('takes what was appended since; a torn last line waits; a replaced file is read again from its start', async () => {
    await clear();
    const dir = mkdtempSync(join(tmpdir(), 'pt-sync-app-'));
    try {
      const p = syncPaths(dir);
      await writeAlerts(p.alertsPath, 3);
      writeFills(p.fillsDir, 0, 4);
      const o = options(p, { shards: [0] });
      await sync(o);
      expect(await count('alerts')).toBe(3);
      // A writer mid-append: the line without its newline is not taken, the complete one before it is.
      const more = await writeAlerts(join(dir, 'more.jsonl'), 2);
      const moreText = readFileSync(join(dir, 'more.jsonl'), 'utf8');
      const cut = moreText.indexOf('\n') + 10;
      appendFileSync(p.alertsPath, moreText.slice(0, cut));
      expect((await sync(o)).added.alerts).toBe(1);
      appendFileSync(p.alertsPath, moreText.slice(cut));
      expect((await sync(o)).added.alerts).toBe(1);
      expect(await count('alerts', 'event_id = ANY($1)', [more])).toBe(2);
      expect(await count('alerts')).toBe(5);

      writeFills(p.fillsDir, 0, 3, 5);
      expect((await sync(o)).added.fills).toBe(3);
      // pt paper --history rewrites its log: another file, other tickets, fewer lines than read before.
      rmSync(join(p.fillsDir, 'shard_0', 'fills.csv'));
      writeFills(p.fillsDir, 0, 2, 101);
      expect((await sync(o)).added.fills).toBe(2);
      expect(await count('fills')).toBe(9);

      // A line no writer of pt makes is skipped and logged, the rest taken.
      appendFileSync(p.alertsPath, 'not json\n');
      await writeAlerts(p.alertsPath, 1);
      const { log, lines } = capturedLogger();
      const skipped = await sync(o, log);
      expect(skipped.added.alerts).toBe(1);
      expect(skipped.last.sources.find((s) => s.table === 'alerts')!.skipped).toBe(1);
      expect(lines.filter((l) => l.event === 'sync_line_skipped')).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bar processed again after a restart (same signal_id, higher seq) keeps the row of the highest seq', async () => {
    await clear();
    const dir = mkdtempSync(join(tmpdir(), 'pt-sync-seq-'));
    try {
      const p = syncPaths(dir);
      const history = new SignalHistory(p.historyDir, writeParquetTable);
      await history.append(signalFile(0, 10, 0, 'first'));
      const o = options(p, { shards: [0] });
      await sync(o);
      await history.append(signalFile(0, 20, 0, 'again'));
      // And the same twice within one batch.
      await history.appendBatch([signalFile(0, 30, 1, 'x'), signalFile(0, 31, 1, 'y')]);
      await sync(o);
      expect(await schema.query('SELECT seq, reason FROM signals ORDER BY bar_ts, pair_id')).toEqual([
        { seq: '20', reason: 'again' },
        { seq: '20', reason: 'again' },
        { seq: '31', reason: 'y' },
        { seq: '31', reason: 'y' },
      ]);
      // An older file seen later (another host's copy) changes nothing.
      expect((await sync({ ...o, host: 'other-host' })).added.signals).toBe(0);
      expect(await count('signals', "reason = 'again'")).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
