// pt config propose|approve|merge|apply|rollback|audit flags → typed options: the repository, who, the proposal, what.
import { resolve } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';
import { maybeChoice, maybeDate, tableDefaulted, usageError, type RawOptions } from './cliOptions.js';

export interface ConfigFlowCommonOptions {
  /** The git repository that holds config/ (absolute). */
  repo: string;
  /** --actor; undefined: the command takes $USER, else the OS user (as pt ops). */
  actor?: string;
  /** runbook_policy.yaml audit_log_path, absolute. */
  auditPath: string;
  /** The branch proposals merge into. */
  main: string;
}

const PROPOSAL_ID = /^cfg-[1-9]\d*$/;

function text(raw: RawOptions, key: string, flag: string): string | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  const t = String(v).trim();
  if (t === '' || v === true) throw usageError(`${flag} needs a value`);
  return t;
}

function common(raw: RawOptions, config: PtConfig): ConfigFlowCommonOptions {
  const actor = text(raw, 'actor', '--actor');
  return {
    repo: resolve(tableDefaulted(raw, 'repo', '--repo')),
    ...(actor !== undefined ? { actor } : {}),
    auditPath: resolve(config.runbook_policy.audit_log_path),
    main: tableDefaulted(raw, 'main', '--main'),
  };
}

function proposalId(raw: RawOptions, verb: string): string {
  const id = (raw.args as string[] | undefined)?.[0];
  if (id === undefined) throw usageError(`which proposal? pt config ${verb} <id> (cfg-<N>, from pt config propose)`);
  if (!PROPOSAL_ID.test(id)) throw usageError(`a proposal id looks like cfg-3, got ${JSON.stringify(id)}`);
  return id;
}

const ENVS = ['dev', 'stg', 'prod'] as const;

export interface ConfigProposeOptions extends ConfigFlowCommonOptions {
  /** The proposed config folder (absolute): its files become the branch's config/. */
  from: string;
  title: string;
}

export function parseConfigProposeOptions(raw: RawOptions, config: PtConfig): ConfigProposeOptions {
  const from = text(raw, 'from', '--from');
  if (from === undefined) throw usageError('--from DIR is required: the edited copy of config/ to propose');
  const title = text(raw, 'title', '--title');
  if (title === undefined) throw usageError('--title "…" is required: what the change is for');
  return { ...common(raw, config), from: resolve(from), title };
}

export interface ConfigApproveOptions extends ConfigFlowCommonOptions {
  id: string;
  checklistUrl?: string;
  riskNote?: string;
}

export function parseConfigApproveOptions(raw: RawOptions, config: PtConfig): ConfigApproveOptions {
  const checklistUrl = text(raw, 'checklistUrl', '--checklist-url');
  if (checklistUrl !== undefined && !/^https?:\/\/\S+$/.test(checklistUrl))
    throw usageError(`--checklist-url must be an http(s) URL, got ${JSON.stringify(checklistUrl)}`);
  const riskNote = text(raw, 'riskNote', '--risk-note');
  return {
    ...common(raw, config),
    id: proposalId(raw, 'approve'),
    ...(checklistUrl !== undefined ? { checklistUrl } : {}),
    ...(riskNote !== undefined ? { riskNote } : {}),
  };
}

export interface ConfigMergeOptions extends ConfigFlowCommonOptions {
  id: string;
}

export function parseConfigMergeOptions(raw: RawOptions, config: PtConfig): ConfigMergeOptions {
  return { ...common(raw, config), id: proposalId(raw, 'merge') };
}

export interface ConfigApplyOptions extends ConfigFlowCommonOptions {
  id: string;
  env: (typeof ENVS)[number];
  /** Where the applied config is written; undefined: the repository's config/. */
  applyDir?: string;
}

function applyDir(raw: RawOptions): { applyDir?: string } {
  const d = text(raw, 'applyDir', '--apply-dir');
  return d === undefined ? {} : { applyDir: resolve(d) };
}

export function parseConfigApplyOptions(raw: RawOptions, config: PtConfig): ConfigApplyOptions {
  return {
    ...common(raw, config),
    id: proposalId(raw, 'apply'),
    env: maybeChoice(tableDefaulted(raw, 'env', '--env'), '--env', ENVS),
    ...applyDir(raw),
  };
}

export interface ConfigRollbackOptions extends ConfigFlowCommonOptions {
  reason: string | null;
  env: (typeof ENVS)[number];
  applyDir?: string;
}

export function parseConfigRollbackOptions(raw: RawOptions, config: PtConfig): ConfigRollbackOptions {
  return {
    ...common(raw, config),
    reason: text(raw, 'reason', '--reason') ?? null,
    env: maybeChoice(tableDefaulted(raw, 'env', '--env'), '--env', ENVS),
    ...applyDir(raw),
  };
}

const STEPS = ['propose', 'approve', 'merge', 'apply', 'rollback'] as const;

export interface ConfigAuditOptions extends ConfigFlowCommonOptions {
  id?: string;
  configName?: string;
  step?: (typeof STEPS)[number];
  /** ISO times: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  /** List the proposals and applied versions instead of the audit entries. */
  proposals: boolean;
  json: boolean;
}

export function parseConfigAuditOptions(raw: RawOptions, config: PtConfig): ConfigAuditOptions {
  const id = text(raw, 'id', '--id');
  if (id !== undefined && !PROPOSAL_ID.test(id)) throw usageError(`--id looks like cfg-3, got ${JSON.stringify(id)}`);
  const configName = text(raw, 'config', '--config');
  const step = raw.step === undefined ? undefined : maybeChoice(raw.step, '--step', STEPS);
  const fromMs = maybeDate(raw.from, '--from');
  const toMs = maybeDate(raw.to, '--to');
  if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs) throw usageError('--to must be after --from');
  return {
    ...common(raw, config),
    ...(id !== undefined ? { id } : {}),
    ...(configName !== undefined ? { configName } : {}),
    ...(step !== undefined ? { step } : {}),
    ...(fromMs !== undefined ? { from: new Date(fromMs).toISOString() } : {}),
    ...(toMs !== undefined ? { to: new Date(toMs).toISOString() } : {}),
    proposals: raw.proposals === true,
    json: raw.json === true,
  };
}
