// pt serve's analytics store: PostgreSQL (PG_URL) for what it holds, the local files for the rest.
import { PgAnalytics } from '../adapters/postgres/index.js';
import type { AnalyticsSource } from '../api/analytics/analyticsSource.js';
import { localAnalytics } from '../api/analytics/localAnalytics.js';
import { pgAnalyticsSource } from '../api/analytics/pgAnalyticsSource.js';
import type { PtConfig } from '../config/schemas/index.js';

/**
 * The analytics' store: with PG_URL the PostgreSQL history for what it holds (trading, risk), the local
 * files for the rest; without it the local files only. A PG_URL that does not connect, or a schema behind
 * the migrations, stops pt serve at start (OPS_PG_CONNFAIL, OPS_PG_SCHEMA) rather than at the first request.
 */
export async function serveAnalytics(
  config: PtConfig,
  o: { modelsDir: string; dqReportsDir: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<AnalyticsSource> {
  const local = localAnalytics({ modelsDir: o.modelsDir, dqReportsDir: o.dqReportsDir });
  const url = env.PG_URL?.trim();
  if (!url) return local;
  return pgAnalyticsSource(await PgAnalytics.open(url), config, local);
}
