// The config workflow (seed: 設定変更ワークフロー): propose → approve → merge → apply, and rollback, on git,
// each step audited in the ops audit log. pt config's subcommands and pt serve's /configs routes call these.
import { readFile, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ensureDirDurable, writeFileAtomic } from '../core/durableFs.js';
import { PtError } from '../core/ptError.js';
import { appendAudit } from '../ops/audit/appendAudit.js';
import type { AuditAction, AuditEntry } from '../ops/audit/auditEntry.js';
import { verifyAuditLog, type AuditVerifyResult } from '../ops/audit/verifyAuditLog.js';
import type { Violation } from '../config/violation.js';
import type { GitIdentity, GitPort } from '../ports/git.js';
import { diffConfig, riskOf, summarize } from './changeRisk.js';
import { assertConfigPath, configChecksum, sameFiles, validateFiles, type ConfigFiles } from './configFiles.js';
import { FlowStore } from './flowStore.js';
import type {
  AppliedState,
  AppliedVersion,
  ConfigFlowContext,
  ConfigProposal,
  ConfigValidation,
  ProposalStatus,
} from './flowTypes.js';

const SOURCE = 'configflow';

function configPathOf(ctx: ConfigFlowContext): string {
  return (ctx.configPath ?? 'config').replace(/\/+$/, '');
}
function mainOf(ctx: ConfigFlowContext): string {
  return ctx.mainBranch ?? 'main';
}
function nowOf(ctx: ConfigFlowContext): Date {
  return (ctx.now ?? (() => new Date()))();
}
function applyDirOf(ctx: ConfigFlowContext): string {
  return ctx.applyDir ?? join(ctx.git.repoDir, configPathOf(ctx));
}

/** The actor as git's author and committer (git refuses angle brackets and line breaks in a name). */
function identity(actor: string): GitIdentity {
  return { name: actor.replace(/[<>\r\n]/g, '_'), email: `${actor.replace(/[^A-Za-z0-9._-]/g, '_')}@pt.invalid` };
}

/** Who is who for the self-approval and duplicate rules: case and outer spaces do not make another person. */
function person(actor: string): string {
  return actor.trim().toLowerCase();
}

function requireActor(actor: string): string {
  const a = actor.trim();
  if (a === '') throw new PtError('OPS_CONFIG_STATE', 'every config workflow step needs an actor', { source: SOURCE });
  return a;
}

async function mainHead(ctx: ConfigFlowContext): Promise<string> {
  const sha = await ctx.git.resolve(`refs/heads/${mainOf(ctx)}`);
  if (!sha)
    throw new PtError('OPS_CONFIG_GIT', `no branch ${mainOf(ctx)} in ${ctx.git.repoDir}`, {
      source: SOURCE,
      details: { repo: ctx.git.repoDir },
    });
  return sha;
}

/** The config folder of a commit (or tree) as bytes. */
export async function readConfigFolder(git: GitPort, treeish: string, configPath = 'config'): Promise<ConfigFiles> {
  const files: ConfigFiles = new Map();
  for (const f of await git.listFiles(treeish, configPath)) files.set(f.path, await git.readBlob(f.blob));
  return files;
}

function refuseState(p: ConfigProposal, wanted: string): never {
  throw new PtError('OPS_CONFIG_STATE', `proposal ${p.id} is ${p.status}: ${wanted}`, {
    source: SOURCE,
    details: { id: p.id, status: p.status },
  });
}

async function audit(
  ctx: ConfigFlowContext,
  action: AuditAction,
  actor: string,
  scope: string,
  reason: string | null,
  before: unknown,
  after: unknown,
  fields: Record<string, unknown>,
): Promise<string> {
  const now = ctx.now;
  const r = await appendAudit(
    ctx.auditPath,
    { action, actor, scope, reason, before, after, ...fields },
    now ? { now } : {},
  );
  return r.sha256;
}

const statusOf = (p: ConfigProposal): { status: ProposalStatus } => ({ status: p.status });

