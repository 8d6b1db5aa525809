// What the analytics read from the PostgreSQL history: closed trades rebuilt from the fills, the account's
// daily equity from its snapshots, the DD level changes. The KPIs are the backtest's own functions
// (computeKpis, drawdownPath, legPricePnlUsd) over these rows, so live and backtest numbers mean the same.
import pg from 'pg';
import { computeKpis, type Trade } from '../../backtest/kpis/kpis.js';
import { drawdownPath } from '../../backtest/kpis/maxDrawdown.js';
import { legPricePnlUsd } from '../../backtest/legPricePnl.js';
import type { PtConfig } from '../../config/schemas/index.js';
import { DAY_MS } from '../../core/time.js';
import { connectPg } from './pgConnect.js';
import { requireMigrated } from './migrations.js';

type PairSpec = PtConfig['universe']['pairs'][number];

export interface PgTrade extends Trade {
  pairId: string;
}

export interface PgDailyEquity {
  dayMs: Float64Array;
  equity: Float64Array;
}

export interface PgTradingKpis {
  trades: number | null;
  win_rate: number | null;
  annualized_return: number | null;
  sharpe: number | null;
  max_drawdown: number | null;
}

export interface PgDdChange {
  shard: number;
  barMs: number;
  level: string;
}

export interface FillRow {
  ms: number;
  pair_id: string;
  leg: string;
  side: string;
  filled: number;
}

interface LegState {
  /** Signed lots held now. */
  pos: number;
  /** Signed lots opened and their lots × price, for the entry VWAP. */
  openLots: number;
  openCost: number;
  closeLots: number;
  closeCost: number;
}

const fresh = (): LegState => ({ pos: 0, openLots: 0, openCost: 0, closeLots: 0, closeCost: 0 });
const EPS = 1e-9;
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * Round trips of each pair from its fills in time order: a trade opens when a fill leaves the flat pair
 * and closes when both legs are flat again. Its P&L is each leg's legPricePnlUsd at the volume-weighted
 * entry and exit prices (lots × contract size × move; costs and swaps are not in fills.csv). Pairs with a
 * leg quoted in a currency other than USD are left out: the history holds no conversion rates.
 */
export function tradesOfFills(fills: readonly (FillRow & { price: number })[], pairs: readonly PairSpec[]): PgTrade[] {
  const spec = new Map(pairs.map((p) => [p.pair_id, p]));
  const open = new Map<string, { entryMs: number; A: LegState; B: LegState }>();
  const out: PgTrade[] = [];
  for (const f of fills) {
    const p = spec.get(f.pair_id);
    if (!p || p.leg_A.quote_ccy !== 'USD' || p.leg_B.quote_ccy !== 'USD') continue;
    if (f.leg !== 'A' && f.leg !== 'B') continue;
    if (!(f.filled > 0)) continue;
    let t = open.get(f.pair_id);
    if (!t) open.set(f.pair_id, (t = { entryMs: f.ms, A: fresh(), B: fresh() }));
    const s = t[f.leg];
    const signed = f.side === 'BUY' ? f.filled : -f.filled;
    // A fill in the direction of the position (or from flat) opens, the other way closes.
    if (Math.abs(s.pos) < EPS || Math.sign(signed) === Math.sign(s.pos)) {
      s.openLots += signed;
      s.openCost += signed * f.price;
    } else {
      s.closeLots += signed;
      s.closeCost += signed * f.price;
    }
    s.pos += signed;
    if (Math.abs(t.A.pos) < EPS && Math.abs(t.B.pos) < EPS) {
      const legPnl = (l: LegState, contract: number) =>
        l.openLots === 0 || l.closeLots === 0
          ? 0
          : legPricePnlUsd(l.openLots, contract, l.closeCost / l.closeLots, l.openCost / l.openLots, 1);
      out.push({
        pairId: f.pair_id,
        entryMs: t.entryMs,
        exitMs: f.ms,
        pnlUsd: legPnl(t.A, p.leg_A.contract_size) + legPnl(t.B, p.leg_B.contract_size),
      });
      open.delete(f.pair_id);
    }
  }
  return out;
}

/**
 * SPEC §7's KPIs of a daily equity curve and trades, through computeKpis; the capital is the curve's
 * first close. No curve: only trades and win rate.
 */
export function kpisOf(daily: PgDailyEquity, trades: readonly Trade[]): PgTradingKpis {
  const wins = trades.filter((t) => t.pnlUsd > 0).length;
  const winRate = trades.length === 0 ? null : wins / trades.length;
  if (daily.dayMs.length === 0 || !(daily.equity[0]! > 0))
    return { trades: trades.length, win_rate: winRate, annualized_return: null, sharpe: null, max_drawdown: null };
  const k = computeKpis({ daily, trades, initialCapitalUsd: daily.equity[0]! });
  return {
    trades: k.trades,
    win_rate: finite(k.winRate),
    annualized_return: finite(k.annualReturnSimple),
    sharpe: finite(k.sharpe),
    max_drawdown: finite(k.maxDrawdown),
  };
}

