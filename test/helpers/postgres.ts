// A PostgreSQL schema of its own for each test file (127.0.0.1:5432, database test): PG_URL points its
// search_path there, so parallel runs never see each other's tables. Under CI=true a missing server fails.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { requireService } from './services.js';

export const PG_BASE_URL = process.env.PT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  name: string;
  /** PG_URL whose search_path is the schema. */
  url: string;
  /** A client on the schema (for the test's own queries). */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

export async function postgresAvailable(): Promise<boolean> {
  return requireService('PostgreSQL', 5432);
}

export async function createTestSchema(label: string): Promise<TestSchema> {
  const name = `pt_test_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = `${PG_BASE_URL}?options=${encodeURIComponent(`-c search_path=${name}`)}`;
  const admin = new pg.Client({ connectionString: PG_BASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${name}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    name,
    url,
    query: async <R extends pg.QueryResultRow>(sql: string, params?: unknown[]) =>
      (await client.query<R>(sql, params)).rows,
    drop: async () => {
      await client.end();
      await admin.query(`DROP SCHEMA ${name} CASCADE`);
      await admin.end();
    },
  };
}
