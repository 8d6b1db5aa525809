// pt serve against the real server on 127.0.0.1 (port 0) with fetch: every route with each role,
// tokens missing, expired and forged (each denial audited), malformed JSON and schema misfits that
// change nothing, pagination edges, the analytics against the files they read, ops actions and queued
// backtests. The data: a small synthetic store, a rule-only `pt bt run` and a `pt dq` report made here.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParquetTable } from '../../src/adapters/duckdb/tableParquetReader.js';
import { issueToken } from '../../src/api/auth/jwt.js';
import { buildApiServer, type ApiServer } from '../../src/api/buildApiServer.js';
import { ROLES, roleAtLeast, type Role } from '../../src/api/roles.js';
import { serveDeps, type ServeDepsOptions } from '../../src/cli/serveDeps.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { verifyAuditFile } from '../../src/ops/audit/verifyAuditLog.js';
import { repoRoot, runPt } from '../helpers/runPt.js';

const SECRET = new TextEncoder().encode('test-secret-of-pt-serve-0123456789abcdef');
const OTHER = new TextEncoder().encode('another-secret-nobody-configured-0123456789');
const V1 = '20260101_0300_aaaaaaa';
const V2 = '20260201_0300_bbbbbbb';

let dir = '';
let server: ApiServer;
let base = '';
let o: ServeDepsOptions;
const tokens = {} as Record<Role, string>;

type Json = Record<string, any>;
/** One column of a Parquet table read back independently of the server. */
async function column<T extends string[] | Float64Array>(
  file: string,
  name: string,
  kind: 'varchar' | 'double',
): Promise<T> {
  return (await readParquetTable(join(o.btDefaultRun, file), { [name]: kind }))[name] as T;
}

async function call(
  method: string,
  path: string,
  o: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  let body: string | undefined;
  if (o.raw !== undefined || o.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = o.raw ?? JSON.stringify(o.body);
  }
  const r = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await r.text();
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    parsed = { text };
  }
  return { status: r.status, body: parsed, headers: r.headers };
}

const auditLines = (): Json[] => {
  try {
    return readFileSync(o.auditPath, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Json);
  } catch {
    return [];
  }
};
const flagsText = (): string => {
  try {
    return readFileSync(join(o.opsDir, 'flags.json'), 'utf8');
  } catch {
    return '(none)';
  }
};

function writeVersion(version: string, metrics: Json): void {
  // A registry folder as pt train leaves it, as far as the routes read it: the model routes read metrics.json,
  // and a rollback moves the CURRENT pointer to a folder that exists.
  mkdirSync(join(o.modelsDir, version), { recursive: true });
  writeFileSync(join(o.modelsDir, version, 'metrics.json'), JSON.stringify(metrics));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pt-serve-'));
  const pt = (args: string[]) => {
    const r = runPt(['-c', join(repoRoot, 'config'), ...args], { HOME: dir, SERVICE_ENV: '', REDIS_URL: '' }, dir);
    if (r.code !== 0) throw new Error(`pt ${args.join(' ')}: ${r.stderr}`);
  };
  pt([
    'ingest',
    '--source',
    'synthetic',
    '--symbols',
    'SYNA,SYNB',
    '--timeframe',
    '1h',
    '--from',
    '2023-01-01',
    '--to',
    '2023-07-01',
  ]);
  pt(['bt', 'run', '--pairs', 'SYNA_SYNB', '--timeframe', '1h', '--rule-only', '--out', 'reports/bt']);
  pt(['dq', '--symbols', 'SYNA,SYNB', '--timeframe', '1h']);
  const config = loadConfig(join(repoRoot, 'config'));
  o = {
    bus: 'files',
    redisPrefix: config.signals_policy.redis_key_prefix,
    opsDir: join(dir, 'data', 'ops'),
    auditPath: join(dir, 'data', 'ops', 'audit.jsonl'),
    dataDir: join(dir, 'data'),
    modelsDir: join(dir, 'models'),
    dqReportsDir: join(dir, 'reports', 'dq'),
    btDefaultRun: join(dir, 'reports', 'bt'),
    btRunsDir: join(dir, 'reports', 'bt_api'),
  };
  const oos = { ai1: { auc: 0.61, steps: 4 }, ai2: { auc: 0.55 } };
  writeVersion(V1, {
    group: 'custom',
    timeframe: '1h',
    pairs: ['XAUUSD_XAGUSD'],
    data_end: '2025-12-31T00:00:00Z',
    oos,
  });
  writeVersion(V2, { group: 'custom', timeframe: '1h', pairs: ['XAUUSD_XAGUSD', 'SYNA_SYNB'], oos });
  mkdirSync(join(o.modelsDir, 'custom'), { recursive: true });
  writeFileSync(join(o.modelsDir, 'custom', 'CURRENT'), `${V2}\n`);
  server = await buildApiServer(serveDeps(config, o, SECRET, true));
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  for (const role of ROLES) tokens[role] = await issueToken(SECRET, { sub: `${role}-user`, role, ttlSeconds: 600 });
}, 120_000);

