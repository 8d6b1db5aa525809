// pt serve's analytics benchmark: 3 years × 30 pairs of synthetic history written into a PostgreSQL schema
// (fills, account snapshots, DD levels) and into the local files the DuckDB source reads (bt_trades,
// bt_summary, bt_daily_equity Parquet; model versions; pt dq reports), then first request, p50 and p95 of the four
// analytics endpoints through the real HTTP server for each source. PostgreSQL: PT_BENCH_PG_URL, else the local test
// database; the schema is dropped afterwards.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { queryRows } from '../src/adapters/duckdb/queryRows.js';
import { connectPg, migrate } from '../src/adapters/postgres/index.js';
import type { AnalyticsSource } from '../src/api/analytics/analyticsSource.js';
import { issueToken } from '../src/api/auth/jwt.js';
import { buildApiServer } from '../src/api/buildApiServer.js';
import { FileOpsControl } from '../src/adapters/files/fileOpsControl.js';
import type { ApiDeps } from '../src/api/apiTypes.js';
import { serveAnalytics } from '../src/cli/serveAnalytics.js';
import { loadConfig } from '../src/config/loadConfig.js';
import type { BenchResult } from './benchResult.js';

const PAIRS = 30;
const DAYS = 1096; // 2021-01-01 … 2023-12-31
const RUNS = 40;
const WARM = 3;
const SECRET = new TextEncoder().encode('bench-secret-of-pt-serve-0123456789abcdef');
const ENDPOINTS = [
  '/api/v1/metrics/model?granularity=month',
  '/api/v1/metrics/trading?granularity=month',
  '/api/v1/metrics/data_quality?granularity=month',
  '/api/v1/metrics/risk?granularity=week',
];
interface Paths {
  opsDir: string;
  auditPath: string;
  modelsDir: string;
  dqReportsDir: string;
  btDefaultRun: string;
  btRunsDir: string;
}
const pairId = (i: number) => `BENCH${String(i).padStart(2, '0')}`;

async function fillPostgres(url: string): Promise<void> {
  const c = await connectPg(url);
  try {
    await migrate(c, { lockTimeoutMs: 10_000 });
    await c.query('SELECT setseed(0.42)');
    // One round trip a day per pair: both legs opened at 10:00, closed at 15:00.
    await c.query(`
      INSERT INTO fills (shard, fill_id, time_gmt, pair_id, magic, leg, symbol, side, reduce, lots, filled, price,
                         order_ticket, deal, retcode)
      SELECT i % 3, format('%s-%s-%s', i, d, k),
             timestamptz '2021-01-01 10:00:00+00' + d * interval '1 day' + (k / 2) * interval '5 hours' + (k % 2) * interval '1 second',
             format('BENCH%s', lpad(i::text, 2, '0')), i, CASE WHEN k % 2 = 0 THEN 'A' ELSE 'B' END, 'X',
             CASE WHEN k IN (0, 3) THEN 'BUY' ELSE 'SELL' END, k >= 2, 0.1, 0.1, 1 + random() * 0.01, 1,
             i * 100000 + d * 4 + k, 10009
      FROM generate_series(1, ${PAIRS}) i, generate_series(0, ${DAYS - 1}) d, generate_series(0, 3) k`);
    // The account every 4 hours.
    await c.query(`
      INSERT INTO account_snapshots (shard, ts, equity, balance, positions, alerts)
      SELECT 0, timestamptz '2021-01-01 00:00:00+00' + h * interval '4 hours', 100000 + h * 2 + 500 * sin(h / 40.0),
             100000, '[]', '[]'
      FROM generate_series(0, ${DAYS * 6 - 1}) h`);
    await c.query(`
      INSERT INTO dd_levels (shard, bar_ts, level, drawdown, pairs, audited_at)
      SELECT s, timestamptz '2021-01-01 00:00:00+00' + n * interval '5 days' + s * interval '1 hour',
             (ARRAY['normal', 'warn', 'halt', 'normal'])[1 + n % 4], 0.05, '{}', now()
      FROM generate_series(0, 2) s, generate_series(0, ${Math.floor(DAYS / 5) - 1}) n`);
    await c.query('ANALYZE');
  } finally {
    await c.end();
  }
}

