// pt db migrate: the repository's numbered migrations applied once each, in one transaction each, under an
// advisory lock — a second run and a concurrent one apply nothing; an edited or failing migration is refused.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPg, loadMigrations, migrate, requireMigrated } from '../../../src/adapters/postgres/index.js';
import { createTestSchema, postgresAvailable, type TestSchema } from '../../helpers/postgres.js';
import { runPt } from '../../helpers/runPt.js';

const up = await postgresAvailable();
const ALL = loadMigrations().map((m) => m.name);
const HISTORY_TABLES = [
  'account_snapshots',
  'alerts',
  'dd_levels',
  'fills',
  'schema_migrations',
  'signals',
  'sync_cursors',
];

describe.runIf(up)('PostgreSQL migrations', () => {
  const schemas: TestSchema[] = [];
  const clients: pg.Client[] = [];
  const schema = async (label: string) => {
    const s = await createTestSchema(label);
    schemas.push(s);
    return s;
  };
  const client = async (url: string) => {
    const c = await connectPg(url);
    clients.push(c);
    return c;
  };
  const tables = async (s: TestSchema) =>
    (
      await s.query<{ t: string }>(
        'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
        [s.name],
      )
    ).map((r) => r.t);
  beforeAll(() => expect(ALL.slice(0, 2)).toEqual(['001_history.sql', '002_analytics_indexes.sql']));
  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => {});
    for (const s of schemas) await s.drop();
  });

  it('applies every migration once: a second run applies nothing, and sync refuses a schema behind', async () => {
    const s = await schema('twice');
    const c = await client(s.url);
    await expect(requireMigrated(c)).rejects.toMatchObject({ id: 'OPS_PG_SCHEMA' });
    const first = await migrate(c, { lockTimeoutMs: 5000 });
    expect(first).toMatchObject({ schema: s.name, applied: ALL, present: 0 });
    const second = await migrate(c, { lockTimeoutMs: 5000 });
    expect(second).toMatchObject({ applied: [], present: first.latest });
    expect(await tables(s)).toEqual(HISTORY_TABLES);
    expect(await s.query('SELECT version, name FROM schema_migrations ORDER BY version')).toEqual(
      ALL.map((name, i) => ({ version: i + 1, name })),
    );
    await expect(requireMigrated(c)).resolves.toBeUndefined();
  });

  it('two migrators at once: each migration is applied by one of them, the other waits and applies nothing', async () => {
    const s = await schema('concurrent');
    const [a, b, c] = await Promise.all([client(s.url), client(s.url), client(s.url)]);
    const results = await Promise.all([a, b, c].map((x) => migrate(x, { lockTimeoutMs: 20_000 })));
    expect(results.flatMap((r) => r.applied).sort()).toEqual(ALL);
    expect(await s.query('SELECT count(*)::int AS n FROM schema_migrations')).toEqual([{ n: ALL.length }]);
    expect(await tables(s)).toEqual(HISTORY_TABLES);
  });

  it('refuses an applied migration that was edited, rolls a failing one back whole, and gives up on a held lock', async () => {
    const s = await schema('refusals');
    const c = await client(s.url);
    const real = loadMigrations();
    await migrate(c, { lockTimeoutMs: 5000, migrations: real });
    const edited = [{ ...real[0]!, sql: `${real[0]!.sql}\n-- edited`, sha256: 'x'.repeat(64) }, ...real.slice(1)];
    await expect(migrate(c, { lockTimeoutMs: 5000, migrations: edited })).rejects.toMatchObject({
      id: 'OPS_PG_MIGRATE',
      message: expect.stringMatching(/001_history\.sql changed after it was applied/),
    });
    const failing = [
      ...real,
      {
        version: real.length + 1,
        name: `${String(real.length + 1).padStart(3, '0')}_broken.sql`,
        sql: 'CREATE TABLE half_done (x int); SELECT 1/0;',
        sha256: 'y'.repeat(64),
      },
    ];
    await expect(migrate(c, { lockTimeoutMs: 5000, migrations: failing })).rejects.toMatchObject({
      id: 'OPS_PG_MIGRATE',
      message: expect.stringMatching(/\d{3}_broken\.sql failed .* rolled back: division by zero/),
    });
    expect(await tables(s)).not.toContain('half_done');
    expect(await s.query('SELECT max(version) AS v FROM schema_migrations')).toEqual([{ v: real.length }]);

    const holder = await client(s.url);
    await holder.query(`SELECT pg_advisory_lock(hashtext('pt.schema_migrations:' || current_schema()))`);
    const started = Date.now();
    await expect(migrate(c, { lockTimeoutMs: 300 })).rejects.toMatchObject({
      id: 'OPS_PG_MIGRATE',
      message: expect.stringMatching(/held the lock of schema .* for more than 300 ms/),
    });
    expect(Date.now() - started).toBeLessThan(5000);
    await holder.query(`SELECT pg_advisory_unlock_all()`);
  });

  it('pt db migrate (dist) finds the .sql files, and without PG_URL says so in one line', async () => {
    const s = await schema('cli');
    const first = runPt(['db', 'migrate'], { PG_URL: s.url });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`schema ${s.name}: applied 001_history\\.sql`));
    expect(runPt(['db', 'migrate'], { PG_URL: s.url }).stdout).toContain(
      `up to date (migration ${ALL.length} of ${ALL.length})`,
    );
    const none = runPt(['db', 'migrate'], { PG_URL: '' });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^ERROR CORE_ENV_MISSING: PG_URL is not set: pt db migrate needs a PostgreSQL URL/);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    const secret = runPt(['db', 'migrate'], { PG_URL: 'postgres://pt:hunter2@127.0.0.1:1/test' });
    expect(secret.stderr).toMatch(/^ERROR OPS_PG_CONNFAIL: .*postgres:\/\/pt:\*\*\*@127\.0\.0\.1:1\/test/);
    expect(secret.stderr).not.toContain('hunter2');
  });
});
