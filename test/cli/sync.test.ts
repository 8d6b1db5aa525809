// pt sync as a user runs it (dist): SIGKILLed mid-run, then run again — every source's rows exactly once;
// two shards' syncs at once; a third run adds 0. The files are written by pt's own writers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, postgresAvailable, type TestSchema } from '../helpers/postgres.js';
import { runPt, runPtAsync } from '../helpers/runPt.js';
import {
  syncPaths,
  writeAccount,
  writeAlerts,
  writeDdChanges,
  writeFills,
  writeSignals,
  type SyncPaths,
} from '../helpers/syncSources.js';

const up = await postgresAvailable();

describe.runIf(up)('pt sync (CLI)', () => {
  let schema: TestSchema;
  let root = '';
  let p: SyncPaths;
  const expected = { signals: 0, fills0: 3000, fills1: 700, alerts: 2500, dd: 6 };
  beforeAll(async () => {
    schema = await createTestSchema('synccli');
    root = mkdtempSync(join(tmpdir(), 'pt-sync-cli-'));
    p = syncPaths(root);
    expected.signals =
      (await writeSignals(p.historyDir, 0, { files: 120, perBatch: 3 })).size +
      (await writeSignals(p.historyDir, 1, { files: 60 })).size;
    writeFills(p.fillsDir, 0, expected.fills0);
    writeFills(p.fillsDir, 1, expected.fills1);
    await writeAlerts(p.alertsPath, expected.alerts);
    await writeDdChanges(join(root, 'ops0'), p.auditPath, 0);
    await writeDdChanges(join(root, 'ops1'), p.auditPath, 1);
    writeAccount(p.accountPath, '2025-01-07T10:00:00.000Z', 99_000);
  });
  afterAll(async () => {
    await schema?.drop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const args = (shard: number, ...more: string[]) => [
    'sync',
    ...['--shard', String(shard), '--once', '--signal-dir', p.signalDir, '--ops-dir', p.opsDir],
    ...['--audit', p.auditPath, ...(shard === 0 ? ['--account', p.accountPath] : [])],
    ...more,
  ];
  const n = async (sql: string) => (await schema.query<{ n: number }>(sql))[0]!.n;
  const rows = () =>
    n(
      `SELECT ((SELECT count(*) FROM signals) + (SELECT count(*) FROM fills) + (SELECT count(*) FROM alerts))::int AS n`,
    );

  it('refuses a schema not migrated yet, and says PG_URL is needed without it', () => {
    const before = runPt(args(0), { PG_URL: schema.url });
    expect(before.code).toBe(2);
    expect(before.stderr).toMatch(
      /^ERROR OPS_PG_SCHEMA: schema pt_test_synccli_\S+ is at migration 0, this pt needs \d+: run pt db migrate first\n$/,
    );
    const none = runPt(args(0), { PG_URL: '' });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^ERROR CORE_ENV_MISSING: PG_URL is not set: pt sync needs a PostgreSQL URL/);
    expect(runPt(['db', 'migrate'], { PG_URL: schema.url }).code).toBe(0);
  });

  it('SIGKILLed mid-run, then run again (two shards at once): every row once; a third run adds 0', async () => {
    const total0 = expected.fills0 + expected.alerts;
    let pid = 0;
    let atKill = -1;
    const killed = runPtAsync(args(0, '--batch', '10'), {
      env: { PG_URL: schema.url },
      onStart: (id) => (pid = id),
    });
    // Kill it once some batches are in, well before the end.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const now = await rows();
      if (now >= 300) {
        process.kill(pid, 'SIGKILL');
        atKill = now;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const k = await killed;
    expect(k.code, k.stderr).not.toBe(0);
    expect(atKill).toBeGreaterThanOrEqual(300);
    const after = await rows();
    expect(after).toBeLessThan(total0);

    // What was committed is whole batches with their cursors: a line file's rows are exactly its lines up to the cursor.
    const cursors = await schema.query<{ source: string; scope: string; position: { line?: number } }>(
      'SELECT source, scope, position FROM sync_cursors',
    );
    for (const c of cursors.filter((x) => x.source === 'fills' || x.source === 'alerts')) {
      const table = c.source === 'fills' ? 'fills WHERE shard = 0' : 'alerts';
      const header = c.source === 'fills' ? 1 : 0;
      expect(await n(`SELECT count(*)::int AS n FROM ${table}`), c.scope).toBe(c.position.line! - header);
    }

    const [r0, r1] = await Promise.all(
      [0, 1].map((s) => runPtAsync(args(s, '--batch', '50'), { env: { PG_URL: schema.url } })),
    );
    expect(r0!.code, r0!.stderr).toBe(0);
    expect(r1!.code, r1!.stderr).toBe(0);
    expect(await n('SELECT count(*)::int AS n FROM signals')).toBe(expected.signals);
    expect(await n('SELECT count(DISTINCT signal_id)::int AS n FROM signals')).toBe(expected.signals);
    expect(await n('SELECT count(*)::int AS n FROM fills WHERE shard = 0')).toBe(expected.fills0);
    expect(await n('SELECT count(*)::int AS n FROM fills WHERE shard = 1')).toBe(expected.fills1);
    expect(await n('SELECT count(DISTINCT (shard, deal))::int AS n FROM fills')).toBe(
      expected.fills0 + expected.fills1,
    );
    expect(await n('SELECT count(*)::int AS n FROM alerts')).toBe(expected.alerts);
    expect(await n("SELECT count(DISTINCT details->>'n')::int AS n FROM alerts")).toBe(expected.alerts);
    expect(await n('SELECT count(*)::int AS n FROM dd_levels')).toBe(expected.dd);
    expect(await n('SELECT count(*)::int AS n FROM account_snapshots')).toBe(1);
    expect(r0!.stdout).toMatch(/^fills shard 0 +\d+ added of \d+ read/m);

    const third = runPt(args(0), { PG_URL: schema.url });
    expect(third.code, third.stderr).toBe(0);
    const lines = third.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s{2,}/)[0])).toEqual([
      'signals shard 0',
      'fills shard 0',
      'account_snapshots shard 0',
      'dd_levels shard 0',
      'alerts',
    ]);
    for (const l of lines) expect(l).toMatch(/ 0 added of 0 read in 0 batches/);
  });

  it('without --once: a pass every --interval until SIGTERM, then exit 0', async () => {
    let pid = 0;
    let termed = false;
    const r = await runPtAsync(
      args(1)
        .filter((a) => a !== '--once')
        .concat('--interval', '1'),
      {
        env: { PG_URL: schema.url },
        onStart: (id) => (pid = id),
        onStderr: (text) => {
          // After the second pass: the loop went round once.
          if (!termed && text.split('"sync_pass"').length > 2) {
            termed = true;
            process.kill(pid, 'SIGTERM');
          }
        },
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^sync of shard 1 into postgres:\/\/postgres@127\.0\.0\.1:5432\/test\S* every 1 s until SIGTERM or Ctrl-C\n[23] passes; rows added: signals 0, fills 0, account_snapshots 0, dd_levels 0, alerts 0\n$/,
    );
  });
});
