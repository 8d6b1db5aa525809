// The config workflow on a real git repository in a temp folder (a copy of config/): approvals and their
// rules, the merge gate, apply and rollback byte for byte, every step in the hash-chained audit log.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExecGit } from '../../src/adapters/git/execGit.js';
import {
  applyConfig,
  approveConfig,
  configAudit,
  listConfigProposals,
  mergeConfig,
  proposeConfig,
  rollbackConfig,
  type ConfigFlowContext,
} from '../../src/configflow/index.js';
import { verifyAuditFile } from '../../src/ops/audit/verifyAuditLog.js';
import { repoRoot } from '../helpers/runPt.js';

let dir = '';
let ctx: ConfigFlowContext;
let reloads = 0;

const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
  }).trim();

/** Every file of a folder, path → bytes (what "byte-identical" compares). */
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

const original = (file: string) => readFileSync(join(repoRoot, 'config', file), 'utf8');
/** A text edit of a config file as the edited copy would hold it. */
function edit(file: string, from: string, to: string): Record<string, string> {
  const text = original(file);
  expect(text).toContain(from);
  return { [file]: text.replace(from, to) };
}
const ddChange = () => edit('dd_policy.yaml', 'dd_warn_portfolio: { value: 0.08', 'dd_warn_portfolio: { value: 0.07');
const refreshChange = (s: number) =>
  edit('analytics_policy.yaml', 'value: { trading_page: 15,', `value: { trading_page: ${s},`);

