// GET /api/v1/metrics/model|trading|data_quality|risk: the analytics, from the analytics source, and for
// risk the ops flags and DD levels the shards mirror on the ops bus now.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { drawdownMirrorsOf } from '../../ops/flags/drawdownMirror.js';
import { opsFlagsFields } from '../../ops/flags/opsFlagsFields.js';
import { flagsOfRaw } from '../../ops/opsCommands.js';
import type { ApiContext, Handler } from '../apiTypes.js';
import { analyticsQuery, pagination, queryEcho, runRef, type RawQuery } from './query.js';

export const getMetricsModel: Handler = async (req, ctx) => {
  const q = analyticsQuery(req.query as RawQuery, ctx.deps.config);
  const r = await ctx.analytics.model(q);
  return {
    data: {
      source: ctx.analytics.sources.model,
      query: queryEcho(q),
      pagination: pagination(q, r.total),
      items: r.items,
    },
  };
};

export const getMetricsTrading: Handler = async (req, ctx) => {
  const raw = req.query as RawQuery;
  const q = analyticsQuery(raw, ctx.deps.config);
  const run = runRef(ctx, raw.run_id);
  const r = await ctx.analytics.trading(q, run);
  return {
    data: {
      source: ctx.analytics.sources.trading,
      run,
      query: queryEcho(q),
      pair_id: q.pairId ?? 'portfolio',
      kpis: r.kpis,
      pagination: pagination(q, r.total),
      items: r.items,
    },
  };
};

export const getMetricsDataQuality: Handler = async (req, ctx) => {
  const q = analyticsQuery(req.query as RawQuery, ctx.deps.config);
  const pair = ctx.deps.config.universe.pairs.find((p) => p.pair_id === q.pairId);
  const symbols = pair ? [pair.leg_A.canonical_symbol, pair.leg_B.canonical_symbol] : undefined;
  const r = await ctx.analytics.dataQuality(q, symbols);
  return {
    data: {
      source: ctx.analytics.sources.data_quality,
      query: queryEcho(q),
      ...(symbols ? { symbols } : {}),
      pagination: pagination(q, r.total),
      items: r.items,
    },
  };
};

async function opsNow(ctx: ApiContext, pairId: string | undefined) {
  const control = await ctx.deps.openOpsControl();
  try {
    const raw = await control.readFlags();
    const { flags, problems } = flagsOfRaw(raw);
    const shard = ctx.deps.config.universe.pairs.find((p) => p.pair_id === pairId)?.shard;
    const mirrors = drawdownMirrorsOf(raw).filter((m) => shard === undefined || m.shard === shard);
    return {
      where: control.where,
      flags: opsFlagsFields(flags),
      problems,
      dd_levels: mirrors.map((m) => ({
        shard: m.shard,
        level: m.level,
        since: m.since,
        drawdown: m.drawdown,
        pairs:
          pairId === undefined ? m.pairs : Object.fromEntries(Object.entries(m.pairs).filter(([k]) => k === pairId)),
      })),
    };
  } finally {
    await control.close();
  }
}

export const getMetricsRisk: Handler = async (req, ctx) => {
  const raw = req.query as RawQuery;
  const q = analyticsQuery(raw, ctx.deps.config);
  const run = runRef(ctx, raw.run_id);
  const ops = await opsNow(ctx, q.pairId);
  // The ops state stands without a backtest: only a run asked for by id must exist.
  const series =
    run.run_id === null && !ctx.analytics.riskWithoutRun && !existsSync(join(run.dir, 'bt_daily_equity.parquet'))
      ? { items: [], total: 0 }
      : await ctx.analytics.riskSeries(q, run);
  return {
    data: {
      source: ctx.analytics.sources.risk,
      run,
      query: queryEcho(q),
      ops,
      pagination: pagination(q, series.total),
      items: series.items,
    },
  };
};
