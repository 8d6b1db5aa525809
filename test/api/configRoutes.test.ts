// pt serve's config workflow routes against the real server (127.0.0.1, port 0, fetch) on a temporary git
// repository holding a copy of config/: each route allowed and refused per role, the token's sub as the
// actor (self-approval refused), two approvers for a high-risk change, the merge gate on an invalid config,
// apply then rollback byte for byte, each step audited, schema misfits and path traversal changing nothing.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/api/auth/jwt.js';
import { buildApiServer, type ApiServer } from '../../src/api/buildApiServer.js';
import { ROLES, roleAtLeast, type Role } from '../../src/api/roles.js';
import { serveDeps, type ServeDepsOptions } from '../../src/cli/serveDeps.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { verifyAuditFile } from '../../src/ops/audit/verifyAuditLog.js';
import { repoRoot } from '../helpers/runPt.js';

const SECRET = new TextEncoder().encode('test-secret-of-pt-serve-config-0123456789');

type Json = Record<string, any>;
let dir = '';
let repo = '';
let server: ApiServer;
let base = '';
let o: ServeDepsOptions;
const tokens = {} as Record<Role, string>;
/** An approver whose sub is the editor's: the author of the proposals the editor makes. */
let authorAsApprover = '';

const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
  }).trim();

async function call(method: string, path: string, token: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: r.status, body: (await r.json()) as Json };
}
const post = (path: string, token: string, body: unknown) => call('POST', `/api/v1/configs/${path}`, token, body);

/** Every file of a folder, path → base64 (what "byte-identical" compares). */
function snapshot(folder: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort()) {
    try {
      out.set(f, readFileSync(join(folder, f)).toString('base64'));
    } catch {
      // a folder
    }
  }
  return out;
}

const auditLines = (): Json[] =>
  existsSync(o.auditPath)
    ? readFileSync(o.auditPath, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Json)
    : [];

/** What a refused request must leave as it was: refs, the workflow's state, config/, the audit log. */
function state() {
  const stateDir = join(repo, '.git', 'pt-config-workflow');
  return {
    refs: git('for-each-ref', '--format=%(refname) %(objectname)'),
    workflow: existsSync(stateDir) ? snapshot(stateDir) : new Map(),
    config: snapshot(join(repo, 'config')),
    audit: auditLines().length,
    status: git('status', '--porcelain'),
  };
}

const original = (file: string) => readFileSync(join(repoRoot, 'config', file), 'utf8');
function edit(file: string, from: string, to: string): Record<string, string> {
  const text = original(file);
  expect(text).toContain(from);
  return { [file]: text.replace(from, to) };
}
const ddChange = () => edit('dd_policy.yaml', 'dd_warn_portfolio: { value: 0.08', 'dd_warn_portfolio: { value: 0.07');
const refreshChange = (s: number) =>
  edit('analytics_policy.yaml', 'value: { trading_page: 15,', `value: { trading_page: ${s},`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pt-serve-config-'));
  repo = join(dir, 'repo');
  cpSync(join(repoRoot, 'config'), join(repo, 'config'), { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  writeFileSync(join(repo, '.gitignore'), 'data/\n');
  git('add', 'config', '.gitignore');
  git('commit', '-q', '-m', 'config');
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
    configRepo: repo,
  };
  server = await buildApiServer(serveDeps(config, o, SECRET, true));
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  for (const role of ROLES) tokens[role] = await issueToken(SECRET, { sub: `${role}-user`, role, ttlSeconds: 600 });
  authorAsApprover = await issueToken(SECRET, { sub: 'editor-user', role: 'approver', ttlSeconds: 600 });
}, 60_000);

