// pt config propose|approve|merge|apply|rollback|audit: parse, wire git (ExecGit) and the shard reload into
// the config workflow's library call, print its result.
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ExecGit } from '../../adapters/git/execGit.js';
import { loadConfig } from '../../config/loadConfig.js';
import type { PtConfig } from '../../config/schemas/index.js';
import { formatViolation } from '../../config/violation.js';
import { PtError } from '../../core/ptError.js';
import {
  applyConfig,
  approveConfig,
  configAudit,
  isConfigPath,
  listConfigProposals,
  mergeConfig,
  proposeConfig,
  readConfigFolder,
  rollbackConfig,
  type ConfigFlowContext,
} from '../../configflow/index.js';
import { osUser } from '../../ops/audit/auditEntry.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import {
  parseConfigApplyOptions,
  parseConfigApproveOptions,
  parseConfigAuditOptions,
  parseConfigMergeOptions,
  parseConfigProposeOptions,
  parseConfigRollbackOptions,
  type ConfigFlowCommonOptions,
} from '../options/parseConfigFlowOptions.js';
import { requestShardReload } from '../requestShardReload.js';

function actorOf(o: ConfigFlowCommonOptions): string {
  return o.actor ?? (process.env.USER || osUser());
}

function contextOf(config: PtConfig, o: ConfigFlowCommonOptions, applyDir?: string): ConfigFlowContext {
  return {
    git: new ExecGit(o.repo),
    auditPath: o.auditPath,
    mainBranch: o.main,
    ...(applyDir !== undefined ? { applyDir } : {}),
    requestReload: () => requestShardReload(config, { dataDir: resolve('data') }),
  };
}

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
const short = (sha: string) => sha.slice(0, 12);

/** The config files of a folder (pt's *.yaml and cost_profiles/*.yaml, and any other *.yaml to be refused). */
async function readProposedFolder(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const yaml = (n: string) => /\.ya?ml$/.test(n);
  for (const e of await readdir(dir, { withFileTypes: true }))
    if (e.isFile() && yaml(e.name)) files.set(e.name, await readFile(join(dir, e.name)));
  const profiles = await readdir(join(dir, 'cost_profiles'), { withFileTypes: true }).catch(() => []);
  for (const e of profiles)
    if (e.isFile() && yaml(e.name))
      files.set(`cost_profiles/${e.name}`, await readFile(join(dir, 'cost_profiles', e.name)));
  return files;
}

export async function runConfigPropose(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = parseConfigProposeOptions(raw, config);
  const ctx = contextOf(config, o);
  const main = await ctx.git.resolve(`refs/heads/${o.main}`);
  if (!main) throw new PtError('OPS_CONFIG_GIT', `no branch ${o.main} in ${o.repo}`, { source: 'configflow' });
  // --from is the whole proposed folder: a config file main has and it lacks is removed.
  const current = await readConfigFolder(ctx.git, main);
  const proposed = await readProposedFolder(o.from);
  const changes: Record<string, Uint8Array | null> = {};
  for (const [path, bytes] of proposed) {
    const old = current.get(path);
    if (!old || Buffer.compare(Buffer.from(old), bytes) !== 0) changes[path] = bytes;
  }
  for (const path of current.keys()) if (isConfigPath(path) && !proposed.has(path)) changes[path] = null;
  const { proposal: p, audit_sha256 } = await proposeConfig(ctx, { actor: actorOf(o), title: o.title, changes });
  out(
    `proposed ${p.id} on branch ${p.branch_name} (${short(p.head_sha)}): ${p.config_names.join(', ')}; ` +
      `risk ${p.risk.level}, needs ${p.risk.required_approvals} approval(s) by someone other than ${p.author}`,
  );
  for (const line of p.change_summary.split('\n')) out(`  ${line}`);
  for (const r of p.risk.reasons) out(`  high risk: ${r}`);
  if (p.validation.ok) out('validation: config OK');
  else {
    out(`validation: ${p.validation.violations.length} violation(s); merge will refuse until they are fixed`);
    for (const v of p.validation.violations) out(`  ${formatViolation(v)}`);
  }
  out(`audit entry ${short(audit_sha256)}`);
  return 0;
}

