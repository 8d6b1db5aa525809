// pt ops halt / flatten / resume / rollback / status: parse, open the bus's control (Redis or files), one library call, print.
import { resolve } from 'node:path';
import { FileOpsControl } from '../../adapters/files/fileOpsControl.js';
import { RedisOpsControl } from '../../adapters/redis/redisOpsControl.js';
import { loadConfig } from '../../config/loadConfig.js';
import type { PtConfig } from '../../config/schemas/index.js';
import { isPtError } from '../../core/ptError.js';
import { loadModelBundle } from '../../ml/modelBundle.js';
import { readCurrentModel } from '../../ml/registry/index.js';
import { drawdownMirrorsOf } from '../../ops/flags/drawdownMirror.js';
import { haltLevelOf } from '../../ops/flags/opsFlagsFields.js';
import { heartbeatStatus, heartbeatTtlSeconds } from '../../ops/heartbeatStatus.js';
import { scopeName } from '../../ops/flags/opsTransitions.js';
import {
  describeHalts,
  flagsOfRaw,
  opsFlatten,
  opsHalt,
  opsResume,
  type OpsChange,
  type OpsContext,
} from '../../ops/opsCommands.js';
import { moveCurrentModel } from '../../ops/model/moveCurrentModel.js';
import { currentTheta } from '../../optimize/applyTheta.js';
import { rollbackTheta } from '../../optimize/rollbackTheta.js';
import type { OpsControl, RawFlags, ShardHeartbeat } from '../../ports/opsControl.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import {
  busLabel,
  parseOpsFlattenOptions,
  parseOpsHaltOptions,
  parseOpsResumeOptions,
  parseOpsRollbackOptions,
  parseOpsStatusOptions,
  type OpsBusOptions,
  type OpsCommonOptions,
} from '../options/parseOpsOptions.js';
import { requestShardReload } from '../requestShardReload.js';
import { shardGroup } from './live.js';
import {
  busDownAlert,
  heartbeatAlerts,
  opsActionAlert,
  type OpsActionFacts,
  REDIS_SLOW_MS,
  redisSlowAlert,
  sendAlerts,
} from '../opsAlerts.js';
import type { AlertInput } from '../../ports/alerts.js';

async function openControl(o: OpsBusOptions): Promise<OpsControl> {
  return o.bus === 'redis' ? RedisOpsControl.open(o.redisUrl!, o.redisPrefix) : new FileOpsControl(o.opsDir);
}

async function withControl<T>(o: OpsBusOptions, run: (control: OpsControl) => Promise<T>): Promise<T> {
  const control = await openControl(o);
  try {
    return await run(control);
  } finally {
    await control.close();
  }
}

function context(o: OpsCommonOptions, control: OpsControl): OpsContext {
  return { control, auditPath: o.auditPath, reason: o.reason, ...(o.actor ? { actor: o.actor } : {}) };
}

/** pt ops's INFO alert of an applied action, with who asked and why (never throws: the action is done). */
async function alertAction(
  config: PtConfig,
  o: OpsCommonOptions & { opsDir: string },
  f: Omit<OpsActionFacts, 'actor' | 'reason'>,
): Promise<void> {
  await sendAlerts(config, o.opsDir, [
    opsActionAlert({ ...f, ...(o.actor ? { actor: o.actor } : {}), reason: o.reason }),
  ]);
}

function printChange(verb: string, scope: string, o: OpsBusOptions, change: OpsChange): void {
  process.stdout.write(
    `${verb} ${scope} in ${busLabel(o)}: ${describeHalts(change.after)} (was: ${describeHalts(change.before)}); ` +
      `running shards obey it at their next bar; audit entry ${change.auditSha256.slice(0, 12)}\n`,
  );
}

export async function runOpsHalt(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = parseOpsHaltOptions(raw, config);
  const change = await withControl(o, (c) => opsHalt(context(o, c), o.scope, o.level));
  printChange(`halted (${o.level})`, scopeName(o.scope), o, change);
  await alertAction(config, o, {
    action: 'halt',
    scope: scopeName(o.scope),
    level: o.level,
    auditSha256: change.auditSha256,
  });
  return 0;
}

export async function runOpsFlatten(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = parseOpsFlattenOptions(raw, config);
  const all = config.universe.pairs.map((p) => p.pair_id);
  const change = await withControl(o, (c) => opsFlatten(context(o, c), o.scope, o.mode, all));
  printChange(`flattening (${o.mode})`, scopeName(o.scope), o, change);
  await alertAction(config, o, {
    action: 'flatten',
    scope: scopeName(o.scope),
    level: o.mode,
    auditSha256: change.auditSha256,
  });
  return 0;
}

