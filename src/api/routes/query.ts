// The analytics query string (validated by openapi.yaml's schema) → typed values, with the checks a
// schema cannot make: real dates, from before to, a pair of universe.yaml.
import { join } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';
import { isPtError } from '../../core/ptError.js';
import { parseUtcMs } from '../../core/time.js';
import { ApiError, badRequest } from '../apiError.js';
import type { AnalyticsQuery, Granularity, RunRef } from '../analytics/analyticsSource.js';
import type { ApiContext } from '../apiTypes.js';

export interface RawQuery {
  from?: string;
  to?: string;
  pair_id?: string;
  granularity?: Granularity;
  page?: number;
  page_size?: number;
  run_id?: string;
}

function time(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseUtcMs(value, name);
  } catch (e) {
    if (isPtError(e)) throw badRequest(e.message);
    throw e;
  }
}

export function checkPair(config: PtConfig, pairId: string | undefined): void {
  if (pairId !== undefined && !config.universe.pairs.some((p) => p.pair_id === pairId))
    throw badRequest(`pair_id ${pairId} is not in universe.yaml`);
}

export function analyticsQuery(q: RawQuery, config: PtConfig): AnalyticsQuery {
  const fromMs = time(q.from, 'from');
  const toMs = time(q.to, 'to');
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs)
    throw badRequest(`from ${q.from} is not before to ${q.to}`);
  checkPair(config, q.pair_id);
  return {
    ...(fromMs !== undefined ? { fromMs } : {}),
    ...(toMs !== undefined ? { toMs } : {}),
    ...(q.pair_id !== undefined ? { pairId: q.pair_id } : {}),
    granularity: q.granularity ?? 'day',
    page: q.page ?? 1,
    pageSize: q.page_size ?? 50,
  };
}

/** The query as read, for the answer: times as ISO UTC. */
export function queryEcho(q: AnalyticsQuery): Record<string, string> {
  return {
    ...(q.fromMs !== undefined ? { from: new Date(q.fromMs).toISOString() } : {}),
    ...(q.toMs !== undefined ? { to: new Date(q.toMs).toISOString() } : {}),
    ...(q.pairId !== undefined ? { pair_id: q.pairId } : {}),
    granularity: q.granularity,
  };
}

export function pagination(q: AnalyticsQuery, total: number) {
  return { page: q.page, page_size: q.pageSize, total };
}

/** A queued run's folder (409 while it is not done), or pt bt run's default output folder. */
export function runRef(ctx: ApiContext, runId: string | undefined): RunRef {
  if (runId === undefined) return { run_id: null, dir: ctx.deps.btDefaultRun };
  const s = ctx.bt.get(runId);
  if (s && s.state !== 'done')
    throw new ApiError(
      409,
      'UI_API_NOTREADY',
      s.state === 'failed'
        ? `backtest run ${runId} failed: ${s.error?.id}: ${s.error?.message}`
        : `backtest run ${runId} is ${s.state}; poll GET /api/v1/bt/runs/${runId}`,
    );
  return { run_id: runId, dir: join(ctx.deps.btRunsDir, runId) };
}