async function refused(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, 'expected a refusal').toBeInstanceOf(Error);
  return (e as { id: string }).id;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-configflow-'));
  cpSync(join(repoRoot, 'config'), join(dir, 'config'), { recursive: true });
  git('init', '-q', '-b', 'main');
  // As in pt's own repository: data/ (the audit log among it) is not tracked.
  writeFileSync(join(dir, '.gitignore'), 'data/\n');
  git('add', 'config', '.gitignore');
  git('commit', '-q', '-m', 'config');
  reloads = 0;
  ctx = {
    git: new ExecGit(dir),
    auditPath: join(dir, 'data', 'ops', 'audit.jsonl'),
    requestReload: async () => [`reload ${++reloads}`],
  };
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('config workflow', () => {
  it('propose: a branch with the change, its summary, risk and validation', async () => {
    const { proposal: p } = await proposeConfig(ctx, { actor: 'alice', title: 'refresh', changes: refreshChange(20) });
    expect(p).toMatchObject({ id: 'cfg-1', status: 'pr_created', branch_name: 'config/cfg-1', author: 'alice' });
    expect(p.config_names).toEqual(['analytics_policy.yaml']);
    expect(p.change_summary).toContain('analytics_policy.yaml refresh_intervals_seconds:');
    expect(p.risk).toEqual({ level: 'normal', required_approvals: 1, reasons: [] });
    expect(p.validation.ok).toBe(true);
    expect(git('rev-parse', 'config/cfg-1^')).toBe(git('rev-parse', 'main'));
    expect(git('show', 'config/cfg-1:config/analytics_policy.yaml')).toContain('trading_page: 20,');
    // main and the checkout are untouched until a merge.
    expect(readFileSync(join(dir, 'config', 'analytics_policy.yaml'), 'utf8')).toBe(original('analytics_policy.yaml'));
    expect(git('status', '--porcelain')).toBe('');
  });

  it('refuses a path outside the config files, and a proposal that changes nothing', async () => {
    expect(await refused(proposeConfig(ctx, { actor: 'a', title: 't', changes: { '../evil.yaml': 'x: 1' } }))).toBe(
      'OPS_CONFIG_PATH',
    );
    expect(await refused(proposeConfig(ctx, { actor: 'a', title: 't', changes: { 'notes.txt': 'x' } }))).toBe(
      'OPS_CONFIG_PATH',
    );
    const same = { 'dd_policy.yaml': original('dd_policy.yaml') };
    expect(await refused(proposeConfig(ctx, { actor: 'a', title: 't', changes: same }))).toBe('OPS_CONFIG_NOCHANGE');
  });

  it('refuses self-approval (whatever the case), and counts a repeated approval once', async () => {
    const { proposal } = await proposeConfig(ctx, { actor: 'alice', title: 'refresh', changes: refreshChange(20) });
    expect(await refused(approveConfig(ctx, { id: proposal.id, actor: 'alice' }))).toBe('OPS_CONFIG_SELF');
    expect(await refused(approveConfig(ctx, { id: proposal.id, actor: ' Alice ' }))).toBe('OPS_CONFIG_SELF');
    expect(await refused(mergeConfig(ctx, { id: proposal.id, actor: 'alice' }))).toBe('OPS_CONFIG_APPROVALS');
    const r = await approveConfig(ctx, { id: proposal.id, actor: 'bob', checklistUrl: 'https://wiki/cl/1' });
    expect(r).toMatchObject({ counted: true, approvals: 1, required: 1 });
    expect(r.proposal.status).toBe('approved');
    const again = await approveConfig(ctx, { id: proposal.id, actor: 'BOB' });
    expect(again).toMatchObject({ counted: false, approvals: 1, audit_sha256: null });
    expect(await refused(approveConfig(ctx, { id: 'cfg-9', actor: 'bob' }))).toBe('OPS_CONFIG_UNKNOWN');
  });

  it('a high-risk change (dd_policy) needs two approvers; the same one twice is not two', async () => {
    const { proposal } = await proposeConfig(ctx, { actor: 'alice', title: 'tighter warn', changes: ddChange() });
    expect(proposal.risk.level).toBe('high');
    expect(proposal.risk.required_approvals).toBe(2);
    expect(proposal.risk.reasons.join()).toContain('dd_policy.yaml dd_warn_portfolio');
    await approveConfig(ctx, { id: proposal.id, actor: 'bob' });
    await approveConfig(ctx, { id: proposal.id, actor: 'bob' });
    expect(await refused(mergeConfig(ctx, { id: proposal.id, actor: 'bob' }))).toBe('OPS_CONFIG_APPROVALS');
    const main = git('rev-parse', 'main');
    const r2 = await approveConfig(ctx, { id: proposal.id, actor: 'carol', riskNote: 'DD tighter only' });
    expect(r2.proposal.status).toBe('approved');
    const m = await mergeConfig(ctx, { id: proposal.id, actor: 'carol' });
    expect(git('rev-parse', 'main')).toBe(m.merge_sha);
    expect(git('rev-list', '--parents', '-n', '1', 'main').split(' ')).toEqual([m.merge_sha, main, proposal.head_sha]);
    // main is checked out here: its config/ and index followed the merge.
    expect(readFileSync(join(dir, 'config', 'dd_policy.yaml'), 'utf8')).toContain('dd_warn_portfolio: { value: 0.07');
    expect(git('status', '--porcelain')).toBe('');
  });

  it('θ and cost changes are high-risk too; a label or another key is not', async () => {
    const theta = await proposeConfig(ctx, {
      actor: 'a',
      title: 'θ1',
      changes: edit('core_policy.yaml', 'theta1_initial: { value: 0.70', 'theta1_initial: { value: 0.72'),
    });
    expect(theta.proposal.risk.reasons).toEqual(['core_policy.yaml theta1_initial: θ changed']);
    const costs = await proposeConfig(ctx, {
      actor: 'a',
      title: 'ecn',
      changes: { 'cost_profiles/ecn.yaml': `${original('cost_profiles/ecn.yaml')}\n# reviewed\n` },
    });
    // A comment only: the file changes, no value does.
    expect(costs.proposal.risk.level).toBe('normal');
    const zExit = await proposeConfig(ctx, {
      actor: 'a',
      title: 'z',
      changes: edit('core_policy.yaml', 'z_exit: { value: 0.5', 'z_exit: { value: 0.6'),
    });
    expect(zExit.proposal.risk.level).toBe('normal');
  });

  it('merge refuses to overwrite a local edit of the checked-out main; nothing moves', async () => {
    const { proposal } = await proposeConfig(ctx, { actor: 'alice', title: 'dd', changes: ddChange() });
    for (const who of ['bob', 'carol']) await approveConfig(ctx, { id: proposal.id, actor: who });
    writeFileSync(join(dir, 'config', 'dd_policy.yaml'), `${original('dd_policy.yaml')}# local\n`);
    const main = git('rev-parse', 'main');
    expect(await refused(mergeConfig(ctx, { id: proposal.id, actor: 'bob' }))).toBe('OPS_CONFIG_GIT');
    expect(git('rev-parse', 'main')).toBe(main);
    expect(readFileSync(join(dir, 'config', 'dd_policy.yaml'), 'utf8')).toContain('# local');
    expect((await listConfigProposals(ctx)).proposals[0]!.status).toBe('approved');
  });

  it('an invalid config cannot be merged; main stays where it was', async () => {
    const { proposal } = await proposeConfig(ctx, { actor: 'alice', title: 'bad', changes: refreshChange(0) });
    expect(proposal.validation.ok).toBe(false);
    expect(proposal.validation.violations.map((v) => v.file)).toContain('analytics_policy.yaml');
    await approveConfig(ctx, { id: proposal.id, actor: 'bob' });
    const main = git('rev-parse', 'main');
    expect(await refused(mergeConfig(ctx, { id: proposal.id, actor: 'bob' }))).toBe('OPS_CONFIG_INVALID');
    expect(git('rev-parse', 'main')).toBe(main);
    expect((await listConfigProposals(ctx)).proposals[0]!.status).toBe('approved');
  });

  it('apply then rollback gives back config/ byte for byte; each rollback goes one version back', async () => {
    const v0 = snapshot(join(dir, 'config'));
    const a = await proposeConfig(ctx, { actor: 'alice', title: 'refresh', changes: refreshChange(20) });
    await approveConfig(ctx, { id: a.proposal.id, actor: 'bob' });
    await mergeConfig(ctx, { id: a.proposal.id, actor: 'bob' });
    const applied1 = await applyConfig(ctx, { id: a.proposal.id, actor: 'bob', env: 'stg' });
    expect(applied1).toMatchObject({ version: 'config-v1', env: 'stg' });
    expect(git('rev-parse', 'config-v1^{commit}')).toBe(applied1.merge_sha);
    expect(git('rev-parse', 'config-v0^{commit}')).toBe(a.proposal.base_sha);
    expect(await refused(applyConfig(ctx, { id: a.proposal.id, actor: 'bob', env: 'stg' }))).toBe('OPS_CONFIG_STATE');
    const v1 = snapshot(join(dir, 'config'));
    expect(v1).not.toEqual(v0);

    const b = await proposeConfig(ctx, { actor: 'alice', title: 'dd', changes: ddChange() });
    await approveConfig(ctx, { id: b.proposal.id, actor: 'bob' });
    await approveConfig(ctx, { id: b.proposal.id, actor: 'carol' });
    await mergeConfig(ctx, { id: b.proposal.id, actor: 'carol' });
    const applied2 = await applyConfig(ctx, { id: b.proposal.id, actor: 'carol', env: 'prod' });
    expect(applied2.version).toBe('config-v2');
    expect(snapshot(join(dir, 'config'))).not.toEqual(v1);

    const back = await rollbackConfig(ctx, { actor: 'carol', reason: 'Sharpe -25%', env: 'prod' });
    expect(back).toMatchObject({ from_version: 'config-v2', to_version: 'config-v1', checksum: applied1.checksum });
    expect(back.config_names).toEqual(['dd_policy.yaml']);
    expect(snapshot(join(dir, 'config'))).toEqual(v1);
    expect(git('rev-parse', 'main:config')).toBe(git('rev-parse', 'config-v1:config'));
    expect(git('status', '--porcelain')).toBe('');
    const listed = await listConfigProposals(ctx);
    expect(listed.proposals.map((p) => p.status)).toEqual(['applied', 'rolled_back']);

    await rollbackConfig(ctx, { actor: 'carol', reason: null, env: 'prod' });
    expect(snapshot(join(dir, 'config'))).toEqual(v0);
    expect(await refused(rollbackConfig(ctx, { actor: 'carol', reason: null, env: 'prod' }))).toBe('OPS_CONFIG_NOPREV');
    expect(reloads).toBe(4);

    // After rollbacks the next apply takes a new number, never a rolled-back one.
    const c = await proposeConfig(ctx, { actor: 'alice', title: 'refresh again', changes: refreshChange(25) });
    await approveConfig(ctx, { id: c.proposal.id, actor: 'bob' });
    await mergeConfig(ctx, { id: c.proposal.id, actor: 'bob' });
    expect((await applyConfig(ctx, { id: c.proposal.id, actor: 'bob', env: 'dev' })).version).toBe('config-v3');
  });

  it('apply writes to a separate apply folder; a merge superseded by a later one is applied with it', async () => {
    const applyDir = join(dir, 'deployed');
    const wctx = { ...ctx, applyDir };
    const a = await proposeConfig(wctx, { actor: 'alice', title: 'refresh', changes: refreshChange(20) });
    const b = await proposeConfig(wctx, { actor: 'alice', title: 'dd', changes: ddChange() });
    await approveConfig(wctx, { id: a.proposal.id, actor: 'bob' });
    await mergeConfig(wctx, { id: a.proposal.id, actor: 'bob' });
    for (const who of ['bob', 'carol']) await approveConfig(wctx, { id: b.proposal.id, actor: who });
    await mergeConfig(wctx, { id: b.proposal.id, actor: 'bob' });
    expect(await refused(applyConfig(wctx, { id: a.proposal.id, actor: 'bob', env: 'dev' }))).toBe('OPS_CONFIG_STATE');
    const r = await applyConfig(wctx, { id: b.proposal.id, actor: 'bob', env: 'dev' });
    expect(r.apply_dir).toBe(applyDir);
    expect(snapshot(applyDir)).toEqual(snapshot(join(dir, 'config')));
    const { proposals, applied } = await listConfigProposals(wctx);
    expect(proposals.map((p) => [p.id, p.status, p.applied?.version])).toEqual([
      ['cfg-1', 'applied', 'config-v1'],
      ['cfg-2', 'applied', 'config-v1'],
    ]);
    expect(applied.versions.map((v) => v.proposal_ids)).toEqual([[], ['cfg-1', 'cfg-2']]);
  });

  it('concurrent proposals get distinct ids and branches (the workflow lock)', async () => {
    const rs = await Promise.all(
      [20, 21, 22].map((s) => proposeConfig(ctx, { actor: 'alice', title: `r${s}`, changes: refreshChange(s) })),
    );
    expect(rs.map((r) => r.proposal.id).sort()).toEqual(['cfg-1', 'cfg-2', 'cfg-3']);
    expect(git('branch', '--list', 'config/*').split('\n').length).toBe(3);
  });

  it('every step is audited with its fields, and the audit log verifies', async () => {
    const { proposal } = await proposeConfig(ctx, { actor: 'alice', title: 'dd', changes: ddChange() });
    await approveConfig(ctx, { id: proposal.id, actor: 'bob', checklistUrl: 'https://wiki/cl/1' });
    await approveConfig(ctx, { id: proposal.id, actor: 'carol' });
    const m = await mergeConfig(ctx, { id: proposal.id, actor: 'carol' });
    const ap = await applyConfig(ctx, { id: proposal.id, actor: 'dave', env: 'prod' });
    await rollbackConfig(ctx, { actor: 'dave', reason: 'KPI', env: 'prod' });
    const r = await configAudit(ctx);
    expect(r.chain.ok).toBe(true);
    expect((await verifyAuditFile(ctx.auditPath)).ok).toBe(true);
    expect(r.entries.map((e) => [e.action, e.actor])).toEqual([
      ['config.propose', 'alice'],
      ['config.approve', 'bob'],
      ['config.approve', 'carol'],
      ['config.merge', 'carol'],
      ['config.apply', 'dave'],
      ['config.rollback', 'dave'],
    ]);
    expect(r.entries[1]).toMatchObject({
      event: 'CONFIG_APPROVED',
      approvers: ['bob'],
      checklist_url: 'https://wiki/cl/1',
    });
    expect(r.entries[4]).toMatchObject({
      event: 'CONFIG_APPLIED',
      config_name: 'dd_policy.yaml',
      version: 'config-v1',
      checksum: ap.checksum,
      merge_sha: m.merge_sha,
      applied_by: 'dave',
      env: 'prod',
    });
    expect(r.entries[4]!.applied_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(r.entries[5]).toMatchObject({ from_version: 'config-v1', to_version: 'config-v0', reason: 'KPI' });
    expect((await configAudit(ctx, { step: 'approve' })).entries).toHaveLength(2);
    expect((await configAudit(ctx, { configName: 'dd_policy' })).entries).toHaveLength(6);
    expect((await configAudit(ctx, { configName: 'analytics_policy.yaml' })).entries).toHaveLength(0);
    // A proposal's entries include the rollback of the version it was applied in.
    expect((await configAudit(ctx, { id: proposal.id })).entries).toHaveLength(6);
    // An edited line breaks the chain, and the listing says so.
    const log = readFileSync(ctx.auditPath, 'utf8');
    writeFileSync(ctx.auditPath, log.replace('"actor":"bob"', '"actor":"eve"'));
    expect((await configAudit(ctx)).chain.firstBroken?.line).toBe(2);
  });
});