export async function runOpsResume(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = parseOpsResumeOptions(raw, config);
  const pairs = config.universe.pairs
    .filter((p) => o.scope.scope === 'portfolio' || p.pair_id === o.scope.pairId)
    .map((p) => ({ pairId: p.pair_id, shard: p.shard }));
  const policy = config.runbook_policy.resume_policy;
  const change = await withControl(o, (c) => opsResume(context(o, c), o.scope, { force: o.force, policy, pairs }));
  for (const c of change.guard!.checks)
    process.stdout.write(`  guard ${c.name}: ${c.pass ? 'holds' : 'FAILS'}: ${c.detail}\n`);
  if (change.forced) process.stdout.write(`  forced past the guard: ${o.reason}\n`);
  const until = change.after.canaryUntil[o.scope.scope === 'portfolio' ? 'portfolio' : o.scope.pairId];
  printChange('resumed', scopeName(o.scope), o, change);
  if (until !== undefined)
    process.stdout.write(
      `  canary: ${change.after.canaryScale} of the size until ${new Date(until).toISOString()} (${policy.stability_days} weekdays), then full size\n`,
    );
  await alertAction(config, o, {
    action: 'resume',
    scope: scopeName(o.scope),
    level: change.forced ? 'forced' : 'guarded',
    auditSha256: change.auditSha256,
  });
  return 0;
}

/** Reload requests after a rollback, one `reload:` line each (the ops folder of --bus files / --replay). */
async function reload(config: PtConfig, o: OpsBusOptions): Promise<string> {
  const lines = await requestShardReload(config, {
    dataDir: resolve('data'),
    opsDir: o.opsDir,
    ...(o.bus === 'redis' ? { redisUrl: o.redisUrl! } : {}),
  });
  return lines.map((l) => `reload: ${l}\n`).join('');
}

export async function runOpsRollback(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = parseOpsRollbackOptions(raw, config);
  if (o.target === 'model') {
    const moved = await moveCurrentModel({
      modelsDir: o.modelsDir,
      group: o.group,
      version: o.version,
      auditPath: o.auditPath,
      action: 'ops.rollback',
      reason: o.reason,
      ...(o.actor ? { actor: o.actor } : {}),
    });
    const told = await reload(config, o);
    process.stdout.write(
      `model group ${o.group}: CURRENT ${moved.before ?? '(none)'} → ${moved.after}; audit entry ${moved.sha256.slice(0, 12)}\n${told}`,
    );
    await alertAction(config, o, {
      action: 'rollback',
      scope: `model:${o.group}`,
      level: `${moved.before ?? '(none)'}→${moved.after}`,
      auditSha256: moved.sha256,
    });
    return 0;
  }
  const current = await readCurrentModel(o.modelsDir, o.group);
  const bundle = await loadModelBundle(current.dir);
  const r = await rollbackTheta({
    versionDir: current.dir,
    modelTheta: { theta1: bundle.params.theta1, theta2: bundle.params.theta2 },
    target: o.version,
    auditPath: o.auditPath,
    reason: o.reason,
    ...(o.actor ? { actor: o.actor } : {}),
  });
  const told = await reload(config, o);
  process.stdout.write(
    `θ of ${current.version}: ${r.before.theta1}/${r.before.theta2} (${r.before.source}) → ${r.after.theta1}/${r.after.theta2} ` +
      `(from ${r.after.source}), written as ${r.record.file}\n${told}`,
  );
  await alertAction(config, o, {
    action: 'rollback',
    scope: `theta:${current.version}`,
    level: `${r.before.theta1}/${r.before.theta2}→${r.after.theta1}/${r.after.theta2}`,
    auditSha256: r.record.file,
  });
  return 0;
}

interface ShardStatus {
  shard: number;
  pairs: string[];
  heartbeat: { ts: string; age_seconds: number; lost: boolean } | null;
  dd: { level: string; since: string; drawdown: number; pairs: Record<string, string> } | null;
  group: string;
  model: string | null;
  theta: string | null;
  problem?: string;
}

async function shardStatus(config: PtConfig, modelsDir: string, shard: number): Promise<ShardStatus> {
  const pairs = config.universe.pairs.filter((p) => p.shard === shard).map((p) => p.pair_id);
  const group = shardGroup(config, { shard });
  const base: ShardStatus = { shard, pairs, heartbeat: null, dd: null, group, model: null, theta: null };
  try {
    const current = await readCurrentModel(modelsDir, group);
    base.model = current.version;
    const bundle = await loadModelBundle(current.dir);
    const t = await currentTheta(current.dir, { theta1: bundle.params.theta1, theta2: bundle.params.theta2 });
    base.theta = `${t.theta.theta1}/${t.theta.theta2} (${t.label})`;
  } catch (e) {
    base.problem = isPtError(e) ? `${e.id}: ${e.message}` : String(e);
  }
  return base;
}

