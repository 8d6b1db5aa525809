// What the analytics routes read, whatever holds it: the local files (Parquet through DuckDB, pt's JSON
// reports) or, once history is shipped there, PostgreSQL. Each answer names its source.

export type Granularity = 'day' | 'week' | 'month';

export interface AnalyticsQuery {
  /** UTC ms, inclusive / exclusive; unbounded when undefined. */
  fromMs?: number;
  toMs?: number;
  pairId?: string;
  granularity: Granularity;
  /** 1-based. */
  page: number;
  pageSize: number;
}

/** Which backtest outputs: a queued run's folder, or pt bt run's default --out. */
export interface RunRef {
  run_id: string | null;
  dir: string;
}

export interface Paged<T> {
  items: T[];
  /** Items over all pages. */
  total: number;
}

export type Num = number | null;

export interface ModelItem {
  version: string;
  created_at: string;
  period: string;
  group: string | null;
  timeframe: string | null;
  pairs: string[];
  data_end: string | null;
  current_of: string[];
  oos: Record<string, unknown>;
}

export interface TradingKpis {
  trades: Num;
  win_rate: Num;
  annualized_return: Num;
  sharpe: Num;
  max_drawdown: Num;
}

export interface TradingPeriod {
  period: string;
  trades: number;
  wins: number;
  pnl_usd: number;
}

export interface DqPeriod {
  period: string;
  reports: number;
  partitions: number;
  failed: number;
  pass_rate: Num;
  max_missing_rate: Num;
  max_outlier_rate: Num;
}

export interface RiskPeriod {
  period: string;
  equity_end: Num;
  max_dd: Num;
  /** PostgreSQL only: the DD level at the period's end and how many level changes it holds (dd_levels). */
  dd_level_end?: string | null;
  dd_changes?: number;
}

export type SummaryRow = Record<string, string | number | null>;
export type TradeRow = Record<string, string | number | null>;

export type SourceName = 'duckdb' | 'postgres';

export interface AnalyticsSource {
  /** What each route's numbers are read from: a route whose data PostgreSQL does not hold stays on the files. */
  readonly sources: {
    model: SourceName;
    trading: SourceName;
    data_quality: SourceName;
    risk: SourceName;
    bt: SourceName;
  };
  /** When set, the risk series needs no backtest run (the PostgreSQL history). */
  readonly riskWithoutRun?: boolean;
  model(q: AnalyticsQuery): Promise<Paged<ModelItem>>;
  /** The run's KPIs of q.pairId (the portfolio when undefined); UI_API_NOTFOUND when the run lacks the pair. */
  trading(q: AnalyticsQuery, run: RunRef): Promise<{ kpis: TradingKpis } & Paged<TradingPeriod>>;
  /** symbols: the legs to count (every symbol when undefined). */
  dataQuality(q: AnalyticsQuery, symbols: readonly string[] | undefined): Promise<Paged<DqPeriod>>;
  riskSeries(q: AnalyticsQuery, run: RunRef): Promise<Paged<RiskPeriod>>;
  btSummary(run: RunRef, pairId: string | undefined): Promise<SummaryRow[]>;
  btTrades(q: AnalyticsQuery, run: RunRef): Promise<Paged<TradeRow>>;
  close?(): Promise<void>;
}

/** The first UTC day (YYYY-MM-DD) of the period holding `ms`; weeks start on Monday (as DuckDB's date_trunc). */
export function periodStart(ms: number, g: Granularity): string {
  const d = new Date(ms);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (g === 'day') return new Date(day).toISOString().slice(0, 10);
  if (g === 'month') return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString().slice(0, 10);
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  return new Date(day - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}

export function pageOf<T>(all: readonly T[], q: Pick<AnalyticsQuery, 'page' | 'pageSize'>): Paged<T> {
  const start = (q.page - 1) * q.pageSize;
  return { items: all.slice(start, start + q.pageSize), total: all.length };
}
