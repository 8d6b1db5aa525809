// The HistoryStore port on PostgreSQL: each batch is one transaction holding its cursor row locked, its
// rows inserted with ON CONFLICT on the table's key, the cursor moved; a crash rolls the batch back whole.
import type pg from 'pg';
import type { CursorKey, HistoryBatch, HistoryStore, SourceStep, StepResult } from '../../ports/historyStore.js';
import { connectPg } from './pgConnect.js';
import { requireMigrated } from './migrations.js';

type Column = readonly [name: string, pgType: string];

interface TableSpec {
  columns: readonly Column[];
  key: readonly string[];
  /** When set, a conflicting row replaces the stored one if this holds (else the stored one stays). */
  replaceWhen?: string;
}

const TABLES: Record<HistoryBatch['table'], TableSpec> = {
  signals: {
    columns: [
      ['signal_id', 'text'],
      ['shard', 'integer'],
      ['seq', 'bigint'],
      ['generated_at', 'timestamptz'],
      ['model_version', 'text'],
      ['stale', 'boolean'],
      ['global_halt', 'boolean'],
      ['leverage_scale', 'double precision'],
      ['pair_id', 'text'],
      ['bar_ts', 'timestamptz'],
      ['action', 'text'],
      ['side', 'text'],
      ['target_side', 'text'],
      ['target_lots_a', 'double precision'],
      ['target_lots_b', 'double precision'],
      ['target_legs', 'jsonb'],
      ['z', 'double precision'],
      ['beta', 'double precision'],
      ['return_prob', 'double precision'],
      ['risk_score', 'double precision'],
      ['position_scale', 'double precision'],
      ['reason', 'text'],
      ['expires_at', 'timestamptz'],
    ],
    key: ['signal_id'],
    // The signals history's rule: of two rows of one signal_id (a bar processed again), the higher seq counts.
    replaceWhen: 'signals.seq < EXCLUDED.seq',
  },
  fills: {
    columns: [
      ['shard', 'integer'],
      ['fill_id', 'text'],
      ['time_gmt', 'timestamptz'],
      ['pair_id', 'text'],
      ['magic', 'bigint'],
      ['leg', 'text'],
      ['symbol', 'text'],
      ['side', 'text'],
      ['reduce', 'boolean'],
      ['lots', 'double precision'],
      ['filled', 'double precision'],
      ['price', 'double precision'],
      ['order_ticket', 'bigint'],
      ['deal', 'bigint'],
      ['retcode', 'integer'],
    ],
    key: ['shard', 'fill_id'],
  },
  account_snapshots: {
    columns: [
      ['shard', 'integer'],
      ['ts', 'timestamptz'],
      ['equity', 'double precision'],
      ['balance', 'double precision'],
      ['margin', 'double precision'],
      ['positions', 'jsonb'],
      ['alerts', 'jsonb'],
    ],
    key: ['shard', 'ts'],
  },
  dd_levels: {
    columns: [
      ['shard', 'integer'],
      ['bar_ts', 'timestamptz'],
      ['level', 'text'],
      ['drawdown', 'double precision'],
      ['pairs', 'jsonb'],
      ['before_level', 'text'],
      ['before_pairs', 'jsonb'],
      ['audited_at', 'timestamptz'],
    ],
    key: ['shard', 'bar_ts'],
  },
  alerts: {
    columns: [
      ['event_id', 'text'],
      ['error_id', 'text'],
      ['severity', 'text'],
      ['source', 'text'],
      ['message', 'text'],
      ['occurred_at', 'timestamptz'],
      ['details', 'jsonb'],
    ],
    key: ['event_id'],
  },
};

/** INSERT … SELECT FROM unnest(one array per column): one statement per batch, whatever its size. */
function insertSql(table: string, spec: TableSpec): string {
  const names = spec.columns.map(([n]) => n);
  const arrays = spec.columns.map(([, t], i) => `$${i + 1}::${t}[]`).join(', ');
  const conflict =
    spec.replaceWhen === undefined
      ? 'DO NOTHING'
      : `DO UPDATE SET ${names
          .filter((n) => !spec.key.includes(n))
          .map((n) => `${n} = EXCLUDED.${n}`)
          .join(', ')}, synced_at = now() WHERE ${spec.replaceWhen}`;
  return `INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${arrays})
    ON CONFLICT (${spec.key.join(', ')}) ${conflict} RETURNING (xmax = 0) AS inserted`;
}

const SQL = Object.fromEntries(Object.entries(TABLES).map(([t, spec]) => [t, insertSql(t, spec)])) as Record<
  HistoryBatch['table'],
  string
>;

/**
 * One row per key: within one statement a key may be affected once. A DO NOTHING table keeps the
 * first row of a key, the signals the one of the highest seq.
 */
function uniqueRows(batch: HistoryBatch): Record<string, unknown>[] {
  const spec = TABLES[batch.table];
  const byKey = new Map<string, Record<string, unknown>>();
  for (const row of batch.rows as unknown as Record<string, unknown>[]) {
    const k = spec.key.map((c) => String(row[c])).join('\u0000');
    const had = byKey.get(k);
    if (had === undefined || (batch.table === 'signals' && (had.seq as number) < (row.seq as number)))
      byKey.set(k, row);
  }
  return [...byKey.values()];
}

export class PgHistoryStore implements HistoryStore {
  private constructor(private readonly client: pg.Client) {}

  /** Connects to `url` and checks its schema is migrated (OPS_PG_SCHEMA when not). */
  static async open(url: string): Promise<PgHistoryStore> {
    const client = await connectPg(url);
    try {
      await requireMigrated(client);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    return new PgHistoryStore(client);
  }

  async step<P>(
    key: CursorKey,
    next: (position: P | null) => Promise<SourceStep<P> | undefined>,
  ): Promise<StepResult | undefined> {
    const c = this.client;
    await c.query('BEGIN');
    try {
      await c.query(
        "INSERT INTO sync_cursors (source, scope, position) VALUES ($1, $2, 'null'::jsonb) ON CONFLICT DO NOTHING",
        [key.source, key.scope],
      );
      const cur = await c.query<{ position: P | null }>(
        'SELECT position FROM sync_cursors WHERE source = $1 AND scope = $2 FOR UPDATE',
        [key.source, key.scope],
      );
      const got = await next(cur.rows[0]?.position ?? null);
      if (got === undefined) {
        await c.query('ROLLBACK');
        return undefined;
      }
      let added = 0;
      const rows = uniqueRows(got.batch);
      if (rows.length > 0) {
        const columns = TABLES[got.batch.table].columns.map(([n]) => rows.map((r) => r[n] ?? null));
        const r = await c.query<{ inserted: boolean }>(SQL[got.batch.table], columns);
        added = r.rows.filter((x) => x.inserted).length;
      }
      await c.query('UPDATE sync_cursors SET position = $3, updated_at = now() WHERE source = $1 AND scope = $2', [
        key.source,
        key.scope,
        JSON.stringify(got.position),
      ]);
      await c.query('COMMIT');
      return { read: got.batch.rows.length, added };
    } catch (error) {
      await c.query('ROLLBACK').catch(() => {});
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
