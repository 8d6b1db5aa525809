// pt serve with PG_URL: trading and risk read the PostgreSQL history (real server, a schema of its own),
// and their numbers equal the same formulas worked out here over the same rows; the routes PostgreSQL
// holds nothing for stay on the files and say duckdb; without PG_URL every route says duckdb.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPg, migrate } from '../../src/adapters/postgres/index.js';
import type { AnalyticsSource } from '../../src/api/analytics/analyticsSource.js';
import { issueToken } from '../../src/api/auth/jwt.js';
import { buildApiServer, type ApiServer } from '../../src/api/buildApiServer.js';
import { serveAnalytics } from '../../src/cli/serveAnalytics.js';
import { serveDeps, type ServeDepsOptions } from '../../src/cli/serveDeps.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { createTestSchema, postgresAvailable, type TestSchema } from '../helpers/postgres.js';
import { repoRoot } from '../helpers/runPt.js';

const SECRET = new TextEncoder().encode('test-secret-of-pt-serve-pg-0123456789abcdef');
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1); // a Monday
const DAYS = 40;
const up = await postgresAvailable();
type Json = Record<string, any>;

/** A small deterministic generator (the test's numbers do not depend on Math.random). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe.runIf(up)('pt serve: analytics from PostgreSQL (PG_URL)', () => {
  const config = loadConfig(join(repoRoot, 'config'));
  const cs = (pair: string) => {
    const p = config.universe.pairs.find((x) => x.pair_id === pair)!;
    return { A: p.leg_A.contract_size, B: p.leg_B.contract_size };
  };
  let s: TestSchema;
  let dir = '';
  let server: ApiServer;
  let base = '';
  let token = '';
  let analytics: AnalyticsSource | undefined;
  /** The test's own ledger of the rows written: what the numbers must equal. */
  const trades: { pair: string; exitMs: number; pnl: number }[] = [];
  const equity: number[] = [];
  const dd: { shard: number; ms: number; level: string }[] = [];

  const get = async (path: string): Promise<Json> => {
    const r = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    return ((await r.json()) as Json).data as Json;
  };

  beforeAll(async () => {
    s = await createTestSchema('pgapi');
    const c = await connectPg(s.url);
    await migrate(c, { lockTimeoutMs: 5000 });
    await c.end();
    const rnd = lcg(7);
    const fills: unknown[][] = [];
    const fill = (
      pair: string,
      ms: number,
      leg: string,
      side: string,
      reduce: boolean,
      filled: number,
      price: number,
    ) =>
      fills.push([
        0,
        `f${fills.length}`,
        new Date(ms).toISOString(),
        pair,
        1,
        leg,
        leg,
        side,
        reduce,
        filled,
        filled,
        price,
        1,
        fills.length + 1,
        10009,
      ]);
    for (let d = 0; d < DAYS; d++) {
      for (const pair of ['XAUUSD_XAGUSD', 'EURUSD_GBPUSD']) {
        const k = cs(pair);
        const open = T0 + d * DAY + 10 * 3600_000;
        const close = open + 5 * 3600_000;
        const [pa, pb] = pair === 'XAUUSD_XAGUSD' ? [2000, 25] : [1.1, 1.3];
        const a0 = pa * (1 + (rnd() - 0.5) * 0.01);
        const a1 = pa * (1 + (rnd() - 0.5) * 0.01);
        const a2 = pa * (1 + (rnd() - 0.5) * 0.01);
        const b0 = pb * (1 + (rnd() - 0.5) * 0.01);
        const b1 = pb * (1 + (rnd() - 0.5) * 0.01);
        const long = d % 3 !== 0;
        // Leg A opens in two fills (0.1 and 0.2 lots) and closes in one; leg B opposite, 0.5 lots.
        fill(pair, open, 'A', long ? 'BUY' : 'SELL', false, 0.1, a0);
        fill(pair, open + 1000, 'B', long ? 'SELL' : 'BUY', false, 0.5, b0);
        fill(pair, open + 2000, 'A', long ? 'BUY' : 'SELL', false, 0.2, a1);
        // A failed request: no deal, nothing filled.
        fills.push([
          0,
          `f${fills.length}`,
          new Date(open + 3000).toISOString(),
          pair,
          1,
          'A',
          'A',
          'BUY',
          false,
          0.1,
          0,
          0,
          1,
          0,
          10004,
        ]);
        fill(pair, close, 'A', long ? 'SELL' : 'BUY', true, 0.3, a2);
        fill(pair, close + 1000, 'B', long ? 'BUY' : 'SELL', true, 0.5, b1);
        const sgn = long ? 1 : -1;
        const entryA = (0.1 * a0 + 0.2 * a1) / 0.3;
        trades.push({ pair, exitMs: close + 1000, pnl: sgn * 0.3 * k.A * (a2 - entryA) - sgn * 0.5 * k.B * (b1 - b0) });
      }
      // Two snapshots a day; the later one is the day's close.
      const e = 100_000 * (1 + 0.002 * d + 0.01 * Math.sin(d / 3));
      equity.push(e);
      await s.query(
        `INSERT INTO account_snapshots (shard, ts, equity, balance, positions, alerts) VALUES
         (0, $1, $2, $2, '[]', '[]'), (0, $3, $4, $4, '[]', '[]')`,
        [new Date(T0 + d * DAY + 3600_000), e * 0.9, new Date(T0 + d * DAY + 23 * 3600_000), e],
      );
    }
    const cols = Array.from({ length: 15 }, (_, i) => fills.map((f) => f[i]));
    await s.query(
      `INSERT INTO fills (shard, fill_id, time_gmt, pair_id, magic, leg, symbol, side, reduce, lots, filled, price, order_ticket, deal, retcode)
       SELECT * FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[],
         $9::bool[], $10::float8[], $11::float8[], $12::float8[], $13::bigint[], $14::bigint[], $15::int[])`,
      cols,
    );
    dd.push(
      { shard: 0, ms: T0 + 3 * DAY, level: 'warn' },
      { shard: 1, ms: T0 + 4 * DAY, level: 'halt' },
      { shard: 1, ms: T0 + 9 * DAY, level: 'normal' },
      { shard: 0, ms: T0 + 20 * DAY, level: 'normal' },
    );
    for (const x of dd)
      await s.query(
        `INSERT INTO dd_levels (shard, bar_ts, level, drawdown, pairs, audited_at) VALUES ($1, $2, $3, 0.05, '{}', $2)`,
        [x.shard, new Date(x.ms), x.level],
      );

    dir = mkdtempSync(join(tmpdir(), 'pt-pgapi-'));
    const o: ServeDepsOptions = {
      bus: 'files',
      redisPrefix: 'pt',
      opsDir: join(dir, 'ops'),
      auditPath: join(dir, 'ops', 'audit.jsonl'),
      dataDir: join(dir, 'data'),
      modelsDir: join(dir, 'models'),
      dqReportsDir: join(dir, 'reports', 'dq'),
      btDefaultRun: join(dir, 'reports', 'bt'),
      btRunsDir: join(dir, 'reports', 'bt_api'),
    };
    analytics = await serveAnalytics(config, o, { PG_URL: s.url });
    server = await buildApiServer({ ...serveDeps(config, o, SECRET, true), analytics });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const address = server.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    token = await issueToken(SECRET, { sub: 'viewer-user', role: 'viewer', ttlSeconds: 600 });
  }, 60_000);

  afterAll(async () => {
    await server?.app.close();
    await analytics?.close?.();
    await s?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** SPEC §7 worked out here: returns against the first close, sample std, 252 days; drawdown from the peak. */
  function expected(curve: number[], pnl: number[]) {
    const r = curve.map((e, i) => e / (i === 0 ? curve[0]! : curve[i - 1]!) - 1);
    const m = r.reduce((a, x) => a + x, 0) / r.length;
    const sd = Math.sqrt(r.reduce((a, x) => a + (x - m) ** 2, 0) / (r.length - 1));
    let peak = -Infinity;
    let mdd = 0;
    for (const e of curve) {
      peak = Math.max(peak, e);
      mdd = Math.max(mdd, (peak - e) / peak);
    }
    return {
      trades: pnl.length,
      win_rate: pnl.filter((x) => x > 0).length / pnl.length,
      sharpe: (m / sd) * Math.sqrt(252),
      annualized_return: m * 252,
      max_drawdown: mdd,
    };
  }

  it('trading (portfolio): KPIs of the account closes and the trades rebuilt from fills; periods sum them', async () => {
    const d = await get('/api/v1/metrics/trading?granularity=week&page_size=100');
    expect(d.source).toBe('postgres');
    const e = expected(
      equity,
      trades.map((t) => t.pnl),
    );
    for (const [k, v] of Object.entries(e)) expect(d.kpis[k], k).toBeCloseTo(v, 9);
    const items = d.items as Json[];
    expect(items.reduce((a, x) => a + x.trades, 0)).toBe(trades.length);
    expect(items.reduce((a, x) => a + x.wins, 0)).toBe(trades.filter((t) => t.pnl > 0).length);
    expect(items.reduce((a, x) => a + x.pnl_usd, 0)).toBeCloseTo(
      trades.reduce((a, t) => a + t.pnl, 0),
      6,
    );
    for (const x of items) expect(new Date(`${x.period}T00:00:00Z`).getUTCDay()).toBe(1);
  });

  it("trading (one pair, [from, to)): the pair's curve is the first close plus its closed P&L", async () => {
    const pair = 'XAUUSD_XAGUSD';
    const mine = trades.filter((t) => t.pair === pair);
    const d = await get(`/api/v1/metrics/trading?pair_id=${pair}&granularity=day&page_size=500&from=2024-01-11`);
    const curve = equity.map((_, i) => {
      const end = T0 + (i + 1) * DAY;
      return equity[0]! + mine.filter((t) => t.exitMs < end).reduce((a, t) => a + t.pnl, 0);
    });
    const e = expected(
      curve,
      mine.map((t) => t.pnl),
    );
    for (const [k, v] of Object.entries(e)) expect(d.kpis[k], k).toBeCloseTo(v, 9);
    const inRange = mine.filter((t) => t.exitMs >= Date.UTC(2024, 0, 11));
    expect(d.pagination.total).toBe(inRange.length);
    expect((d.items as Json[]).map((x) => x.pnl_usd)).toEqual(inRange.map((t) => expect.closeTo(t.pnl, 6)));
    const unknown = await fetch(`${base}/api/v1/metrics/trading?pair_id=NOPE_NOPE`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(unknown.status).toBe(400);
  });

  it('risk: equity and drawdown per week from the snapshots, DD level changes from dd_levels', async () => {
    const d = await get('/api/v1/metrics/risk?granularity=week&page_size=100');
    expect(d.source).toBe('postgres');
    expect(d.run).toMatchObject({ run_id: null });
    const items = d.items as Json[];
    expect(items).toHaveLength(Math.ceil(DAYS / 7));
    let peak = -Infinity;
    const ddOf = equity.map((e) => ((peak = Math.max(peak, e)), (peak - e) / peak));
    items.forEach((x, w) => {
      const days = equity.slice(w * 7, w * 7 + 7);
      expect(x.equity_end).toBeCloseTo(days[days.length - 1]!, 9);
      expect(x.max_dd).toBeCloseTo(Math.max(...ddOf.slice(w * 7, w * 7 + 7)), 12);
    });
    expect(items.map((x) => x.dd_changes)).toEqual([2, 1, 1, 0, 0, 0]);
    // Week 1: shard 0 warn, shard 1 halt → halt; week 2: shard 1 normal, shard 0 still warn; week 3 all normal.
    expect(items.map((x) => x.dd_level_end)).toEqual(['halt', 'warn', 'normal', 'normal', 'normal', 'normal']);
    // A pair's shard only (EURUSD_GBPUSD runs in shard 1).
    const one = await get('/api/v1/metrics/risk?granularity=week&pair_id=EURUSD_GBPUSD');
    expect((one.items as Json[]).map((x) => x.dd_changes)).toEqual([1, 1, 0, 0, 0, 0]);
  });

  it('model and data_quality: not in PostgreSQL, read from the files and say duckdb', async () => {
    expect((await get('/api/v1/metrics/model')).source).toBe('duckdb');
    expect((await get('/api/v1/metrics/data_quality')).source).toBe('duckdb');
  });

  it('without PG_URL every route reads the files', async () => {
    const local = await serveAnalytics(config, { modelsDir: dir, dqReportsDir: dir }, {});
    expect(local.sources).toEqual({
      model: 'duckdb',
      trading: 'duckdb',
      data_quality: 'duckdb',
      risk: 'duckdb',
      bt: 'duckdb',
    });
  });

  it('a fill shipped after a request shows at the next one (the rebuilt trades are kept only while the fills are unchanged)', async () => {
    const before = await get('/api/v1/metrics/trading?pair_id=XAUUSD_XAGUSD');
    const ms = T0 + DAYS * DAY;
    const k = cs('XAUUSD_XAGUSD');
    await s.query(
      `INSERT INTO fills (shard, fill_id, time_gmt, pair_id, magic, leg, symbol, side, reduce, lots, filled, price, order_ticket, deal, retcode)
       SELECT 0, 'late' || n, $1::timestamptz + n * interval '1 minute', 'XAUUSD_XAGUSD', 1, leg, leg, side, n > 1, 0.1, 0.1, price, 1, 900 + n, 10009
       FROM (VALUES (0, 'A', 'BUY', 2000.0), (1, 'B', 'SELL', 25.0), (2, 'A', 'SELL', 2010.0), (3, 'B', 'BUY', 24.0)) v(n, leg, side, price)`,
      [new Date(ms)],
    );
    const after = await get('/api/v1/metrics/trading?pair_id=XAUUSD_XAGUSD&page_size=500');
    expect(after.kpis.trades).toBe(before.kpis.trades + 1);
    const last = (after.items as Json[]).at(-1)!;
    expect(last.pnl_usd).toBeCloseTo(0.1 * k.A * 10 + 0.1 * k.B * 1, 6);
  });
});
