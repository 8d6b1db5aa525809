// POST /api/v1/configs/validate|pr|approve|merge|apply|rollback and GET /configs/audit: the config
// workflow's library calls (pt config's), with the token's sub as the actor, so the author of a
// proposal cannot approve it through the API either.
import {
  applyConfig,
  approveConfig,
  checkConfigFiles,
  configAudit,
  isConfigPath,
  mergeConfig,
  proposeConfig,
  rollbackConfig,
  type ConfigFlowContext,
} from '../../configflow/index.js';
import { PtError } from '../../core/ptError.js';
import { ApiError, badRequest } from '../apiError.js';
import type { ApiContext, Handler, HandlerRequest } from '../apiTypes.js';
import { analyticsQuery, type RawQuery } from './query.js';

function flowOf(ctx: ApiContext): ConfigFlowContext {
  const flow = ctx.deps.configFlow;
  if (!flow)
    throw new ApiError(
      503,
      'OPS_CONFIG_GIT',
      'pt serve was started without a config repository: the config routes are off',
    );
  return flow;
}

function actorOf(req: HandlerRequest): string {
  // The auth hook runs before every config route: a principal is always there.
  return req.principal!.sub;
}

/** The API's file map, names checked before anything is read or written (no `..`, no other folder). */
function filesOf(files: Record<string, string>): Record<string, string> {
  for (const name of Object.keys(files))
    if (!isConfigPath(name))
      throw new PtError('OPS_CONFIG_PATH', `${JSON.stringify(name)} is not a config file a proposal may change`, {
        source: 'api',
        details: { path: name },
      });
  return files;
}

export const postConfigValidate: Handler = async (req, ctx) => {
  const b = req.body as { files?: Record<string, string>; proposal_id?: string };
  if ((b.files === undefined) === (b.proposal_id === undefined))
    throw badRequest('give exactly one of files (a map of config file name → YAML text) and proposal_id');
  const r = await checkConfigFiles(
    flowOf(ctx),
    b.files !== undefined ? { changes: filesOf(b.files) } : { id: b.proposal_id! },
  );
  return {
    data: {
      ok: r.ok,
      commit: r.commit,
      ...(b.proposal_id ? { proposal_id: b.proposal_id } : {}),
      violations: r.violations,
    },
  };
};

export const postConfigPr: Handler = async (req, ctx) => {
  const b = req.body as { title: string; files: Record<string, string> };
  const r = await proposeConfig(flowOf(ctx), { actor: actorOf(req), title: b.title, changes: filesOf(b.files) });
  return { data: { actor: r.proposal.author, proposal: r.proposal, audit_sha256: r.audit_sha256 } };
};

export const postConfigApprove: Handler = async (req, ctx) => {
  const b = req.body as { id: string; checklist_url?: string; risk_note?: string };
  const actor = actorOf(req);
  const r = await approveConfig(flowOf(ctx), {
    id: b.id,
    actor,
    ...(b.checklist_url !== undefined ? { checklistUrl: b.checklist_url } : {}),
    ...(b.risk_note !== undefined ? { riskNote: b.risk_note } : {}),
  });
  return {
    data: {
      actor,
      counted: r.counted,
      approvals: r.approvals,
      required: r.required,
      proposal: r.proposal,
      audit_sha256: r.audit_sha256,
    },
  };
};

export const postConfigMerge: Handler = async (req, ctx) => {
  const b = req.body as { id: string };
  const actor = actorOf(req);
  const r = await mergeConfig(flowOf(ctx), { id: b.id, actor });
  return { data: { actor, merge_sha: r.merge_sha, proposal: r.proposal, audit_sha256: r.audit_sha256 } };
};

export const postConfigApply: Handler = async (req, ctx) => {
  const b = req.body as { id: string; env: string };
  const actor = actorOf(req);
  const { proposal, apply_dir: _dir, ...r } = await applyConfig(flowOf(ctx), { id: b.id, actor, env: b.env });
  // The server's folders stay on the server.
  return { data: { actor, ...r, proposal } };
};

export const postConfigRollback: Handler = async (req, ctx) => {
  const b = req.body as { reason: string; env: string };
  const actor = actorOf(req);
  const { apply_dir: _dir, ...r } = await rollbackConfig(flowOf(ctx), { actor, reason: b.reason, env: b.env });
  return { data: { actor, ...r } };
};

type AuditRaw = RawQuery & {
  id?: string;
  config_name?: string;
  step?: 'propose' | 'approve' | 'merge' | 'apply' | 'rollback';
};

export const getConfigAudit: Handler = async (req, ctx) => {
  const q = req.query as AuditRaw;
  // The same from/to/page checks as the other GETs.
  const a = analyticsQuery(
    { ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}), page: q.page, page_size: q.page_size },
    ctx.deps.config,
  );
  const r = await configAudit(flowOf(ctx), {
    ...(q.id !== undefined ? { id: q.id } : {}),
    ...(q.config_name !== undefined ? { configName: q.config_name } : {}),
    ...(q.step !== undefined ? { step: q.step } : {}),
    ...(a.fromMs !== undefined ? { from: new Date(a.fromMs).toISOString() } : {}),
    ...(a.toMs !== undefined ? { to: new Date(a.toMs).toISOString() } : {}),
  });
  const start = (a.page - 1) * a.pageSize;
  return {
    data: {
      chain: { ok: r.chain.ok, lines: r.chain.lines, first_broken: r.chain.firstBroken ?? null },
      pagination: { page: a.page, page_size: a.pageSize, total: r.entries.length },
      items: r.entries.slice(start, start + a.pageSize),
    },
  };
};
