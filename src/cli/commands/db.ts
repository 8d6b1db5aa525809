// pt db migrate and pt sync: PG_URL (CORE_ENV_MISSING without it), then the migrations or the sync job.
import { hostname } from 'node:os';
import { readParquetTable } from '../../adapters/duckdb/index.js';
import { connectPg, migrate, PgHistoryStore, pgUrlFromEnv, redactPgUrl } from '../../adapters/postgres/index.js';
import { loadConfig } from '../../config/loadConfig.js';
import { createLogger } from '../../core/logger.js';
import { onLiveSignals } from '../../live/onLiveSignals.js';
import { formatSyncPass, runSyncJob } from '../../sync/runSyncJob.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parseDbMigrateOptions, parseSyncOptions } from '../options/parseDbOptions.js';

export async function runDbMigrate(raw: RawOptions): Promise<number> {
  const o = parseDbMigrateOptions(raw);
  const url = pgUrlFromEnv(process.env, 'pt db migrate');
  const client = await connectPg(url);
  try {
    const r = await migrate(client, { lockTimeoutMs: o.lockTimeoutMs });
    const where = `${redactPgUrl(url)} schema ${r.schema}`;
    process.stdout.write(
      r.applied.length === 0
        ? `${where}: up to date (migration ${r.latest} of ${r.latest})\n`
        : `${where}: applied ${r.applied.join(', ')} (now at migration ${r.latest})\n`,
    );
    return 0;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function runSync(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = { ...parseSyncOptions(raw, config), host: hostname() };
  const url = pgUrlFromEnv(process.env, 'pt sync');
  const store = await PgHistoryStore.open(url);
  const log = createLogger({ source: 'sync' });
  // A loop ends between batches on SIGTERM/SIGINT (exit 0); --once keeps the one-shot handlers: a stop
  // mid-batch drops the connection, and PostgreSQL rolls that batch back.
  const signals = o.once ? undefined : onLiveSignals();
  if (!o.once)
    process.stdout.write(
      `sync of shard ${o.shards.join(', ')} into ${redactPgUrl(url)} every ${o.intervalMs / 1000} s until SIGTERM or Ctrl-C\n`,
    );
  try {
    const r = await runSyncJob(o, {
      store,
      readTable: readParquetTable,
      stopRequested: () => signals?.stopRequested !== undefined,
      sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
      log,
    });
    const lines = o.once
      ? formatSyncPass(r.last)
      : [
          `${r.passes} passes; rows added: ${Object.entries(r.added)
            .map(([t, n]) => `${t} ${n}`)
            .join(', ')}`,
        ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    signals?.dispose();
    await store.close().catch(() => {});
  }
}