// ---------------------------------------------------------------- propose

export interface ProposeInput {
  actor: string;
  /** What the change is for, in the author's words. */
  title: string;
  /** Paths relative to the config folder → new content, or null to remove the file. */
  changes: Record<string, string | Uint8Array | null>;
}

export interface ProposeResult {
  proposal: ConfigProposal;
  audit_sha256: string;
}

/**
 * Opens a proposal: a branch `config/<id>` off main with the changed files committed, its key-by-key
 * summary and risk, and `pt config validate`'s verdict on the branch (a failing one is recorded, and
 * merge refuses it). Refused: a path outside the config files (OPS_CONFIG_PATH), no change (OPS_CONFIG_NOCHANGE).
 */
export async function proposeConfig(ctx: ConfigFlowContext, input: ProposeInput): Promise<ProposeResult> {
  const actor = requireActor(input.actor);
  const title = input.title.trim();
  for (const path of Object.keys(input.changes)) assertConfigPath(path);
  const store = await FlowStore.open(ctx);
  return store.locked(async () => {
    const base = await mainHead(ctx);
    const before = await readConfigFolder(ctx.git, base, configPathOf(ctx));
    const after: ConfigFiles = new Map(before);
    for (const [path, content] of Object.entries(input.changes)) {
      if (content === null) after.delete(path);
      else after.set(path, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    }
    if (sameFiles(before, after))
      throw new PtError('OPS_CONFIG_NOCHANGE', `the proposed config is the same as ${mainOf(ctx)}'s`, {
        source: SOURCE,
      });
    const changes = diffConfig(before, after);
    const change_summary = summarize(changes);
    const id = await store.nextId();
    const branch_name = `config/${id}`;
    const head = await ctx.git.commitFolder({
      base,
      dir: configPathOf(ctx),
      files: after,
      parents: [base],
      message: `config ${id}: ${title || 'config change'}\n\n${change_summary}\n`,
      author: identity(actor),
    });
    await ctx.git.moveBranch(branch_name, head, null);
    const check = await validateFiles(after);
    const proposal: ConfigProposal = {
      id,
      status: 'pr_created',
      author: actor,
      created_at: nowOf(ctx).toISOString(),
      title,
      branch_name,
      base_sha: base,
      head_sha: head,
      config_names: [...new Set(changes.map((c) => c.file))],
      changes,
      change_summary,
      risk: riskOf(changes),
      validation: { ok: check.ok, commit: head, violations: check.violations },
      approvals: [],
    };
    await store.save(proposal);
    const audit_sha256 = await audit(
      ctx,
      'config.propose',
      actor,
      `config:${id}`,
      title || null,
      null,
      statusOf(proposal),
      {
        event: 'CONFIG_PR_CREATED',
        proposal_id: id,
        config_name: proposal.config_names.join(','),
        config_names: proposal.config_names,
        branch_name,
        head_sha: head,
        pr_url: null,
        change_summary,
        risk_level: proposal.risk.level,
        required_approvals: proposal.risk.required_approvals,
        valid: check.ok,
      },
    );
    return { proposal, audit_sha256 };
  });
}

// ---------------------------------------------------------------- validate

export interface CheckResult {
  ok: boolean;
  /** The commit whose config folder was the base: main's, or the proposal's branch. */
  commit: string;
  violations: Violation[];
}

/**
 * `pt config validate`'s check without changing anything: of main's config folder with `changes`
 * laid over it (null removes a file), or of a proposal's branch.
 */
export async function checkConfigFiles(
  ctx: ConfigFlowContext,
  what: { changes: Record<string, string | Uint8Array | null> } | { id: string },
): Promise<CheckResult> {
  let commit: string;
  let files: ConfigFiles;
  if ('id' in what) {
    const p = await (await FlowStore.open(ctx)).proposal(what.id);
    commit = p.head_sha;
    files = await readConfigFolder(ctx.git, commit, configPathOf(ctx));
  } else {
    for (const path of Object.keys(what.changes)) assertConfigPath(path);
    commit = await mainHead(ctx);
    files = await readConfigFolder(ctx.git, commit, configPathOf(ctx));
    for (const [path, content] of Object.entries(what.changes)) {
      if (content === null) files.delete(path);
      else files.set(path, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    }
  }
  const check = await validateFiles(files);
  return { ok: check.ok, commit, violations: check.violations };
}

// ---------------------------------------------------------------- approve

export interface ApproveInput {
  id: string;
  actor: string;
  checklistUrl?: string;
  riskNote?: string;
}

export interface ApproveResult {
  proposal: ConfigProposal;
  /** False when this approver had approved already (a second approval by the same person does not count). */
  counted: boolean;
  approvals: number;
  required: number;
  /** Null when nothing was recorded (a repeated approval). */
  audit_sha256: string | null;
}

/** Records an approval; the author cannot approve (OPS_CONFIG_SELF); enough approvals make it `approved`. */
export async function approveConfig(ctx: ConfigFlowContext, input: ApproveInput): Promise<ApproveResult> {
  const actor = requireActor(input.actor);
  const store = await FlowStore.open(ctx);
  return store.locked(async () => {
    const p = await store.proposal(input.id);
    if (p.status !== 'pr_created' && p.status !== 'approved') refuseState(p, 'only an open proposal can be approved');
    if (person(actor) === person(p.author))
      throw new PtError('OPS_CONFIG_SELF', `${actor} proposed ${p.id} and cannot approve it`, {
        source: SOURCE,
        details: { id: p.id, author: p.author },
      });
    const required = p.risk.required_approvals;
    if (p.approvals.some((a) => person(a.by) === person(actor)))
      return { proposal: p, counted: false, approvals: p.approvals.length, required, audit_sha256: null };
    const before = statusOf(p);
    const approval = {
      by: actor,
      at: nowOf(ctx).toISOString(),
      checklist_url: input.checklistUrl ?? null,
      risk_note: input.riskNote ?? null,
    };
    p.approvals.push(approval);
    if (p.approvals.length >= required) p.status = 'approved';
    await store.save(p);
    const audit_sha256 = await audit(ctx, 'config.approve', actor, `config:${p.id}`, null, before, statusOf(p), {
      event: 'CONFIG_APPROVED',
      proposal_id: p.id,
      config_name: p.config_names.join(','),
      approvers: p.approvals.map((a) => a.by),
      checklist_url: approval.checklist_url,
      risk_note: approval.risk_note,
      approvals: p.approvals.length,
      required_approvals: required,
    });
    return { proposal: p, counted: true, approvals: p.approvals.length, required, audit_sha256 };
  });
}

// ---------------------------------------------------------------- merge

export interface MergeInput {
  id: string;
  actor: string;
}

export interface MergeResult {
  proposal: ConfigProposal;
  merge_sha: string;
  validation: ConfigValidation;
  audit_sha256: string;
}

/**
 * Merges the branch into main with a merge commit, only with enough approvals (OPS_CONFIG_APPROVALS),
 * without conflicts (OPS_CONFIG_CONFLICT), and when the merged config passes `pt config validate`'s
 * check (OPS_CONFIG_INVALID): what main would hold is what is checked.
 */
export async function mergeConfig(ctx: ConfigFlowContext, input: MergeInput): Promise<MergeResult> {
  const actor = requireActor(input.actor);
  const store = await FlowStore.open(ctx);
  return store.locked(async () => {
    const p = await store.proposal(input.id);
    if (p.status !== 'pr_created' && p.status !== 'approved') refuseState(p, 'only an approved proposal can be merged');
    const required = p.risk.required_approvals;
    if (p.approvals.length < required)
      throw new PtError(
        'OPS_CONFIG_APPROVALS',
        `${p.id} has ${p.approvals.length} approval(s); its ${p.risk.level}-risk change needs ${required}` +
          (p.risk.reasons.length ? ` (${p.risk.reasons.join('; ')})` : ''),
        { source: SOURCE, details: { id: p.id, approvals: p.approvals.length, required, reasons: p.risk.reasons } },
      );
    const main = await mainHead(ctx);
    const merged = await ctx.git.mergeTrees(main, p.head_sha);
    if ('conflicts' in merged)
      throw new PtError(
        'OPS_CONFIG_CONFLICT',
        `${p.branch_name} conflicts with ${mainOf(ctx)} in ${merged.conflicts.join(', ')}: propose again from the new ${mainOf(ctx)}`,
        { source: SOURCE, details: { id: p.id, conflicts: merged.conflicts } },
      );
    const check = await validateFiles(await readConfigFolder(ctx.git, merged.tree, configPathOf(ctx)));
    if (!check.ok) {
      p.validation = { ok: false, commit: merged.tree, violations: check.violations };
      await store.save(p);
      throw new PtError(
        'OPS_CONFIG_INVALID',
        `${p.id} cannot be merged: the merged config fails validation (${check.violations.length} violation(s); first: ` +
          `${check.violations[0]!.file}: ${check.violations[0]!.path}: ${check.violations[0]!.rule})`,
        { source: SOURCE, details: { id: p.id, violations: check.violations } },
      );
    }
    const merge_sha = await ctx.git.commitTree({
      tree: merged.tree,
      parents: [main, p.head_sha],
      message:
        `Merge ${p.branch_name}: ${p.title || 'config change'}\n\n${p.change_summary}\n\n` +
        p.approvals.map((a) => `Approved-by: ${a.by}\n`).join(''),
      author: identity(actor),
    });
    await ctx.git.moveBranch(mainOf(ctx), merge_sha, main);
    const applied = await store.applied();
    // The config in force before the workflow's first apply: it becomes config-v0, the first rollback's target.
    if (applied.versions.length === 0 && applied.baseline_sha === null) {
      applied.baseline_sha = main;
      await store.saveApplied(applied);
    }
    const before = statusOf(p);
    const merged_at = nowOf(ctx).toISOString();
    p.status = 'merged';
    p.validation = { ok: true, commit: merge_sha, violations: [] };
    p.merge = { merge_sha, merged_at, merged_by: actor };
    await store.save(p);
    const audit_sha256 = await audit(ctx, 'config.merge', actor, `config:${p.id}`, null, before, statusOf(p), {
      event: 'CONFIG_MERGED',
      proposal_id: p.id,
      config_name: p.config_names.join(','),
      branch_name: p.branch_name,
      merge_sha,
      merged_at,
      approvers: p.approvals.map((a) => a.by),
    });
    return { proposal: p, merge_sha, validation: p.validation, audit_sha256 };
  });
}

// ---------------------------------------------------------------- apply and rollback

const CONFIG_FILE = /^(?:[a-z_]+\.yaml|cost_profiles\/[A-Za-z0-9_-]+\.yaml)$/;

async function listConfigDir(dir: string): Promise<string[]> {
  const out: string[] = [];
  const names = async (d: string) =>
    readdir(d).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? [] : Promise.reject(e)));
  for (const n of await names(dir)) if (CONFIG_FILE.test(n)) out.push(n);
  for (const n of await names(join(dir, 'cost_profiles')))
    if (CONFIG_FILE.test(`cost_profiles/${n}`)) out.push(`cost_profiles/${n}`);
  return out;
}