afterAll(async () => {
  await server?.bt.idle();
  await server?.app.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The config workflow's routes need a git repository: test/api/configRoutes.test.ts covers them. */
const covered = (r: { path: string }) => !r.path.startsWith('/api/v1/configs/');

/** One valid request per operation; the test below checks it covers every registered route. */
const REQUESTS: Record<string, { method: string; path: string; body?: Json }> = {
  getPrometheusMetrics: { method: 'GET', path: '/metrics' },
  getMetricsModel: { method: 'GET', path: '/api/v1/metrics/model' },
  getMetricsTrading: { method: 'GET', path: '/api/v1/metrics/trading' },
  getMetricsDataQuality: { method: 'GET', path: '/api/v1/metrics/data_quality' },
  getMetricsRisk: { method: 'GET', path: '/api/v1/metrics/risk' },
  postOpsHalt: {
    method: 'POST',
    path: '/api/v1/ops/halt',
    body: { scope: 'pair', pair_id: 'SYNA_SYNB', reason: 'matrix' },
  },
  postOpsFlatten: {
    method: 'POST',
    path: '/api/v1/ops/flatten',
    body: { scope: 'pair', pair_id: 'SYNA_SYNB', mode: 'graceful', reason: 'matrix' },
  },
  postOpsResume: {
    method: 'POST',
    path: '/api/v1/ops/resume',
    body: { scope: 'pair', pair_id: 'SYNA_SYNB', force: true, reason: 'matrix' },
  },
  postOpsRollback: {
    method: 'POST',
    path: '/api/v1/ops/rollback',
    body: { target: 'model', group: 'custom', version: V2, reason: 'matrix' },
  },
  postBtRun: {
    method: 'POST',
    path: '/api/v1/bt/runs',
    body: { pair_ids: ['SYNA_SYNB'], timeframe: '1h', rule_only: true },
  },
  getBtRun: { method: 'GET', path: '/api/v1/bt/runs/000000000000' },
  getBtSummary: { method: 'GET', path: '/api/v1/bt/summary' },
  getBtTrades: { method: 'GET', path: '/api/v1/bt/trades' },
};

describe('pt serve: health and the wrapper', () => {
  it('/healthz answers without a token, with the request id in the body and the header', async () => {
    const r = await call('GET', '/healthz');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', data: { service: 'pt' }, error: null });
    expect(r.body.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers.get('x-request-id')).toBe(r.body.request_id);
  });

  it('an unknown route is UI_API_NOTFOUND in the wrapper', async () => {
    const r = await call('GET', '/api/v1/nope', { token: tokens.admin });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ status: 'error', data: null, error: { id: 'UI_API_NOTFOUND' } });
    expect(r.body.request_id).toBeTruthy();
  });
});

