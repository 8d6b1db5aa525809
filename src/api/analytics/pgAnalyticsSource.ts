// The analytics when PG_URL is set: trading and risk from the PostgreSQL history (fills, account snapshots,
// DD level changes); the model registry, pt dq's reports and backtest outputs are not in PostgreSQL, so
// those routes keep reading the local files and say so (source duckdb).
import { drawdownPath, kpisOf, pairCurve, type PgAnalytics } from '../../adapters/postgres/index.js';
import type { PtConfig } from '../../config/schemas/index.js';
import { ApiError } from '../apiError.js';
import {
  pageOf,
  periodStart,
  type AnalyticsQuery,
  type AnalyticsSource,
  type Paged,
  type RiskPeriod,
  type TradingPeriod,
} from './analyticsSource.js';

const inRange = (ms: number, q: AnalyticsQuery): boolean =>
  (q.fromMs === undefined || ms >= q.fromMs) && (q.toMs === undefined || ms < q.toMs);

export function pgAnalyticsSource(pg: PgAnalytics, config: PtConfig, local: AnalyticsSource): AnalyticsSource {
  const pairs = config.universe.pairs;
  return {
    sources: { model: 'duckdb', trading: 'postgres', data_quality: 'duckdb', risk: 'postgres', bt: 'duckdb' },
    riskWithoutRun: true,
    model: (q) => local.model(q),
    dataQuality: (q, symbols) => local.dataQuality(q, symbols),
    btSummary: (run, pairId) => local.btSummary(run, pairId),
    btTrades: (q, run) => local.btTrades(q, run),

    // The KPIs cover the whole history of the pair (or the account), as a run's bt_summary row covers the
    // whole run; the periods hold the trades closed in [from, to).
    async trading(q) {
      if (q.pairId !== undefined && !pairs.some((p) => p.pair_id === q.pairId))
        throw new ApiError(404, 'UI_API_NOTFOUND', `pair ${q.pairId} is not in universe.yaml`);
      const [trades, account] = await Promise.all([pg.trades(q.pairId, pairs), pg.dailyEquity()]);
      const kpis = kpisOf(q.pairId === undefined ? account : pairCurve(account, trades), trades);
      const byPeriod = new Map<string, TradingPeriod>();
      for (const t of trades) {
        if (!inRange(t.exitMs, q)) continue;
        const period = periodStart(t.exitMs, q.granularity);
        const p = byPeriod.get(period) ?? { period, trades: 0, wins: 0, pnl_usd: 0 };
        p.trades++;
        if (t.pnlUsd > 0) p.wins++;
        p.pnl_usd += t.pnlUsd;
        byPeriod.set(period, p);
      }
      const all = [...byPeriod.values()].sort((a, b) => (a.period < b.period ? -1 : 1));
      return { kpis, ...pageOf(all, q) };
    },

    // The account's equity and drawdown (from its running peak since the first snapshot) per period,
    // with the DD level changes of dd_levels (the pair's shard when pair_id is given).
    async riskSeries(q): Promise<Paged<RiskPeriod>> {
      const shard = pairs.find((p) => p.pair_id === q.pairId)?.shard;
      const [account, changes] = await Promise.all([pg.dailyEquity(), pg.ddChanges(shard)]);
      const dd = drawdownPath(account.equity);
      const byPeriod = new Map<string, RiskPeriod>();
      const at = (period: string): RiskPeriod => {
        let p = byPeriod.get(period);
        if (!p)
          byPeriod.set(period, (p = { period, equity_end: null, max_dd: null, dd_level_end: null, dd_changes: 0 }));
        return p;
      };
      for (let i = 0; i < account.dayMs.length; i++) {
        const ms = account.dayMs[i]!;
        if (!inRange(ms, q)) continue;
        const p = at(periodStart(ms, q.granularity));
        p.equity_end = account.equity[i]!;
        p.max_dd = Math.max(p.max_dd ?? 0, dd[i]!);
      }
      for (const c of changes) {
        if (!inRange(c.barMs, q)) continue;
        const p = at(periodStart(c.barMs, q.granularity));
        p.dd_changes = (p.dd_changes ?? 0) + 1;
      }
      const all = [...byPeriod.values()].sort((a, b) => (a.period < b.period ? -1 : 1));
      let level: string | null = null;
      let k = 0;
      // A period's level is the one in force at its end: the worst over the shards after the last change
      // before that end, even a change from an earlier period.
      const changeLevels = levelsOverTime(changes);
      for (const p of all) {
        const end = nextPeriodMs(p.period, q);
        while (k < changeLevels.length && changeLevels[k]!.ms < end) level = changeLevels[k++]!.level;
        p.dd_level_end = level;
      }
      return pageOf(all, q);
    },

    async close() {
      await pg.close();
      await local.close?.();
    },
  };
}

// decision's DD_LEVEL_NAMES, mildest first (api/ does not import decision/).
const LEVELS = ['normal', 'warn', 'halt', 'flatten'];

/** The worst level over the shards' current levels (unknown names rank above the known ones). */
function worstLevel(levels: Map<number, string>): string | null {
  let worst: string | null = null;
  for (const l of levels.values()) if (worst === null || rank(l) > rank(worst)) worst = l;
  return worst;
}
const rank = (l: string): number => (LEVELS.includes(l) ? LEVELS.indexOf(l) : LEVELS.length);

/** After each change (in bar order), the worst level over the shards then. */
function levelsOverTime(changes: readonly { shard: number; barMs: number; level: string }[]) {
  const now = new Map<number, string>();
  return changes.map((c) => {
    now.set(c.shard, c.level);
    return { ms: c.barMs, level: worstLevel(now)! };
  });
}

/** The first ms after a period (its start plus one day, week or month). */
function nextPeriodMs(period: string, q: AnalyticsQuery): number {
  const d = new Date(`${period}T00:00:00Z`);
  if (q.granularity === 'day') return d.getTime() + 86_400_000;
  if (q.granularity === 'week') return d.getTime() + 7 * 86_400_000;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}