/** A pair's own curve on the account's days: the account's first close plus the pair's P&L closed so far. */
export function pairCurve(account: PgDailyEquity, trades: readonly Trade[]): PgDailyEquity {
  const n = account.dayMs.length;
  const equity = new Float64Array(n);
  const byExit = [...trades].sort((a, b) => a.exitMs - b.exitMs);
  let k = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const end = account.dayMs[i]! + DAY_MS;
    while (k < byExit.length && byExit[k]!.exitMs < end) sum += byExit[k++]!.pnlUsd;
    equity[i] = (n > 0 ? account.equity[0]! : 0) + sum;
  }
  return { dayMs: account.dayMs, equity };
}

export { drawdownPath };

export class PgAnalytics {
  /** The trades of a pair (or '' for all), with the fills' version they were rebuilt from. */
  private readonly tradeCache = new Map<string, { version: string; trades: PgTrade[] }>();

  private constructor(private readonly pool: pg.Pool) {}

  /**
   * The fills' version: their count and latest synced_at. Fills are only ever added (pt sync's inserts
   * skip a known key), so any new row changes the count, even one committed late with an older synced_at.
   */
  private async fillsVersion(): Promise<string> {
    const r = await this.pool.query<{ n: string; at: Date | null }>(
      'SELECT count(*) AS n, max(synced_at) AS at FROM fills',
    );
    return `${r.rows[0]?.n ?? 0}:${r.rows[0]?.at?.getTime() ?? ''}`;
  }

  /**
   * tradesOfFills over the pair's fills (every pair when undefined). Rebuilding 3 years × 30 pairs takes
   * most of a second, so the trades are kept until the fills change (fillsVersion).
   */
  async trades(pairId: string | undefined, pairs: readonly PairSpec[]): Promise<PgTrade[]> {
    const version = await this.fillsVersion();
    const key = pairId ?? '';
    const had = this.tradeCache.get(key);
    if (had?.version === version) return had.trades;
    const trades = tradesOfFills(await this.fills(pairId), pairs);
    if (this.tradeCache.size > 64) this.tradeCache.clear();
    this.tradeCache.set(key, { version, trades });
    return trades;
  }

  /** A small pool on `url` (concurrent requests), after checking the schema is migrated (OPS_PG_SCHEMA). */
  static async open(url: string, poolSize = 4): Promise<PgAnalytics> {
    const probe = await connectPg(url);
    try {
      await requireMigrated(probe);
    } finally {
      await probe.end().catch(() => {});
    }
    const pool = new pg.Pool({ connectionString: url, max: poolSize });
    pool.on('error', () => {});
    return new PgAnalytics(pool);
  }

  /** Every fill of the pair (every pair when undefined) that filled something, in time order. */
  async fills(pairId: string | undefined): Promise<(FillRow & { price: number })[]> {
    const r = await this.pool.query<FillRow & { price: number }>(
      `SELECT (extract(epoch FROM time_gmt) * 1000)::float8 AS ms, pair_id, leg, side, filled, price
       FROM fills WHERE filled > 0 AND ($1::text IS NULL OR pair_id = $1)
       ORDER BY pair_id, time_gmt, shard, fill_id`,
      [pairId ?? null],
    );
    return r.rows;
  }

  /** The account's close of each UTC day: its last snapshot of the day (of any shard that shipped one). */
  async dailyEquity(): Promise<PgDailyEquity> {
    const r = await this.pool.query<{ day: number; equity: number }>(
      `SELECT DISTINCT ON (1) (extract(epoch FROM date_trunc('day', ts, 'UTC')) * 1000)::float8 AS day, equity
       FROM account_snapshots ORDER BY 1, ts DESC, shard DESC`,
    );
    return {
      dayMs: Float64Array.from(r.rows, (x) => x.day),
      equity: Float64Array.from(r.rows, (x) => x.equity),
    };
  }

  /** DD level changes in [fromMs, toMs) of the shard (every shard when undefined), in bar order. */
  async ddChanges(shard: number | undefined, fromMs?: number, toMs?: number): Promise<PgDdChange[]> {
    const r = await this.pool.query<{ shard: number; ms: number; level: string }>(
      `SELECT shard, (extract(epoch FROM bar_ts) * 1000)::float8 AS ms, level FROM dd_levels
       WHERE ($1::int IS NULL OR shard = $1) AND ($2::float8 IS NULL OR bar_ts >= to_timestamp($2 / 1000.0))
         AND ($3::float8 IS NULL OR bar_ts < to_timestamp($3 / 1000.0))
       ORDER BY bar_ts, shard`,
      [shard ?? null, fromMs ?? null, toMs ?? null],
    );
    return r.rows.map((x) => ({ shard: x.shard, barMs: x.ms, level: x.level }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