describe('pt serve: roles', () => {
  it('the request table covers every registered route', () => {
    const ids = server.routes.filter((r) => r.minRole && covered(r)).map((r) => r.operationId);
    expect(Object.keys(REQUESTS).sort()).toEqual(ids.sort());
  });

  it('each route refuses the roles below its own (403, audited with sub, role and route) and serves the others', async () => {
    for (const route of server.routes.filter((r) => r.minRole && covered(r))) {
      const req = REQUESTS[route.operationId]!;
      for (const role of ROLES) {
        const before = auditLines().length;
        const flags = flagsText();
        const r = await call(req.method, req.path, { token: tokens[role], ...(req.body ? { body: req.body } : {}) });
        const what = `${role} ${route.method} ${route.path}`;
        if (roleAtLeast(role, route.minRole!)) {
          expect([401, 403], `${what}: ${JSON.stringify(r.body)}`).not.toContain(r.status);
          // GET of a run id this server never queued is the one allowed request answering an error.
          if (route.operationId === 'getBtRun') expect(r.body.error.id).toBe('UI_API_NOTFOUND');
          else expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
        } else {
          expect(r.status, what).toBe(403);
          expect(r.body.error.id).toBe('UI_AUTH_FORBIDDEN');
          expect(flagsText(), what).toBe(flags);
          const added = auditLines().slice(before);
          expect(added, what).toHaveLength(1);
          expect(added[0]).toMatchObject({
            action: 'api.denied',
            actor: `${role}-user`,
            sub: `${role}-user`,
            role,
            route: `${route.method} ${route.url}`,
            status: 403,
            error_id: 'UI_AUTH_FORBIDDEN',
            request_id: r.body.request_id,
          });
        }
      }
    }
    await server.bt.idle();
    expect((await verifyAuditFile(o.auditPath)).ok).toBe(true);
  }, 60_000);

  it('the ops actions are audited with the token sub as the actor', () => {
    const lines = auditLines();
    expect(lines.find((l) => l.action === 'ops.halt')).toMatchObject({
      actor: 'approver-user',
      scope: 'pair:SYNA_SYNB',
    });
    expect(lines.find((l) => l.action === 'ops.resume')).toMatchObject({ actor: 'admin-user', forced: true });
    expect(lines.find((l) => l.action === 'ops.rollback')).toMatchObject({ actor: 'admin-user', after: V2 });
  });
});