/**
 * Makes `dir` hold exactly `files` (config files only: other files there are left alone); a file
 * already equal is not rewritten. Returns the paths written or removed.
 */
async function writeConfigDir(dir: string, files: ConfigFiles): Promise<string[]> {
  const touched: string[] = [];
  for (const [path, bytes] of files) {
    const target = join(dir, path);
    const old = await readFile(target).catch(() => undefined);
    if (old && Buffer.compare(old, Buffer.from(bytes)) === 0) continue;
    await ensureDirDurable(dirname(target));
    await writeFileAtomic(target, bytes);
    touched.push(path);
  }
  for (const path of await listConfigDir(dir)) {
    if (files.has(path)) continue;
    await rm(join(dir, path));
    touched.push(path);
  }
  return touched.sort();
}

function versionStamp(at: Date, sha: string): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const d = `${at.getUTCFullYear()}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}_${p(at.getUTCHours())}${p(at.getUTCMinutes())}`;
  return `${d}_${sha.slice(0, 7)}`;
}

async function tagVersion(ctx: ConfigFlowContext, tag: string, sha: string, message: string, actor: string) {
  const existing = await ctx.git.resolve(`refs/tags/${tag}`);
  // A rerun after a crash between the tag and the state file finds its own tag.
  if (existing === sha) return;
  await ctx.git.createTag({ name: tag, sha, message, author: identity(actor) });
}

