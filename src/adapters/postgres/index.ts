// PostgreSQL: the history tables pt sync ships into, their migrations, connections from PG_URL.
export { connectPg, pgUrlFromEnv, redactPgUrl } from './pgConnect.js';
export { LATEST_MIGRATION, loadMigrations, migrate, requireMigrated, type MigrateResult } from './migrations.js';
export { PgHistoryStore } from './pgHistoryStore.js';
export { PgAnalytics, kpisOf, pairCurve, tradesOfFills, drawdownPath, type PgTrade } from './pgAnalytics.js';
