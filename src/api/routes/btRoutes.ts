// POST /api/v1/bt/runs (queue the job of pt bt run), GET /api/v1/bt/runs/{run_id} (its state),
// GET /api/v1/bt/summary and /api/v1/bt/trades (a finished run's outputs, through the analytics source).
import { ApiError } from '../apiError.js';
import type { BtRunRequest, Handler } from '../apiTypes.js';
import { checkPair, analyticsQuery, pagination, queryEcho, runRef, type RawQuery } from './query.js';

export const postBtRun: Handler = async (req, ctx) => {
  const body = req.body as BtRunRequest;
  for (const p of body.pair_ids ?? []) checkPair(ctx.deps.config, p);
  const state = ctx.bt.submit((outDir) => ctx.deps.backtest(body, outDir), req.principal?.sub);
  return { status: 202, data: state };
};

export const getBtRun: Handler = async (req, ctx) => {
  const { run_id } = req.params as { run_id: string };
  const state = ctx.bt.get(run_id);
  if (!state)
    throw new ApiError(
      404,
      'UI_API_NOTFOUND',
      `no backtest run ${run_id} in this server (runs are kept in memory until it stops)`,
    );
  return { data: state };
};

export const getBtSummary: Handler = async (req, ctx) => {
  const q = req.query as RawQuery;
  checkPair(ctx.deps.config, q.pair_id);
  const run = runRef(ctx, q.run_id);
  const rows = await ctx.analytics.btSummary(run, q.pair_id);
  return { data: { source: ctx.analytics.sources.bt, run, rows } };
};

export const getBtTrades: Handler = async (req, ctx) => {
  const raw = req.query as RawQuery;
  const q = analyticsQuery(raw, ctx.deps.config);
  const run = runRef(ctx, raw.run_id);
  const r = await ctx.analytics.btTrades(q, run);
  const { granularity: _g, ...echo } = queryEcho(q);
  return {
    data: { source: ctx.analytics.sources.bt, run, query: echo, pagination: pagination(q, r.total), items: r.items },
  };
};
