// pt ops halt / flatten / resume / rollback / status flags → typed options: scope, level or mode, who and why, which bus.
import { join, resolve } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';
import type { OpsScope } from '../../ops/flags/opsTransitions.js';
import { maybeChoice, tableDefaulted, usageError, type RawOptions } from './cliOptions.js';

export interface OpsBusOptions {
  /** redis: core:ops:flags at REDIS_URL; files: flags.json in opsDir. */
  bus: 'redis' | 'files';
  redisUrl?: string;
  redisPrefix: string;
  /** The files' folder: signals_policy.ops_dir, `<data>/replay/ops` with --replay, or --ops-dir. */
  opsDir: string;
}

export interface OpsWhoOptions {
  reason: string | null;
  actor?: string;
  /** runbook_policy.yaml audit_log_path, absolute. */
  auditPath: string;
}

export type OpsCommonOptions = OpsBusOptions & OpsWhoOptions;

export function parseOpsBus(raw: RawOptions, config: PtConfig, env: NodeJS.ProcessEnv = process.env): OpsBusOptions {
  const redisUrl = env.REDIS_URL || undefined;
  const bus =
    raw.bus === undefined ? (redisUrl ? 'redis' : 'files') : maybeChoice(raw.bus, '--bus', ['redis', 'files'] as const);
  if (bus === 'redis' && !redisUrl) throw usageError('--bus redis needs REDIS_URL in the environment');
  if (raw.opsDir !== undefined && raw.replay) throw usageError('give --ops-dir or --replay, not both');
  const opsDir =
    raw.opsDir !== undefined
      ? resolve(String(raw.opsDir))
      : raw.replay
        ? resolve('data', 'replay', 'ops')
        : resolve(config.signals_policy.ops_dir);
  return { bus, ...(redisUrl ? { redisUrl } : {}), redisPrefix: config.signals_policy.redis_key_prefix, opsDir };
}

function parseWho(raw: RawOptions, config: PtConfig): OpsWhoOptions {
  if (raw.reason !== undefined && String(raw.reason).trim() === '') throw usageError('--reason needs a text');
  if (raw.actor !== undefined && String(raw.actor).trim() === '') throw usageError('--actor needs a name');
  return {
    reason: raw.reason === undefined ? null : String(raw.reason).trim(),
    ...(raw.actor !== undefined ? { actor: String(raw.actor).trim() } : {}),
    auditPath: resolve(config.runbook_policy.audit_log_path),
  };
}

function parseScope(raw: RawOptions, config: PtConfig): OpsScope {
  const scope = maybeChoice(tableDefaulted(raw, 'scope', '--scope'), '--scope', ['portfolio', 'pair'] as const);
  if (scope === 'portfolio') {
    if (raw.pair !== undefined) throw usageError('--pair goes with --scope pair');
    return { scope };
  }
  if (raw.pair === undefined) throw usageError('--scope pair needs --pair ID (a pair of universe.yaml)');
  const pairId = String(raw.pair);
  if (!config.universe.pairs.some((p) => p.pair_id === pairId))
    throw usageError(`--pair ${pairId} is not in universe.yaml`);
  return { scope, pairId };
}

export interface OpsHaltOptions extends OpsCommonOptions {
  scope: OpsScope;
  level: 'soft' | 'hard';
}

export function parseOpsHaltOptions(raw: RawOptions, config: PtConfig, env?: NodeJS.ProcessEnv): OpsHaltOptions {
  return {
    ...parseOpsBus(raw, config, env),
    ...parseWho(raw, config),
    scope: parseScope(raw, config),
    level: maybeChoice(tableDefaulted(raw, 'level', '--level'), '--level', ['soft', 'hard'] as const),
  };
}

export interface OpsFlattenOptions extends OpsCommonOptions {
  scope: OpsScope;
  mode: 'immediate' | 'graceful';
}

export function parseOpsFlattenOptions(raw: RawOptions, config: PtConfig, env?: NodeJS.ProcessEnv): OpsFlattenOptions {
  return {
    ...parseOpsBus(raw, config, env),
    ...parseWho(raw, config),
    scope: parseScope(raw, config),
    mode: maybeChoice(tableDefaulted(raw, 'mode', '--mode'), '--mode', ['immediate', 'graceful'] as const),
  };
}

export interface OpsResumeOptions extends OpsCommonOptions {
  scope: OpsScope;
  force: boolean;
}

/** --force overrides the guard only with a reason: the audit must say why. */
export function parseOpsResumeOptions(raw: RawOptions, config: PtConfig, env?: NodeJS.ProcessEnv): OpsResumeOptions {
  const who = parseWho(raw, config);
  const force = raw.force === true;
  if (force && who.reason === null) throw usageError('--force needs --reason "…": the audit log records why');
  return { ...parseOpsBus(raw, config, env), ...who, scope: parseScope(raw, config), force };
}

export interface OpsRollbackOptions extends OpsCommonOptions {
  target: 'theta' | 'model';
  version: string;
  /** The model group whose CURRENT (model) or whose version's θ (theta) rolls back. */
  group: string;
  modelsDir: string;
}

export function parseOpsRollbackOptions(
  raw: RawOptions,
  config: PtConfig,
  env?: NodeJS.ProcessEnv,
): OpsRollbackOptions {
  const target = maybeChoice(raw.target, '--target', ['theta', 'model', 'config'] as const);
  if (target === 'config') throw usageError('--target config belongs to the config workflow: use pt config rollback');
  if (raw.version === undefined || String(raw.version).trim() === '') throw usageError('--version needs a value');
  if (raw.group === undefined || String(raw.group).trim() === '')
    throw usageError('--group needs the model group whose CURRENT pointer rolls back (e.g. metals, custom)');
  return {
    ...parseOpsBus(raw, config, env),
    ...parseWho(raw, config),
    target,
    version: String(raw.version).trim(),
    group: String(raw.group).trim(),
    modelsDir: resolve(tableDefaulted(raw, 'modelsDir', '--models-dir')),
  };
}

export interface OpsStatusOptions extends OpsBusOptions {
  modelsDir: string;
  json: boolean;
  /** Raise the heartbeat-lost (and slow Redis) alerts: the cron check. */
  alert: boolean;
}

export function parseOpsStatusOptions(raw: RawOptions, config: PtConfig, env?: NodeJS.ProcessEnv): OpsStatusOptions {
  return {
    ...parseOpsBus(raw, config, env),
    modelsDir: resolve(tableDefaulted(raw, 'modelsDir', '--models-dir')),
    json: raw.json === true,
    alert: raw.alert === true,
  };
}

/** For messages: where the flags went. */
export function busLabel(o: OpsBusOptions): string {
  return o.bus === 'redis' ? 'Redis' : join(o.opsDir, 'flags.json');
}