async function askReload(ctx: ConfigFlowContext): Promise<string[]> {
  if (!ctx.requestReload) return [];
  try {
    return await ctx.requestReload();
  } catch (e) {
    return [`reload request failed: ${(e as Error).message}`];
  }
}

function currentVersion(s: AppliedState): AppliedVersion | undefined {
  return [...s.versions].reverse().find((v) => !v.rolled_back);
}

export interface ApplyInput {
  id: string;
  actor: string;
  /** dev | stg | prod (recorded). */
  env: string;
}

export interface ApplyResult {
  proposal: ConfigProposal;
  /** The tag: `config-v<N>`. */
  version: string;
  version_stamp: string;
  checksum: string;
  merge_sha: string;
  env: string;
  /** Config files written into (or removed from) the apply folder. */
  files_written: string[];
  apply_dir: string;
  reload: string[];
  audit_sha256: string;
}

/**
 * Applies a merged proposal: tags its merge commit `config-v<N>` (the first apply also tags the config
 * in force before as `config-v0`), writes that config folder into the apply folder, records the audit
 * entry (config names, version, checksum, merge sha, applied by/at, env) and asks shards to reload.
 * Refused when main's config has changed since the merge (a later merge or a rollback supersedes it).
 */
export async function applyConfig(ctx: ConfigFlowContext, input: ApplyInput): Promise<ApplyResult> {
  const actor = requireActor(input.actor);
  const store = await FlowStore.open(ctx);
  return store.locked(async () => {
    const p = await store.proposal(input.id);
    if (p.status !== 'merged' || !p.merge)
      refuseState(p, p.applied ? `already applied as ${p.applied.version}` : 'only a merged proposal can be applied');
    const merge_sha = p.merge.merge_sha;
    const dir = configPathOf(ctx);
    const files = await readConfigFolder(ctx.git, merge_sha, dir);
    if (!sameFiles(files, await readConfigFolder(ctx.git, await mainHead(ctx), dir)))
      throw new PtError(
        'OPS_CONFIG_STATE',
        `${p.id} is superseded: ${mainOf(ctx)}'s config changed after its merge (a later merge or a rollback); apply the latest merged proposal`,
        { source: SOURCE, details: { id: p.id, merge_sha } },
      );
    const at = nowOf(ctx);
    const applied_at = at.toISOString();
    const state = await store.applied();
    if (state.versions.length === 0) {
      const baseline = state.baseline_sha ?? p.base_sha;
      await tagVersion(ctx, 'config-v0', baseline, 'config in force before the first workflow apply', actor);
      state.versions.push({
        n: 0,
        tag: 'config-v0',
        commit: baseline,
        checksum: configChecksum(await readConfigFolder(ctx.git, baseline, dir)),
        version_stamp: versionStamp(at, baseline),
        proposal_ids: [],
        applied_at: null,
        applied_by: null,
        env: null,
      });
    }
    const n = Math.max(...state.versions.map((v) => v.n)) + 1;
    const version = `config-v${n}`;
    const checksum = configChecksum(files);
    const version_stamp = versionStamp(at, merge_sha);
    await tagVersion(ctx, version, merge_sha, `${p.id}: ${p.title}\n\nchecksum ${checksum}\nenv ${input.env}\n`, actor);
    const previous = currentVersion(state);
    const apply_dir = applyDirOf(ctx);
    const files_written = await writeConfigDir(apply_dir, files);
    // Earlier merges that this merge contains are applied with it.
    const withIt: ConfigProposal[] = [];
    for (const q of await store.proposals())
      if (
        q.id === p.id ||
        (q.status === 'merged' && q.merge && (await ctx.git.isAncestor(q.merge.merge_sha, merge_sha)))
      )
        withIt.push(q.id === p.id ? p : q);
    state.versions.push({
      n,
      tag: version,
      commit: merge_sha,
      checksum,
      version_stamp,
      proposal_ids: withIt.map((q) => q.id),
      applied_at,
      applied_by: actor,
      env: input.env,
    });
    await store.saveApplied(state);
    const before = statusOf(p);
    for (const q of withIt) {
      q.status = 'applied';
      q.applied = { version, applied_at, applied_by: actor, env: input.env };
      await store.save(q);
    }
    const audit_sha256 = await audit(ctx, 'config.apply', actor, `config:${p.id}`, null, before, statusOf(p), {
      event: 'CONFIG_APPLIED',
      proposal_id: p.id,
      proposal_ids: withIt.map((q) => q.id),
      config_name: p.config_names.join(','),
      config_names: p.config_names,
      version,
      version_stamp,
      previous_version: previous?.tag ?? null,
      checksum,
      merge_sha,
      applied_by: actor,
      applied_at,
      env: input.env,
      target_env: input.env,
    });
    const reload = await askReload(ctx);
    return {
      proposal: p,
      version,
      version_stamp,
      checksum,
      merge_sha,
      env: input.env,
      files_written,
      apply_dir,
      reload,
      audit_sha256,
    };
  });
}