export async function runConfigApprove(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = parseConfigApproveOptions(raw, config);
  const actor = actorOf(o);
  const r = await approveConfig(contextOf(config, o), {
    id: o.id,
    actor,
    ...(o.checklistUrl !== undefined ? { checklistUrl: o.checklistUrl } : {}),
    ...(o.riskNote !== undefined ? { riskNote: o.riskNote } : {}),
  });
  if (!r.counted) out(`${actor} had approved ${o.id} already: not counted again (${r.approvals} of ${r.required})`);
  else
    out(
      `${o.id} approved by ${actor} (${r.approvals} of ${r.required}); status ${r.proposal.status}` +
        `${r.proposal.status === 'approved' ? ': ready to merge' : ''}; audit entry ${short(r.audit_sha256!)}`,
    );
  return 0;
}

export async function runConfigMerge(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = parseConfigMergeOptions(raw, config);
  const r = await mergeConfig(contextOf(config, o), { id: o.id, actor: actorOf(o) });
  out(
    `merged ${o.id} (${r.proposal.branch_name}) into ${o.main}: ${r.merge_sha}; audit entry ${short(r.audit_sha256)}`,
  );
  return 0;
}

export async function runConfigApply(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = parseConfigApplyOptions(raw, config);
  const r = await applyConfig(contextOf(config, o, o.applyDir), { id: o.id, actor: actorOf(o), env: o.env });
  out(
    `applied ${o.id} as ${r.version} (${r.version_stamp}) to ${r.env}: checksum ${r.checksum}, merge ${short(r.merge_sha)}; ` +
      `${r.files_written.length} file(s) written to ${r.apply_dir}; audit entry ${short(r.audit_sha256)}`,
  );
  for (const l of r.reload) out(`reload: ${l}`);
  return 0;
}

export async function runConfigRollback(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = parseConfigRollbackOptions(raw, config);
  const r = await rollbackConfig(contextOf(config, o, o.applyDir), { actor: actorOf(o), reason: o.reason, env: o.env });
  out(
    `rolled back ${r.from_version} → ${r.to_version}: ${o.main} at ${short(r.rollback_sha)}, checksum ${r.checksum}; ` +
      `${r.files_written.length} file(s) written to ${r.apply_dir}; audit entry ${short(r.audit_sha256)}`,
  );
  for (const l of r.reload) out(`reload: ${l}`);
  return 0;
}

export async function runConfigAudit(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = parseConfigAuditOptions(raw, config);
  const ctx = contextOf(config, o);
  if (o.proposals) {
    const { proposals, applied } = await listConfigProposals(ctx);
    if (o.json) out(JSON.stringify({ proposals, applied }));
    else {
      for (const p of proposals)
        out(
          `${p.id}  ${p.status.padEnd(11)}  by ${p.author}  risk ${p.risk.level} (${p.approvals.length}/${p.risk.required_approvals} approvals)  ` +
            `${p.config_names.join(',')}  ${p.applied?.version ?? ''}  ${p.title}`,
        );
      for (const v of applied.versions)
        out(
          `${v.tag}  ${short(v.commit)}  ${v.version_stamp}  ${v.applied_by ?? '(before the workflow)'}  ${v.env ?? ''}` +
            `${v.rolled_back ? `  rolled back to ${v.rolled_back.to_version}` : ''}`,
        );
      if (proposals.length === 0) out('no config proposals');
    }
    return 0;
  }
  const r = await configAudit(ctx, {
    ...(o.id !== undefined ? { id: o.id } : {}),
    ...(o.configName !== undefined ? { configName: o.configName } : {}),
    ...(o.step !== undefined ? { step: o.step } : {}),
    ...(o.from !== undefined ? { from: o.from } : {}),
    ...(o.to !== undefined ? { to: o.to } : {}),
  });
  if (o.json) out(JSON.stringify({ path: r.path, chain: r.chain, entries: r.entries }));
  else {
    for (const e of r.entries) {
      const what = [
        e.proposal_id,
        e.version,
        e.from_version && `${String(e.from_version)}→${String(e.to_version)}`,
        e.config_name,
        e.env,
      ]
        .filter((x) => x !== undefined && x !== null && x !== '')
        .map(String)
        .join('  ');
      out(`${e.time}  ${e.action.padEnd(15)}  ${e.actor.padEnd(10)}  ${what}`);
    }
    out(`${r.entries.length} config workflow entr${r.entries.length === 1 ? 'y' : 'ies'} in ${r.path}`);
  }
  if (r.chain.firstBroken)
    throw new PtError(
      'OPS_AUDIT_BROKEN',
      `audit log ${r.path}: line ${r.chain.firstBroken.line} ${r.chain.firstBroken.problem}`,
      { source: 'configflow', details: { path: r.path, ...r.chain.firstBroken } },
    );
  return 0;
}