export async function runOpsStatus(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = parseOpsStatusOptions(raw, config);
  const nowMs = Date.now();
  const asked = performance.now();
  let read: { rawFlags: RawFlags; beats: ShardHeartbeat[] };
  try {
    read = await withControl(o, async (c) => ({ rawFlags: await c.readFlags(), beats: await c.heartbeats() }));
  } catch (e) {
    // The cron check cannot see a single heartbeat: that is itself the alert, before the error line.
    if (o.alert && isPtError(e) && e.id === 'OPS_BUS_DOWN')
      await sendAlerts(config, o.opsDir, [busDownAlert(busLabel(o), e.message)]);
    throw e;
  }
  const { rawFlags, beats } = read;
  const busMs = performance.now() - asked;
  const { flags, problems } = flagsOfRaw(rawFlags);
  const mirrors = drawdownMirrorsOf(rawFlags);
  const ttlSeconds = heartbeatTtlSeconds(config.signals_policy.heartbeat_interval_seconds);
  const shards = [...new Set(config.universe.pairs.map((p) => p.shard))].sort((a, b) => a - b);
  const status: ShardStatus[] = [];
  for (const shard of shards) {
    const s = await shardStatus(config, o.modelsDir, shard);
    const beat = beats.find((b) => b.shard === shard);
    if (beat) s.heartbeat = heartbeatStatus(beat, nowMs, ttlSeconds);
    const m = mirrors.find((x) => x.shard === shard);
    if (m) s.dd = { level: m.level, since: m.since, drawdown: m.drawdown, pairs: m.pairs };
    status.push(s);
  }
  // --alert (cron, every minute): lost heartbeats and a slow Redis become alerts, repeats suppressed across runs.
  let alerts: { raised: string[]; sent: number } | undefined;
  if (o.alert) {
    const raised: AlertInput[] = heartbeatAlerts(status, ttlSeconds);
    if (o.bus === 'redis' && busMs > REDIS_SLOW_MS) raised.push(redisSlowAlert(busMs, busLabel(o)));
    const sent = await sendAlerts(config, o.opsDir, raised);
    alerts = { raised: raised.map((a) => `${a.errorId} ${a.dedupeKey ?? ''}`.trim()), sent };
  }
  const canary = Object.entries(flags.canaryUntil)
    .filter(([, until]) => until > nowMs)
    .map(([scope, until]) => ({ scope, until: new Date(until).toISOString() }));
  if (o.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          where: busLabel(o),
          flags: {
            global_halt: haltLevelOf(flags),
            halted_pairs: flags.haltedPairs,
            hard_pairs: flags.hardPairs,
            flatten_pairs: flags.flattenPairs,
            flatten_graceful: flags.gracefulPairs,
            leverage_scale: flags.leverageScale,
            canary,
            canary_scale: flags.canaryScale,
          },
          problems,
          shards: status,
          ...(alerts ? { alerts } : {}),
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const lines: string[] = [];
  lines.push(
    `ops flags (${o.bus === 'redis' ? `Redis ${o.redisPrefix}:ops:flags` : resolve(o.opsDir, 'flags.json')}):`,
  );
  lines.push(`  global halt     ${haltLevelOf(flags)}`);
  const pairHalts = flags.haltedPairs.map((p) => `${p} (${flags.hardPairs.includes(p) ? 'hard' : 'soft'})`);
  lines.push(`  halted pairs    ${pairHalts.join(', ') || '-'}`);
  const flat = flags.flattenPairs.map((p) => `${p} (${flags.gracefulPairs.includes(p) ? 'graceful' : 'immediate'})`);
  lines.push(`  flatten         ${flat.join(', ') || '-'}`);
  lines.push(`  leverage scale  ${flags.leverageScale}`);
  lines.push(
    `  canary          ${canary.map((c) => `${c.scope} ×${flags.canaryScale} until ${c.until}`).join(', ') || '-'}`,
  );
  for (const p of problems) lines.push(`  unreadable: ${p}`);
  lines.push('shards:');
  for (const s of status) {
    const hb = s.heartbeat
      ? `${s.heartbeat.age_seconds} s ago${s.heartbeat.lost ? ` (LOST: over ${ttlSeconds} s)` : ''}`
      : 'none';
    const dd = s.dd
      ? `${s.dd.level} since ${s.dd.since} (drawdown ${(s.dd.drawdown * 100).toFixed(2)}%)` +
        (Object.keys(s.dd.pairs).length > 0
          ? `; pairs ${Object.entries(s.dd.pairs)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}`
          : '')
      : 'not reported';
    lines.push(`  shard ${s.shard} (${s.pairs.join(', ')})`);
    lines.push(`    heartbeat  ${hb}`);
    lines.push(`    drawdown   ${dd}`);
    lines.push(`    model      ${s.model ?? '-'} (group ${s.group})`);
    lines.push(`    θ1/θ2      ${s.theta ?? '-'}`);
    if (s.problem) lines.push(`    problem    ${s.problem}`);
  }
  if (alerts)
    lines.push(
      `alerts: ${alerts.raised.length} raised (${alerts.raised.join(', ') || 'none'}), ${alerts.sent} not suppressed`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