async function fillFiles(o: Paths): Promise<void> {
  mkdirSync(o.btDefaultRun, { recursive: true });
  const out = (name: string) => `'${join(o.btDefaultRun, name).replace(/'/g, "''")}'`;
  await queryRows(`COPY (
    SELECT format('BENCH%s', lpad(i::VARCHAR, 2, '0')) AS pair_id, (i * 100000 + d)::VARCHAR AS trade_id,
           TIMESTAMP '2021-01-01 10:00:00' + to_days(d) AS timestamp_entry,
           TIMESTAMP '2021-01-01 15:00:00' + to_days(d) AS timestamp_exit, random() - 0.5 AS pnl
    FROM range(1, ${PAIRS + 1}) t(i), range(0, ${DAYS}) u(d)) TO ${out('bt_trades.parquet')} (FORMAT PARQUET)`);
  await queryRows(`COPY (
    SELECT CASE WHEN i = 0 THEN 'portfolio' ELSE format('BENCH%s', lpad(i::VARCHAR, 2, '0')) END AS pair_id,
           ${DAYS}::DOUBLE AS trades, 0.5 AS win_rate, 0.1 AS ann_return, 1.2 AS sharpe, 0.08 AS max_dd
    FROM range(0, ${PAIRS + 1}) t(i)) TO ${out('bt_summary.parquet')} (FORMAT PARQUET)`);
  await queryRows(`COPY (
    SELECT TIMESTAMP '2021-01-01' + to_days(d) AS "date", 100000 + d * 12 + 500 * sin(d / 7.0) AS equity,
           random() * 0.05 AS dd
    FROM range(0, ${DAYS}) t(d)) TO ${out('bt_daily_equity.parquet')} (FORMAT PARQUET)`);
  // A model version and a pt dq report a month.
  const symbols = Array.from({ length: PAIRS * 2 }, (_, i) => `SYM${i}`);
  for (let m = 0; m < 36; m++) {
    const at = new Date(Date.UTC(2021, m, 1, 3));
    const stamp = at.toISOString().slice(0, 10).replace(/-/g, '');
    const version = `${stamp}_0300_${(0xa000000 + m).toString(16)}`;
    mkdirSync(join(o.modelsDir, version), { recursive: true });
    writeFileSync(
      join(o.modelsDir, version, 'metrics.json'),
      JSON.stringify({ group: 'bench', timeframe: '1h', pairs: [pairId(1 + (m % PAIRS))], oos: { ai1: { auc: 0.6 } } }),
    );
    mkdirSync(o.dqReportsDir, { recursive: true });
    writeFileSync(
      join(o.dqReportsDir, `${stamp}.json`),
      JSON.stringify({
        dq_run_id: `dq-${m}`,
        generated_at: at.toISOString(),
        timeframe: '1h',
        thresholds: { missing_rate: 0.01, outlier_rate: 0.001 },
        symbols: symbols.map((symbol) => ({
          symbol,
          months: Array.from({ length: 12 }, (_, k) => ({ month: k, missingRate: (k % 5) * 0.004, outlierRate: 0 })),
        })),
        pairs: [],
      }),
    );
  }
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runApiBench(root: string): Promise<BenchResult[]> {
  const base = process.env.PT_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `pt_bench_api_${process.pid}`;
  // tsc copies no .sql: the compiled adapter (dist-bench/src/…) finds its migrations beside it.
  cpSync(
    join(root, 'src', 'adapters', 'postgres', 'migrations'),
    fileURLToPath(new URL('../src/adapters/postgres/migrations/', import.meta.url)),
    { recursive: true },
  );
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const dir = mkdtempSync(join(tmpdir(), 'pt-bench-api-'));
  const results: BenchResult[] = [];
  try {
    const config = loadConfig(join(root, 'config'));
    const template = config.universe.pairs.find((p) => p.leg_A.quote_ccy === 'USD' && p.leg_B.quote_ccy === 'USD')!;
    config.universe.pairs = Array.from({ length: PAIRS }, (_, k) => ({
      ...template,
      pair_id: pairId(k + 1),
      shard: (k + 1) % 3,
    }));
    const o = {
      opsDir: join(dir, 'ops'),
      auditPath: join(dir, 'ops', 'audit.jsonl'),
      modelsDir: join(dir, 'models'),
      dqReportsDir: join(dir, 'reports', 'dq'),
      btDefaultRun: join(dir, 'reports', 'bt'),
      btRunsDir: join(dir, 'reports', 'bt_api'),
    };
    let t0 = performance.now();
    await fillPostgres(url);
    await fillFiles(o);
    results.push({
      name: `generate ${PAIRS} pairs × ${DAYS} days (PG + files)`,
      value: Math.round(performance.now() - t0),
      unit: 'ms',
    });
    const token = await issueToken(SECRET, { sub: 'bench', role: 'viewer', ttlSeconds: 3600 });
    for (const [label, env] of [
      ['duckdb', {}],
      ['postgres', { PG_URL: url }],
    ] as const) {
      const analytics: AnalyticsSource = await serveAnalytics(config, o, env);
      // pt serve's deps without the CLI's wiring (no backtests are queued here).
      const deps: ApiDeps = {
        config,
        jwtSecret: SECRET,
        auditPath: o.auditPath,
        openOpsControl: async () => new FileOpsControl(o.opsDir),
        modelsDir: o.modelsDir,
        dqReportsDir: o.dqReportsDir,
        btDefaultRun: o.btDefaultRun,
        btRunsDir: o.btRunsDir,
        backtest: () => Promise.reject(new Error('no backtests in the api bench')),
        analytics,
        version: 'bench',
      };
      const server = await buildApiServer(deps, { openapiPath: join(root, 'openapi.yaml') });
      await server.app.listen({ host: '127.0.0.1', port: 0 });
      const address = server.app.server.address();
      const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      try {
        for (const path of ENDPOINTS) {
          const times: number[] = [];
          let source = '';
          let first = 0;
          for (let k = 0; k < WARM + RUNS; k++) {
            t0 = performance.now();
            const r = await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${token}` } });
            const body = (await r.json()) as { data?: { source?: string } };
            if (r.status !== 200) throw new Error(`${path} answered ${r.status}: ${JSON.stringify(body)}`);
            if (k === 0) first = performance.now() - t0;
            if (k >= WARM) times.push(performance.now() - t0);
            source = body.data?.source ?? '';
          }
          times.sort((a, b) => a - b);
          const route = path.split('?')[0]!.replace('/api/v1/metrics/', '');
          const p95 = pct(times, 95);
          // The first request pays the cold start: DuckDB's first read, PostgreSQL's trades rebuilt from fills.
          results.push({
            name: `${label} server: ${route} first request`,
            value: Number(first.toFixed(1)),
            unit: 'ms',
          });
          results.push({
            name: `${label} server: ${route} p50 (answers source ${source})`,
            value: Number(pct(times, 50).toFixed(1)),
            unit: 'ms',
          });
          results.push({
            name: `${label} server: ${route} p95`,
            value: Number(p95.toFixed(1)),
            unit: 'ms',
            target: '< 300',
            pass: p95 < 300,
          });
        }
      } finally {
        await server.app.close();
        await analytics.close?.();
      }
    }
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => {});
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