describe('pt serve: tokens', () => {
  const routes = () => server.routes.filter((r) => r.minRole && covered(r));

  it('no token: 401 UI_AUTH_MISSING on every route but /healthz, audited as anonymous', async () => {
    for (const route of routes()) {
      const req = REQUESTS[route.operationId]!;
      const before = auditLines().length;
      const r = await call(req.method, req.path, req.body ? { body: req.body } : {});
      expect(r.status, route.path).toBe(401);
      expect(r.body).toMatchObject({ status: 'error', data: null, error: { id: 'UI_AUTH_MISSING' } });
      expect(auditLines().slice(before)).toMatchObject([
        { action: 'api.denied', actor: 'anonymous', sub: null, status: 401 },
      ]);
    }
  });

  it('an expired token: 401 UI_AUTH_EXPIRED; the audit names its (signed) sub and role', async () => {
    const expired = await issueToken(SECRET, {
      sub: 'old',
      role: 'admin',
      ttlSeconds: 60,
      nowMs: Date.now() - 3_600_000,
    });
    const before = auditLines().length;
    const flags = flagsText();
    const r = await call('POST', '/api/v1/ops/halt', { token: expired, body: { scope: 'portfolio', reason: 'x' } });
    expect(r.status).toBe(401);
    expect(r.body.error.id).toBe('UI_AUTH_EXPIRED');
    expect(flagsText()).toBe(flags);
    expect(auditLines().slice(before)).toMatchObject([
      {
        action: 'api.denied',
        actor: 'old',
        sub: 'old',
        role: 'admin',
        error_id: 'UI_AUTH_EXPIRED',
        route: 'POST /api/v1/ops/halt',
      },
    ]);
  });

  it('forged tokens: 401 UI_AUTH_INVALID; a forged sub is kept as a claim, never as the actor', async () => {
    const forged = await issueToken(OTHER, { sub: 'mallory', role: 'admin', ttlSeconds: 600 });
    const [h, p] = tokens.viewer.split('.');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`;
    const raised = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'admin' })).toString('base64url')}.${tokens.viewer.split('.')[2]}`;
    for (const token of [forged, none, raised, 'not-a-jwt']) {
      const before = auditLines().length;
      const flags = flagsText();
      const r = await call('POST', '/api/v1/ops/halt', { token, body: { scope: 'portfolio', reason: 'x' } });
      expect(r.status, token).toBe(401);
      expect(r.body.error.id).toBe('UI_AUTH_INVALID');
      expect(flagsText()).toBe(flags);
      const [line] = auditLines().slice(before);
      expect(line).toMatchObject({ action: 'api.denied', actor: 'anonymous', sub: null, role: null });
    }
    const [line] = auditLines().filter((l) => l.claimed_sub === 'mallory');
    expect(line).toMatchObject({ actor: 'anonymous', claimed_role: 'admin' });
  });

  it('a token of another issuer or without a known role is UI_AUTH_INVALID', async () => {
    const { SignJWT } = await import('jose');
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: Json, iss: string) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(iss)
        .setSubject('x')
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(SECRET);
    // Signed with the secret but beyond what pt token issue makes: 100 years, issued in the future, a sub
    // with control characters or of 5,000 characters.
    const beyond = (sub: string, iat: number, exp: number) =>
      new SignJWT({ role: 'admin' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('pt')
        .setSubject(sub)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(SECRET);
    for (const t of [
      await sign({ role: 'admin' }, 'other'),
      await sign({ role: 'root' }, 'pt'),
      await sign({}, 'pt'),
      await beyond('x', now, now + 100 * 365 * 86_400),
      await beyond('x', now + 365 * 86_400, now + 366 * 86_400),
      await beyond('x\n\u001b[31mroot', now, now + 60),
      await beyond('x'.repeat(5000), now, now + 60),
    ]) {
      const r = await call('GET', '/api/v1/metrics/model', { token: t });
      expect(r.status).toBe(401);
      expect(r.body.error.id).toBe('UI_AUTH_INVALID');
    }
  });
});

describe('pt serve: malformed requests change nothing', () => {
  it('malformed JSON is UI_API_JSON (400), flags and audit untouched', async () => {
    const flags = flagsText();
    const audit = auditLines().length;
    for (const raw of ['{"scope":"portfolio",', '', 'null x']) {
      const r = await call('POST', '/api/v1/ops/halt', { token: tokens.admin, raw });
      expect(r.status, raw).toBe(400);
      expect(r.body).toMatchObject({ status: 'error', data: null, error: { id: 'UI_API_JSON' } });
    }
    const text = await call('POST', '/api/v1/ops/halt', {
      token: tokens.admin,
      raw: 'scope=portfolio',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect(text.body.error.id).toBe('UI_API_JSON');
    expect(flagsText()).toBe(flags);
    expect(auditLines()).toHaveLength(audit);
  });

  it('bodies that do not fit are UI_API_SCHEMA (400), flags and audit untouched', async () => {
    const flags = flagsText();
    const audit = auditLines().length;
    const bodies: Array<[string, Json, RegExp]> = [
      ['/api/v1/ops/halt', { scope: 'portfolio', reason: 'x', levle: 'hard' }, /additional properties: levle/],
      ['/api/v1/ops/halt', { scope: 'portfolio', reason: 'x', level: 'medium' }, /level/],
      ['/api/v1/ops/halt', { scope: 'portfolio' }, /reason/],
      ['/api/v1/ops/halt', { scope: 'portfolio', reason: 5 }, /reason/],
      ['/api/v1/ops/halt', { scope: 'portfolio', reason: '   ' }, /reason/],
      ['/api/v1/ops/halt', { scope: 'pair', reason: 'x' }, /scope pair needs pair_id/],
      ['/api/v1/ops/halt', { scope: 'pair', pair_id: 'NOPE_PAIR', reason: 'x' }, /NOPE_PAIR is not in universe\.yaml/],
      ['/api/v1/ops/halt', { scope: 'portfolio', pair_id: 'SYNA_SYNB', reason: 'x' }, /pair_id goes with scope pair/],
      ['/api/v1/ops/flatten', { scope: 'portfolio', reason: 'x', mode: 'now' }, /mode/],
      ['/api/v1/ops/resume', { scope: 'portfolio', reason: 'x', force: 'yes' }, /force/],
      ['/api/v1/ops/rollback', { target: 'config', group: 'custom', version: V1, reason: 'x' }, /target/],
      ['/api/v1/ops/rollback', { target: 'model', group: '../etc', version: V1, reason: 'x' }, /group/],
      ['/api/v1/bt/runs', { timeframe: '2h' }, /timeframe/],
      ['/api/v1/bt/runs', { theta1: 1.5 }, /theta1/],
      ['/api/v1/bt/runs', { pair_ids: ['NOPE_PAIR'] }, /NOPE_PAIR/],
    ];
    for (const [path, body, message] of bodies) {
      const r = await call('POST', path, { token: tokens.admin, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.id).toBe('UI_API_SCHEMA');
      expect(r.body.error.message).toMatch(message);
    }
    expect(flagsText()).toBe(flags);
    expect(auditLines()).toHaveLength(audit);
  });

  it('query strings that do not fit are UI_API_SCHEMA (400)', async () => {
    for (const q of [
      'page_size=0',
      'page_size=501',
      'page=0',
      'page=abc',
      'granularity=year',
      'pagesize=10',
      'from=2023-02-30',
      'from=2023-03-01&to=2023-02-01',
      'pair_id=NOPE_PAIR',
      'run_id=../../etc',
    ]) {
      const r = await call('GET', `/api/v1/metrics/trading?${q}`, { token: tokens.viewer });
      expect(r.status, q).toBe(400);
      expect(r.body.error.id, q).toBe('UI_API_SCHEMA');
    }
  });
});

describe('pt serve: pagination', () => {
  it('pages of bt_trades join into the whole table; a page past the end is empty with the total', async () => {
    const all = await call('GET', '/api/v1/bt/trades?page_size=500', { token: tokens.viewer });
    const total = all.body.data.pagination.total as number;
    const tradeIds = await column<string[]>('bt_trades.parquet', 'trade_id', 'varchar');
    expect(total).toBe(tradeIds.length);
    expect(total).toBeGreaterThan(2);
    expect(all.body.data.items).toHaveLength(total);
    const joined: string[] = [];
    for (let page = 1; page <= Math.ceil(total / 2); page++) {
      const r = await call('GET', `/api/v1/bt/trades?page_size=2&page=${page}`, { token: tokens.viewer });
      expect(r.body.data.pagination).toEqual({ page, page_size: 2, total });
      joined.push(...(r.body.data.items as Json[]).map((t) => t.trade_id as string));
    }
    expect(joined).toEqual((all.body.data.items as Json[]).map((t) => t.trade_id));
    const past = await call('GET', `/api/v1/bt/trades?page_size=2&page=${Math.ceil(total / 2) + 1}`, {
      token: tokens.viewer,
    });
    expect(past.status).toBe(200);
    expect(past.body.data).toMatchObject({ items: [], pagination: { total } });
  });
});

describe('pt serve: analytics read the local files through DuckDB', () => {
  it("trading: the KPIs are bt_summary's row, the periods sum bt_trades", async () => {
    const r = await call('GET', '/api/v1/metrics/trading?granularity=month&pair_id=SYNA_SYNB', {
      token: tokens.viewer,
    });
    expect(r.status).toBe(200);
    const d = r.body.data;
    expect(d.source).toBe('duckdb');
    const k = (await column<string[]>('bt_summary.parquet', 'pair_id', 'varchar')).indexOf('SYNA_SYNB');
    expect(d.kpis.sharpe).toBeCloseTo((await column<Float64Array>('bt_summary.parquet', 'sharpe', 'double'))[k]!, 12);
    expect(d.kpis.trades).toBe((await column<Float64Array>('bt_summary.parquet', 'trades', 'double'))[k]);
    const pnl = await column<Float64Array>('bt_trades.parquet', 'pnl', 'double');
    const items = d.items as Json[];
    expect(items.reduce((a, x) => a + x.trades, 0)).toBe(pnl.length);
    expect(items.reduce((a, x) => a + x.pnl_usd, 0)).toBeCloseTo(
      pnl.reduce((a, x) => a + x, 0),
      6,
    );
    for (const x of items) expect(x.period).toMatch(/^2023-0\d-01$/);
  });

  it('risk: the ops flags and DD mirrors now, the drawdown per week of bt_daily_equity', async () => {
    const r = await call('GET', '/api/v1/metrics/risk?granularity=week&page_size=500', { token: tokens.viewer });
    expect(r.status).toBe(200);
    const d = r.body.data;
    expect(d.ops.where).toBe(join(o.opsDir, 'flags.json'));
    expect(d.ops.flags).toHaveProperty('global_halt');
    const dd = await column<Float64Array>('bt_daily_equity.parquet', 'dd', 'double');
    expect(Math.max(...(d.items as Json[]).map((x) => x.max_dd))).toBeCloseTo(Math.max(...dd), 12);
    for (const x of d.items as Json[]) expect(new Date(`${x.period}T00:00:00Z`).getUTCDay()).toBe(1);
  });

  it('model: the versions of the registry in [from, to) and their pair, CURRENT marked', async () => {
    const all = await call('GET', '/api/v1/metrics/model', { token: tokens.viewer });
    expect((all.body.data.items as Json[]).map((v) => v.version)).toEqual([V1, V2]);
    expect(all.body.data.items[1]).toMatchObject({ current_of: ['custom'], oos: { ai1: { auc: 0.61 } } });
    const from = await call('GET', '/api/v1/metrics/model?from=2026-01-15', { token: tokens.viewer });
    expect((from.body.data.items as Json[]).map((v) => v.version)).toEqual([V2]);
    const pair = await call('GET', '/api/v1/metrics/model?pair_id=SYNA_SYNB&granularity=month', {
      token: tokens.viewer,
    });
    expect(pair.body.data.items).toMatchObject([{ version: V2, period: '2026-02-01' }]);
  });

  it("data_quality: pt dq's report, the pair's legs' partitions", async () => {
    const r = await call('GET', '/api/v1/metrics/data_quality?pair_id=SYNA_SYNB&granularity=month', {
      token: tokens.viewer,
    });
    expect(r.status).toBe(200);
    const d = r.body.data;
    expect(d.symbols).toEqual(['SYNA', 'SYNB']);
    // 2023-01 … 2023-06: six month partitions per leg in the one report.
    expect(d.items).toMatchObject([{ reports: 1, partitions: 12 }]);
    expect(d.items[0].pass_rate).toBeGreaterThanOrEqual(0);
    const none = await call('GET', '/api/v1/metrics/data_quality?to=2020-01-01', { token: tokens.viewer });
    expect(none.body.data).toMatchObject({ items: [], pagination: { total: 0 } });
  });
});

describe('pt serve: ops through the library of pt ops', () => {
  it('halt then a guarded resume refused (409, flags kept), forced resume lifts it', async () => {
    const h = await call('POST', '/api/v1/ops/halt', {
      token: tokens.approver,
      body: { scope: 'portfolio', level: 'hard', reason: 'CPI' },
    });
    expect(h.status).toBe(200);
    expect(h.body.data).toMatchObject({
      action: 'halt',
      level: 'hard',
      actor: 'approver-user',
      after: { global_halt: 'hard' },
    });
    expect(JSON.parse(flagsText())).toMatchObject({ global_halt: 'hard' });
    const flags = flagsText();
    const refused = await call('POST', '/api/v1/ops/resume', {
      token: tokens.admin,
      body: { scope: 'portfolio', reason: 'over' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.id).toBe('OPS_RESUME_REFUSED');
    expect(flagsText()).toBe(flags);
    const forced = await call('POST', '/api/v1/ops/resume', {
      token: tokens.admin,
      body: { scope: 'portfolio', force: true, reason: 'checked by hand' },
    });
    expect(forced.status).toBe(200);
    expect(forced.body.data).toMatchObject({ forced: true, after: { global_halt: 'none' } });
    expect(forced.body.data.guard.length).toBeGreaterThan(0);
  });

  it('model rollback moves CURRENT (audited); an unknown version is a 404 and moves nothing', async () => {
    const r = await call('POST', '/api/v1/ops/rollback', {
      token: tokens.admin,
      body: { target: 'model', group: 'custom', version: V1, reason: 'worse OOS' },
    });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ target: 'model', before: V2, after: V1, actor: 'admin-user' });
    expect(readFileSync(join(o.modelsDir, 'custom', 'CURRENT'), 'utf8').trim()).toBe(V1);
    const bad = await call('POST', '/api/v1/ops/rollback', {
      token: tokens.admin,
      body: { target: 'model', group: 'custom', version: '20200101_0000_ccccccc', reason: 'x' },
    });
    expect(bad.status).toBe(404);
    expect(bad.body.error.id).toBe('CORE_MODEL_NOTFOUND');
    expect(readFileSync(join(o.modelsDir, 'custom', 'CURRENT'), 'utf8').trim()).toBe(V1);
  });
});

describe('pt serve: queued backtests', () => {
  it('POST queues the job of pt bt run; its outputs answer by run id once done', async () => {
    const q = await call('POST', '/api/v1/bt/runs', {
      token: tokens.editor,
      body: { pair_ids: ['SYNA_SYNB'], timeframe: '1h', rule_only: true, period: '2023-02:2023-05' },
    });
    expect(q.status).toBe(202);
    const id = q.body.data.run_id as string;
    expect(q.body.data).toMatchObject({ state: 'queued', submitted_by: 'editor-user' });
    const early = await call('GET', `/api/v1/bt/summary?run_id=${id}`, { token: tokens.viewer });
    expect(early.status).toBe(409);
    expect(early.body.error.id).toBe('UI_API_NOTREADY');
    await server.bt.idle();
    const state = await call('GET', `/api/v1/bt/runs/${id}`, { token: tokens.viewer });
    expect(state.body.data).toMatchObject({ state: 'done', model_version: 'rule-only', dir: join(o.btRunsDir, id) });
    expect(state.body.data.period).toMatch(/^2023-02-01/);
    const summary = await call('GET', `/api/v1/bt/summary?run_id=${id}`, { token: tokens.viewer });
    expect(summary.body.data.rows.map((r: Json) => r.pair_id)).toEqual(['portfolio', 'SYNA_SYNB']);
    expect(summary.body.data.rows[0].run_id).toBe(state.body.data.backtest_run_id);
    const trades = await call('GET', `/api/v1/bt/trades?run_id=${id}&page_size=1`, { token: tokens.viewer });
    expect(trades.body.data.run).toEqual({ run_id: id, dir: join(o.btRunsDir, id) });
    for (const t of (await call('GET', `/api/v1/bt/trades?run_id=${id}&page_size=500`, { token: tokens.viewer })).body
      .data.items)
      expect(t.timestamp_entry >= '2023-02-01').toBe(true);
  }, 60_000);

  it('a job that fails says so in its state, with its pt error id', async () => {
    const q = await call('POST', '/api/v1/bt/runs', {
      token: tokens.editor,
      body: { pair_ids: ['XAUUSD_XAGUSD'], timeframe: '1h', rule_only: true },
    });
    await server.bt.idle();
    const s = await call('GET', `/api/v1/bt/runs/${q.body.data.run_id}`, { token: tokens.viewer });
    expect(s.body.data.state).toBe('failed');
    expect(s.body.data.error.id).toMatch(/^(DATA|CORE|BT)_[A-Z]+_[A-Z0-9]{3,9}$/);
    const summary = await call('GET', `/api/v1/bt/summary?run_id=${q.body.data.run_id}`, { token: tokens.viewer });
    expect(summary.status).toBe(409);
    const unknown = await call('GET', '/api/v1/bt/summary?run_id=0123456789ab', { token: tokens.viewer });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.id).toBe('UI_API_NOTFOUND');
  }, 60_000);
});

describe('pt serve: /metrics', () => {
  it('has the latency histogram per route template', async () => {
    await call('GET', '/api/v1/bt/runs/0123456789ab', { token: tokens.viewer });
    const r = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${tokens.viewer}` } });
    expect(r.status).toBe(200);
    const text = await r.text();
    expect(text).toMatch(
      /api_request_latency_ms_count\{method="GET",route="\/api\/v1\/bt\/runs\/:run_id",status_code="404"\} [1-9]/,
    );
    expect(text).not.toContain('0123456789ab');
  });
});