export interface RollbackInput {
  actor: string;
  reason: string | null;
  env: string;
}

export interface RollbackResult {
  from_version: string;
  to_version: string;
  /** The commit on main whose config folder is the target version's. */
  rollback_sha: string;
  checksum: string;
  config_names: string[];
  files_written: string[];
  apply_dir: string;
  reload: string[];
  audit_sha256: string;
}

/**
 * Returns the config to the applied version before the one in force: a commit on main whose config
 * folder is that tag's, byte for byte, written into the apply folder, audited, shards asked to
 * reload. The version rolled back (and its proposals) is marked; OPS_CONFIG_NOPREV when there is none before.
 */
export async function rollbackConfig(ctx: ConfigFlowContext, input: RollbackInput): Promise<RollbackResult> {
  const actor = requireActor(input.actor);
  const store = await FlowStore.open(ctx);
  return store.locked(async () => {
    const state = await store.applied();
    const current = currentVersion(state);
    const target = current && [...state.versions].reverse().find((v) => v.n < current.n && !v.rolled_back);
    if (!current || !target)
      throw new PtError(
        'OPS_CONFIG_NOPREV',
        current
          ? `${current.tag} is the first version the workflow knows: nothing before it to roll back to`
          : 'no config version has been applied by the workflow: nothing to roll back',
        { source: SOURCE, details: { current: current?.tag ?? null } },
      );
    const dir = configPathOf(ctx);
    const files = await readConfigFolder(ctx.git, target.commit, dir);
    const from = await readConfigFolder(ctx.git, current.commit, dir);
    const config_names = [...new Set(diffConfig(from, files).map((c) => c.file))];
    const main = await mainHead(ctx);
    const rollback_sha = await ctx.git.commitFolder({
      base: main,
      dir,
      files,
      parents: [main],
      message: `config rollback ${current.tag} → ${target.tag}${input.reason ? `: ${input.reason}` : ''}\n`,
      author: identity(actor),
    });
    await ctx.git.moveBranch(mainOf(ctx), rollback_sha, main);
    const apply_dir = applyDirOf(ctx);
    const files_written = await writeConfigDir(apply_dir, files);
    const at = nowOf(ctx).toISOString();
    current.rolled_back = { at, by: actor, to_version: target.tag, reason: input.reason, rollback_sha };
    await store.saveApplied(state);
    for (const id of current.proposal_ids) {
      const q = await store.proposal(id);
      q.status = 'rolled_back';
      q.rolled_back = { at, by: actor, to_version: target.tag, reason: input.reason };
      await store.save(q);
    }
    const checksum = configChecksum(files);
    const audit_sha256 = await audit(
      ctx,
      'config.rollback',
      actor,
      'config',
      input.reason,
      { version: current.tag, checksum: current.checksum },
      { version: target.tag, checksum },
      {
        event: 'CONFIG_ROLLBACK',
        from_version: current.tag,
        to_version: target.tag,
        proposal_ids: current.proposal_ids,
        config_name: config_names.join(','),
        config_names,
        checksum,
        rollback_sha,
        applied_by: actor,
        applied_at: at,
        env: input.env,
      },
    );
    const reload = await askReload(ctx);
    return {
      from_version: current.tag,
      to_version: target.tag,
      rollback_sha,
      checksum,
      config_names,
      files_written,
      apply_dir,
      reload,
      audit_sha256,
    };
  });
}

