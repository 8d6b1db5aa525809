// POST /api/v1/ops/halt|flatten|resume|rollback: the library calls of pt ops (src/cli/commands/ops.ts),
// with the token's sub as the actor of the audit entry; then the same INFO alert, through the CLI's hook.
import { loadModelBundle } from '../../ml/modelBundle.js';
import { readCurrentModel } from '../../ml/registry/index.js';
import { opsFlagsFields } from '../../ops/flags/opsFlagsFields.js';
import { scopeName, type OpsScope } from '../../ops/flags/opsTransitions.js';
import { moveCurrentModel } from '../../ops/model/moveCurrentModel.js';
import { opsFlatten, opsHalt, opsResume, type OpsChange, type OpsContext } from '../../ops/opsCommands.js';
import { rollbackTheta } from '../../optimize/rollbackTheta.js';
import type { OpsControl } from '../../ports/opsControl.js';
import { badRequest } from '../apiError.js';
import type { ApiContext, ApiOpsEvent, Handler, HandlerRequest } from '../apiTypes.js';
import { checkPair } from './query.js';

interface ScopeBody {
  scope: 'portfolio' | 'pair';
  pair_id?: string;
  reason: string;
}

function scopeOf(b: ScopeBody, ctx: ApiContext): OpsScope {
  if (b.scope === 'portfolio') {
    if (b.pair_id !== undefined) throw badRequest('pair_id goes with scope pair');
    return { scope: 'portfolio' };
  }
  if (b.pair_id === undefined) throw badRequest('scope pair needs pair_id (a pair of universe.yaml)');
  checkPair(ctx.deps.config, b.pair_id);
  return { scope: 'pair', pairId: b.pair_id };
}

function actorOf(req: HandlerRequest): string {
  // The auth hook runs before every ops route: a principal is always there.
  return req.principal!.sub;
}

async function withControl<T>(ctx: ApiContext, run: (c: OpsControl) => Promise<T>): Promise<T> {
  const control = await ctx.deps.openOpsControl();
  try {
    return await run(control);
  } finally {
    await control.close();
  }
}

function opsContext(ctx: ApiContext, control: OpsControl, req: HandlerRequest, reason: string): OpsContext {
  return { control, auditPath: ctx.deps.auditPath, reason, actor: actorOf(req) };
}

async function told(ctx: ApiContext, e: ApiOpsEvent): Promise<void> {
  try {
    await ctx.deps.onOpsAction?.(e);
  } catch (err) {
    // The action is applied and audited: a failed alert must not turn it into an error answer.
    ctx.deps.log?.('warn', 'ops_alert_failed', { why: err instanceof Error ? err.message : String(err) });
  }
}

function changeData(action: 'halt' | 'flatten' | 'resume', s: OpsScope, where: string, actor: string, c: OpsChange) {
  return {
    action,
    scope: scopeName(s),
    where,
    actor,
    before: opsFlagsFields(c.before),
    after: opsFlagsFields(c.after),
    audit_sha256: c.auditSha256,
  };
}

export const postOpsHalt: Handler = async (req, ctx) => {
  const b = req.body as ScopeBody & { level: 'soft' | 'hard' };
  const s = scopeOf(b, ctx);
  const { change, where } = await withControl(ctx, async (c) => ({
    change: await opsHalt(opsContext(ctx, c, req, b.reason), s, b.level),
    where: c.where,
  }));
  const actor = actorOf(req);
  await told(ctx, {
    action: 'halt',
    scope: scopeName(s),
    level: b.level,
    actor,
    reason: b.reason,
    auditSha256: change.auditSha256,
  });
  return { data: { ...changeData('halt', s, where, actor, change), level: b.level } };
};

export const postOpsFlatten: Handler = async (req, ctx) => {
  const b = req.body as ScopeBody & { mode: 'immediate' | 'graceful' };
  const s = scopeOf(b, ctx);
  const all = ctx.deps.config.universe.pairs.map((p) => p.pair_id);
  const { change, where } = await withControl(ctx, async (c) => ({
    change: await opsFlatten(opsContext(ctx, c, req, b.reason), s, b.mode, all),
    where: c.where,
  }));
  const actor = actorOf(req);
  await told(ctx, {
    action: 'flatten',
    scope: scopeName(s),
    level: b.mode,
    actor,
    reason: b.reason,
    auditSha256: change.auditSha256,
  });
  return { data: { ...changeData('flatten', s, where, actor, change), level: b.mode } };
};

export const postOpsResume: Handler = async (req, ctx) => {
  const b = req.body as ScopeBody & { force: boolean };
  const s = scopeOf(b, ctx);
  const { config } = ctx.deps;
  const pairs = config.universe.pairs
    .filter((p) => s.scope === 'portfolio' || p.pair_id === s.pairId)
    .map((p) => ({ pairId: p.pair_id, shard: p.shard }));
  const policy = config.runbook_policy.resume_policy;
  const { change, where } = await withControl(ctx, async (c) => ({
    change: await opsResume(opsContext(ctx, c, req, b.reason), s, { force: b.force, policy, pairs }),
    where: c.where,
  }));
  const actor = actorOf(req);
  const level = change.forced ? 'forced' : 'guarded';
  await told(ctx, {
    action: 'resume',
    scope: scopeName(s),
    level,
    actor,
    reason: b.reason,
    auditSha256: change.auditSha256,
  });
  return {
    data: {
      ...changeData('resume', s, where, actor, change),
      level,
      forced: change.forced === true,
      guard: (change.guard?.checks ?? []).map((g) => ({ name: g.name, pass: g.pass, detail: g.detail })),
    },
  };
};

interface RollbackBody {
  target: 'theta' | 'model';
  group: string;
  version: string;
  reason: string;
}

export const postOpsRollback: Handler = async (req, ctx) => {
  const b = req.body as RollbackBody;
  const actor = actorOf(req);
  const { modelsDir, auditPath } = ctx.deps;
  if (b.target === 'model') {
    const moved = await moveCurrentModel({
      modelsDir,
      group: b.group,
      version: b.version,
      auditPath,
      action: 'ops.rollback',
      reason: b.reason,
      actor,
    });
    const reload = (await ctx.deps.requestReload?.()) ?? [];
    await told(ctx, {
      action: 'rollback',
      scope: `model:${b.group}`,
      level: `${moved.before ?? '(none)'}→${moved.after}`,
      actor,
      reason: b.reason,
      auditSha256: moved.sha256,
    });
    return {
      data: {
        target: 'model',
        group: b.group,
        actor,
        before: moved.before,
        after: moved.after,
        audit: moved.sha256,
        reload,
      },
    };
  }
  const current = await readCurrentModel(modelsDir, b.group);
  const bundle = await loadModelBundle(current.dir);
  const r = await rollbackTheta({
    versionDir: current.dir,
    modelTheta: { theta1: bundle.params.theta1, theta2: bundle.params.theta2 },
    target: b.version,
    auditPath,
    reason: b.reason,
    actor,
  });
  const reload = (await ctx.deps.requestReload?.()) ?? [];
  const theta = (t: { theta1: number; theta2: number; source: string }) => `${t.theta1}/${t.theta2} (${t.source})`;
  await told(ctx, {
    action: 'rollback',
    scope: `theta:${current.version}`,
    level: `${r.before.theta1}/${r.before.theta2}→${r.after.theta1}/${r.after.theta2}`,
    actor,
    reason: b.reason,
    auditSha256: r.record.file,
  });
  return {
    data: {
      target: 'theta',
      group: b.group,
      actor,
      before: theta(r.before),
      after: theta(r.after),
      audit: r.record.file,
      reload,
    },
  };
};
