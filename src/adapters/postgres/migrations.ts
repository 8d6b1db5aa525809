// The history's schema: numbered .sql files (migrations/NNN_name.sql), each applied once, in order, in its
// own transaction, recorded in schema_migrations; every migrator holds an advisory lock of the schema
// meanwhile, so concurrent runs apply each file once and a second run applies nothing.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { PtError } from '../../core/ptError.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  sha256: string;
}

export interface MigrateResult {
  /** The schema migrated (the connection's current_schema()). */
  schema: string;
  applied: string[];
  /** Migrations already there before this run. */
  present: number;
  latest: number;
}

/**
 * The .sql files sit beside this module in src/; tsc does not copy them, so the compiled module
 * (dist/adapters/postgres/) reads them from the source tree three folders up, as `pt` runs from the repo.
 */
function migrationsDir(): string {
  const candidates = [
    new URL('./migrations/', import.meta.url),
    new URL('../../../src/adapters/postgres/migrations/', import.meta.url),
  ].map((u) => fileURLToPath(u));
  const dir = candidates.find((d) => existsSync(d));
  if (dir === undefined)
    throw new PtError('OPS_PG_MIGRATE', `no migrations folder at ${candidates.join(' or ')}`, { source: 'postgres' });
  return dir;
}

/** Every migration file, by version; a gap or a repeated number is refused. */
export function loadMigrations(dir: string = migrationsDir()): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const out = files.map((f) => {
    const m = /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(f);
    if (!m)
      throw new PtError('OPS_PG_MIGRATE', `migration file ${f} is not named NNN_name.sql`, { source: 'postgres' });
    const sql = readFileSync(`${dir}/${f}`, 'utf8');
    return { version: Number(m[1]), name: f, sql, sha256: createHash('sha256').update(sql).digest('hex') };
  });
  out.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new PtError('OPS_PG_MIGRATE', `migration ${m.name} is out of sequence: expected number ${i + 1}`, {
        source: 'postgres',
      });
  });
  return out;
}

export const LATEST_MIGRATION = (): number => loadMigrations().length;

/** The advisory lock key of a schema's migrations (two schemas migrate independently). */
const LOCK_KEY_SQL = `hashtext('pt.schema_migrations:' || current_schema())`;

async function currentSchema(client: pg.Client): Promise<string> {
  const r = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
  const schema = r.rows[0]?.schema ?? null;
  if (schema === null)
    throw new PtError(
      'OPS_PG_MIGRATE',
      'the connection has no current schema: no schema of its search_path exists (create it, or fix the search_path of PG_URL)',
      { source: 'postgres' },
    );
  return schema;
}

/**
 * Applies the migrations not yet recorded. Waits up to `lockTimeoutMs` for another migrator; a recorded
 * migration whose file changed since is refused (OPS_PG_MIGRATE), as is any SQL error (its transaction
 * rolled back: the schema is as before that file).
 */
export async function migrate(
  client: pg.Client,
  o: { lockTimeoutMs: number; migrations?: Migration[] },
): Promise<MigrateResult> {
  const migrations = o.migrations ?? loadMigrations();
  const schema = await currentSchema(client);
  await client.query(`SET lock_timeout = ${Math.max(1, Math.round(o.lockTimeoutMs))}`);
  try {
    await client.query(`SELECT pg_advisory_lock(${LOCK_KEY_SQL})`);
  } catch (error) {
    throw new PtError(
      'OPS_PG_MIGRATE',
      `another pt db migrate held the lock of schema ${schema} for more than ${o.lockTimeoutMs} ms: ${(error as Error).message}`,
      { source: 'postgres', cause: error },
    );
  }
  try {
    await client.query('SET lock_timeout = 0');
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      sha256 text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Map(
      (
        await client.query<{ version: number; name: string; sha256: string }>(
          'SELECT version, name, sha256 FROM schema_migrations',
        )
      ).rows.map((r) => [r.version, r]),
    );
    const applied: string[] = [];
    for (const m of migrations) {
      const was = done.get(m.version);
      if (was !== undefined) {
        if (was.sha256 !== m.sha256)
          throw new PtError(
            'OPS_PG_MIGRATE',
            `migration ${m.name} changed after it was applied to schema ${schema} (as ${was.name}): add a new numbered file instead of editing an applied one`,
            { source: 'postgres' },
          );
        continue;
      }
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, sha256) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          m.sha256,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw new PtError(
          'OPS_PG_MIGRATE',
          `migration ${m.name} failed on schema ${schema} and was rolled back: ${(error as Error).message}`,
          { source: 'postgres', cause: error },
        );
      }
      applied.push(m.name);
    }
    return { schema, applied, present: done.size, latest: migrations.length };
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY_SQL})`).catch(() => {});
  }
}

/** The schema's latest applied migration, or OPS_PG_SCHEMA when it is behind this pt's (run pt db migrate). */
export async function requireMigrated(client: pg.Client): Promise<void> {
  const latest = LATEST_MIGRATION();
  const schema = await currentSchema(client);
  const present = await client.query<{ ok: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS ok");
  const have = present.rows[0]?.ok
    ? ((await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations')).rows[0]?.v ?? 0)
    : 0;
  if (have < latest)
    throw new PtError(
      'OPS_PG_SCHEMA',
      `schema ${schema} is at migration ${have}, this pt needs ${latest}: run pt db migrate first`,
      { source: 'postgres', exitCode: 2 },
    );
}