// ---------------------------------------------------------------- audit

export interface AuditQuery {
  /** Entries of one proposal (its rollbacks included). */
  id?: string;
  /** Entries whose config names include this file (`dd_policy.yaml` or `dd_policy`). */
  configName?: string;
  /** One step: propose | approve | merge | apply | rollback. */
  step?: 'propose' | 'approve' | 'merge' | 'apply' | 'rollback';
  /** ISO times, from inclusive, to exclusive. */
  from?: string;
  to?: string;
}

export interface ConfigAuditResult {
  path: string;
  entries: AuditEntry[];
  /** The whole log's hash chain (every action's entries, not only the workflow's). */
  chain: AuditVerifyResult;
}

/** The workflow's audit entries (`config.*` actions), oldest first, and whether the log's chain holds. */
export async function configAudit(ctx: ConfigFlowContext, q: AuditQuery = {}): Promise<ConfigAuditResult> {
  const bytes = await readFile(ctx.auditPath).catch((e: NodeJS.ErrnoException) =>
    e.code === 'ENOENT' ? Buffer.alloc(0) : Promise.reject(e),
  );
  const chain = verifyAuditLog(bytes);
  const name = q.configName?.replace(/\.yaml$/, '');
  const entries: AuditEntry[] = [];
  for (const line of bytes.toString('utf8').split('\n')) {
    if (!line) continue;
    let e: AuditEntry;
    try {
      e = JSON.parse(line) as AuditEntry;
    } catch {
      continue;
    }
    if (typeof e.action !== 'string' || !e.action.startsWith('config.')) continue;
    if (q.step && e.action !== `config.${q.step}`) continue;
    if (q.id && e.proposal_id !== q.id && !(Array.isArray(e.proposal_ids) && e.proposal_ids.includes(q.id))) continue;
    if (name) {
      const names = Array.isArray(e.config_names)
        ? (e.config_names as string[])
        : String(e.config_name ?? '').split(',');
      if (!names.some((n) => n.replace(/\.yaml$/, '') === name)) continue;
    }
    if (q.from && e.time < q.from) continue;
    if (q.to && e.time >= q.to) continue;
    entries.push(e);
  }
  return { path: ctx.auditPath, entries, chain };
}

/** Every proposal, oldest first, and the applied versions (pt config audit --proposals, GET /configs). */
export async function listConfigProposals(
  ctx: ConfigFlowContext,
): Promise<{ proposals: ConfigProposal[]; applied: AppliedState }> {
  const store = await FlowStore.open(ctx);
  return { proposals: await store.proposals(), applied: await store.applied() };
}