afterAll(async () => {
  await server?.app.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * One request per config route that passes the role check and changes nothing: the answer the library
 * gives (an unknown proposal, nothing to roll back, no change) shows the request got past the role.
 */
const PROBES: Record<string, { method: string; path: string; body?: Json; status: number; id?: string }> = {
  postConfigValidate: {
    method: 'POST',
    path: '/api/v1/configs/validate',
    body: { files: refreshChange(20) },
    status: 200,
  },
  postConfigPr: {
    method: 'POST',
    path: '/api/v1/configs/pr',
    body: { title: 'same', files: { 'dd_policy.yaml': original('dd_policy.yaml') } },
    status: 409,
    id: 'OPS_CONFIG_NOCHANGE',
  },
  postConfigApprove: {
    method: 'POST',
    path: '/api/v1/configs/approve',
    body: { id: 'cfg-99' },
    status: 404,
    id: 'OPS_CONFIG_UNKNOWN',
  },
  postConfigMerge: {
    method: 'POST',
    path: '/api/v1/configs/merge',
    body: { id: 'cfg-99' },
    status: 404,
    id: 'OPS_CONFIG_UNKNOWN',
  },
  postConfigApply: {
    method: 'POST',
    path: '/api/v1/configs/apply',
    body: { id: 'cfg-99', env: 'stg' },
    status: 404,
    id: 'OPS_CONFIG_UNKNOWN',
  },
  postConfigRollback: {
    method: 'POST',
    path: '/api/v1/configs/rollback',
    body: { reason: 'probe', env: 'stg' },
    status: 409,
    id: 'OPS_CONFIG_NOPREV',
  },
  getConfigAudit: { method: 'GET', path: '/api/v1/configs/audit', status: 200 },
};

const EXPECTED_ROLE: Record<string, Role> = {
  postConfigValidate: 'editor',
  postConfigPr: 'editor',
  postConfigApprove: 'approver',
  postConfigMerge: 'approver',
  postConfigApply: 'approver',
  postConfigRollback: 'admin',
  getConfigAudit: 'viewer',
};

describe('pt serve: config routes per role', () => {
  it('the probes cover every config route, each with the role of docs/api.md', () => {
    const routes = server.routes.filter((r) => r.path.startsWith('/api/v1/configs/'));
    expect(routes.map((r) => r.operationId).sort()).toEqual(Object.keys(PROBES).sort());
    for (const r of routes) expect(r.minRole, r.operationId).toBe(EXPECTED_ROLE[r.operationId]);
  });

  it('each route refuses the roles below its own (403, audited) and lets the others through; nothing changes', async () => {
    const before = state();
    for (const route of server.routes.filter((r) => r.path.startsWith('/api/v1/configs/'))) {
      const p = PROBES[route.operationId]!;
      for (const role of ROLES) {
        const n = auditLines().length;
        const r = await call(p.method, p.path, tokens[role], p.body);
        const what = `${role} ${p.method} ${p.path}: ${JSON.stringify(r.body)}`;
        if (roleAtLeast(role, route.minRole!)) {
          expect(r.status, what).toBe(p.status);
          if (p.id) expect(r.body.error.id, what).toBe(p.id);
          else expect(r.body.status, what).toBe('ok');
          expect(auditLines().length, what).toBe(n);
        } else {
          expect(r.status, what).toBe(403);
          expect(r.body.error.id).toBe('UI_AUTH_FORBIDDEN');
          const added = auditLines().slice(n);
          expect(added, what).toHaveLength(1);
          expect(added[0]).toMatchObject({ action: 'api.denied', actor: `${role}-user`, role, status: 403 });
        }
      }
    }
    const after = state();
    expect({ ...after, audit: 0 }).toEqual({ ...before, audit: 0 });
  }, 60_000);
});

describe('pt serve: the config workflow over HTTP', () => {
  it('validate checks changed files over main, and finds a violation', async () => {
    const good = await post('validate', tokens.editor, { files: refreshChange(20) });
    expect(good.body.data).toMatchObject({ ok: true, violations: [], commit: git('rev-parse', 'main') });
    const bad = await post('validate', tokens.editor, { files: refreshChange(0) });
    expect(bad.status).toBe(200);
    expect(bad.body.data.ok).toBe(false);
    expect(bad.body.data.violations.map((v: Json) => v.file)).toContain('analytics_policy.yaml');
  });

  it('schema misfits and path traversal in file names are refused; nothing changes', async () => {
    const before = state();
    const misfits: [string, unknown][] = [
      ['pr', { title: 'x', files: refreshChange(20), actor: 'someone-else' }],
      ['pr', { files: refreshChange(20) }],
      ['pr', { title: 'x', files: 'dd_policy.yaml' }],
      ['pr', { title: 'x', files: {} }],
      ['pr', { title: 'x', files: { 'dd_policy.yaml': 7 } }],
      ['approve', { id: '../cfg-1' }],
      ['approve', { id: 'cfg-1', actor: 'approver-user' }],
      ['apply', { id: 'cfg-1', env: 'moon' }],
      ['rollback', { env: 'stg' }],
      ['validate', { files: refreshChange(20), proposal_id: 'cfg-1' }],
      ['validate', {}],
    ];
    for (const [route, body] of misfits) {
      const r = await post(route, tokens.admin, body);
      expect(r.status, `${route} ${JSON.stringify(body).slice(0, 80)}`).toBe(400);
      expect(r.body.error.id).toBe('UI_API_SCHEMA');
    }
    const yaml = original('dd_policy.yaml');
    for (const name of [
      '../evil.yaml',
      '../../etc/evil.yaml',
      '/tmp/evil.yaml',
      'config/../../evil.yaml',
      'cost_profiles/../../evil.yaml',
      'cost_profiles/../dd_policy.yaml',
      '.git/config',
      'notes.txt',
    ]) {
      for (const route of ['pr', 'validate']) {
        const files = { [name]: yaml };
        const r = await post(route, tokens.admin, route === 'pr' ? { title: 'evil', files } : { files });
        expect(r.status, `${route} ${name}`).toBe(400);
        expect(r.body.error.id, name).toBe('OPS_CONFIG_PATH');
      }
    }
    expect(existsSync(join(dir, 'evil.yaml'))).toBe(false);
    expect(existsSync(join(repo, 'evil.yaml'))).toBe(false);
    expect(state()).toEqual(before);
  });

  it('a high-risk change: the author cannot approve, one approver is not enough, two are; apply then rollback is byte-identical', async () => {
    const v0 = snapshot(join(repo, 'config'));
    const pr = await post('pr', tokens.editor, { title: 'tighter warn', files: ddChange() });
    expect(pr.status, JSON.stringify(pr.body)).toBe(200);
    const p = pr.body.data.proposal;
    expect(p).toMatchObject({ id: 'cfg-1', author: 'editor-user', status: 'pr_created', branch_name: 'config/cfg-1' });
    expect(p.risk).toMatchObject({ level: 'high', required_approvals: 2 });
    expect(git('show', 'config/cfg-1:config/dd_policy.yaml')).toContain('dd_warn_portfolio: { value: 0.07');

    // The author with an approver's token is still the author.
    const self = await post('approve', authorAsApprover, { id: p.id });
    expect(self.status).toBe(403);
    expect(self.body.error.id).toBe('OPS_CONFIG_SELF');

    const a1 = await post('approve', tokens.approver, { id: p.id, checklist_url: 'https://wiki/cl/1' });
    expect(a1.body.data).toMatchObject({ actor: 'approver-user', counted: true, approvals: 1, required: 2 });
    const again = await post('approve', tokens.approver, { id: p.id });
    expect(again.body.data).toMatchObject({ counted: false, approvals: 1 });
    const early = await post('merge', tokens.approver, { id: p.id });
    expect(early.status).toBe(409);
    expect(early.body.error.id).toBe('OPS_CONFIG_APPROVALS');
    const tooEarly = await post('apply', tokens.approver, { id: p.id, env: 'stg' });
    expect(tooEarly.body.error.id).toBe('OPS_CONFIG_STATE');

    const a2 = await post('approve', tokens.admin, { id: p.id, risk_note: 'DD tighter only' });
    expect(a2.body.data).toMatchObject({ actor: 'admin-user', approvals: 2, proposal: { status: 'approved' } });
    const merged = await post('merge', tokens.approver, { id: p.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(git('rev-parse', 'main')).toBe(merged.body.data.merge_sha);

    const applied = await post('apply', tokens.approver, { id: p.id, env: 'stg' });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.data).toMatchObject({ actor: 'approver-user', version: 'config-v1', env: 'stg' });
    // main is checked out in the repository: its config/ followed the merge, so apply had nothing to write.
    expect(applied.body.data.files_written).toEqual([]);
    expect(applied.body.data.apply_dir).toBeUndefined();
    expect(readFileSync(join(repo, 'config', 'dd_policy.yaml'), 'utf8')).toContain('dd_warn_portfolio: { value: 0.07');
    expect(snapshot(join(repo, 'config'))).not.toEqual(v0);

    const back = await post('rollback', tokens.admin, { reason: 'DD alerts too early', env: 'stg' });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body.data).toMatchObject({ actor: 'admin-user', from_version: 'config-v1', to_version: 'config-v0' });
    expect(snapshot(join(repo, 'config'))).toEqual(v0);
    expect(git('status', '--porcelain')).toBe('');
  });

  it('an invalid config cannot be merged; main stays where it was', async () => {
    const pr = await post('pr', tokens.editor, { title: 'bad', files: refreshChange(0) });
    const p = pr.body.data.proposal;
    expect(p.validation.ok).toBe(false);
    const v = await post('validate', tokens.editor, { proposal_id: p.id });
    expect(v.body.data).toMatchObject({ ok: false, proposal_id: p.id, commit: p.head_sha });
    expect((await post('approve', tokens.approver, { id: p.id })).body.data.proposal.status).toBe('approved');
    const main = git('rev-parse', 'main');
    const m = await post('merge', tokens.approver, { id: p.id });
    expect(m.status).toBe(422);
    expect(m.body.error.id).toBe('OPS_CONFIG_INVALID');
    expect(git('rev-parse', 'main')).toBe(main);
  });

  it('each step is audited with the token sub as the actor; the audit route filters and pages', async () => {
    const all = await call('GET', '/api/v1/configs/audit?page_size=500', tokens.viewer);
    expect(all.status).toBe(200);
    expect(all.body.data.chain).toMatchObject({ ok: true, first_broken: null });
    const steps = all.body.data.items.map((e: Json) => [e.action, e.actor, e.proposal_id ?? null]);
    expect(steps).toEqual([
      ['config.propose', 'editor-user', 'cfg-1'],
      ['config.approve', 'approver-user', 'cfg-1'],
      ['config.approve', 'admin-user', 'cfg-1'],
      ['config.merge', 'approver-user', 'cfg-1'],
      ['config.apply', 'approver-user', 'cfg-1'],
      ['config.rollback', 'admin-user', null],
      ['config.propose', 'editor-user', 'cfg-2'],
      ['config.approve', 'approver-user', 'cfg-2'],
    ]);
    expect(all.body.data.pagination).toEqual({ page: 1, page_size: 500, total: 8 });

    const page2 = await call('GET', '/api/v1/configs/audit?page=2&page_size=3', tokens.viewer);
    expect(page2.body.data.pagination).toEqual({ page: 2, page_size: 3, total: 8 });
    expect(page2.body.data.items.map((e: Json) => e.action)).toEqual([
      'config.merge',
      'config.apply',
      'config.rollback',
    ]);
    const past = await call('GET', '/api/v1/configs/audit?page=9&page_size=3', tokens.viewer);
    expect(past.body.data).toMatchObject({ items: [], pagination: { total: 8 } });

    const approvals = await call('GET', '/api/v1/configs/audit?step=approve&id=cfg-1', tokens.viewer);
    expect(approvals.body.data.items.map((e: Json) => e.actor)).toEqual(['approver-user', 'admin-user']);
    const dd = await call('GET', '/api/v1/configs/audit?config_name=dd_policy', tokens.viewer);
    expect(dd.body.data.pagination.total).toBe(6);
    const future = await call('GET', '/api/v1/configs/audit?from=2999-01-01', tokens.viewer);
    expect(future.body.data.pagination.total).toBe(0);

    for (const q of ['step=deploy', 'page=0', 'from=2026-13-01', 'from=2026-02-01&to=2026-01-01', 'actor=x']) {
      const r = await call('GET', `/api/v1/configs/audit?${q}`, tokens.viewer);
      expect(r.status, q).toBe(400);
      expect(r.body.error.id, q).toBe('UI_API_SCHEMA');
    }
    expect((await verifyAuditFile(o.auditPath)).ok).toBe(true);
  });
});

describe('pt serve without a config repository', () => {
  it('the config routes answer 503 OPS_CONFIG_GIT', async () => {
    const { configRepo: _r, ...rest } = o;
    const s = await buildApiServer(serveDeps(loadConfig(join(repoRoot, 'config')), rest, SECRET, true));
    try {
      const r = await s.app.inject({
        method: 'GET',
        url: '/api/v1/configs/audit',
        headers: { authorization: `Bearer ${tokens.viewer}` },
      });
      expect(r.statusCode).toBe(503);
      expect(JSON.parse(r.body).error.id).toBe('OPS_CONFIG_GIT');
    } finally {
      await s.app.close();
    }
  });
});
