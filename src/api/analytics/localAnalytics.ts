// The analytics of the local files: backtest outputs (Parquet) aggregated by DuckDB, the model
// registry's metrics.json and pt dq's JSON reports read from disk.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { queryRows, type Row } from '../../adapters/duckdb/queryRows.js';
import { sqlString, sqlTsRange } from '../../adapters/duckdb/duckdbSql.js';
import { SUMMARY_DOUBLES, TRADE_DOUBLES } from '../../backtest/job/index.js';
import type { DqReport } from '../../data/dq/runDq.js';
import { parseModelVersion } from '../../ml/registry/index.js';
import { ApiError } from '../apiError.js';
import {
  pageOf,
  periodStart,
  type AnalyticsQuery,
  type AnalyticsSource,
  type DqPeriod,
  type ModelItem,
  type Num,
  type Paged,
  type RiskPeriod,
  type RunRef,
  type SummaryRow,
  type TradeRow,
  type TradingPeriod,
} from './analyticsSource.js';

export interface LocalAnalyticsPaths {
  /** The model registry (models/). */
  modelsDir: string;
  /** pt dq's reports (reports/dq). */
  dqReportsDir: string;
}

const SUMMARY_COLUMNS = [
  'pair_id',
  'period',
  ...SUMMARY_DOUBLES,
  'theta1',
  'theta2',
  'theta_source',
  'model_version',
  'run_id',
] as const;

const iso = (ms: unknown): string => new Date(Number(ms)).toISOString();
const day = (ms: unknown): string => iso(ms).slice(0, 10);
const num = (v: unknown): Num => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function table(run: RunRef, name: string): string {
  const path = join(run.dir, `${name}.parquet`);
  if (!existsSync(path))
    throw new ApiError(
      404,
      'UI_API_NOTFOUND',
      `no ${name}.parquet in ${run.dir}: not the output folder of a finished run`,
    );
  return sqlString(path);
}

/** `(pair_id = $1 OR $1 IS NULL)` keeps one prepared shape for both cases. */
const pairFilter = '($1::VARCHAR IS NULL OR pair_id = $1::VARCHAR)';
const limit = (q: AnalyticsQuery) => `LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`;
const count = (rows: Row[]): number => Number(rows[0]?.n ?? 0);

async function versionsOf(modelsDir: string): Promise<string[]> {
  try {
    return (await readdir(modelsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && parseModelVersion(e.name) !== undefined)
      .map((e) => e.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** group → the version its CURRENT names, for every group folder holding a CURRENT file. */
async function currentPointers(modelsDir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let entries;
  try {
    entries = await readdir(modelsDir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!e.isDirectory() || parseModelVersion(e.name)) continue;
    try {
      out.set(e.name, (await readFile(join(modelsDir, e.name, 'CURRENT'), 'utf8')).trim());
    } catch {
      // a folder without a pointer is no group in force
    }
  }
  return out;
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const inRange = (ms: number, q: AnalyticsQuery): boolean =>
  (q.fromMs === undefined || ms >= q.fromMs) && (q.toMs === undefined || ms < q.toMs);

export function localAnalytics(paths: LocalAnalyticsPaths): AnalyticsSource {
  return {
    sources: { model: 'duckdb', trading: 'duckdb', data_quality: 'duckdb', risk: 'duckdb', bt: 'duckdb' },

    async model(q): Promise<Paged<ModelItem>> {
      const pointers = await currentPointers(paths.modelsDir);
      const items: ModelItem[] = [];
      for (const version of await versionsOf(paths.modelsDir)) {
        const created = parseModelVersion(version)!.createdAt.getTime();
        if (!inRange(created, q)) continue;
        // An imported version's metrics.json may hold anything: the fields below are read only when well-typed.
        const m = (await readJson(join(paths.modelsDir, version, 'metrics.json'))) ?? {};
        const pairs = Array.isArray(m.pairs) ? m.pairs.filter((p): p is string => typeof p === 'string') : [];
        if (q.pairId !== undefined && !pairs.includes(q.pairId)) continue;
        const oos = m.oos !== null && typeof m.oos === 'object' ? (m.oos as Record<string, unknown>) : {};
        items.push({
          version,
          created_at: iso(created),
          period: periodStart(created, q.granularity),
          group: typeof m.group === 'string' ? m.group : null,
          timeframe: typeof m.timeframe === 'string' ? m.timeframe : null,
          pairs,
          data_end: typeof m.data_end === 'string' ? m.data_end : null,
          current_of: [...pointers].filter(([, v]) => v === version).map(([g]) => g),
          oos,
        });
      }
      items.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
      return pageOf(items, q);
    },

    async trading(q, run) {
      const summary = table(run, 'bt_summary');
      const trades = table(run, 'bt_trades');
      const pair = q.pairId ?? 'portfolio';
      const k = await queryRows(
        `SELECT trades, win_rate, ann_return, sharpe, max_dd FROM read_parquet(${summary}) WHERE pair_id = $1`,
        [pair],
      );
      if (k.length === 0)
        throw new ApiError(404, 'UI_API_NOTFOUND', `pair ${pair} is not in the run's bt_summary (${run.dir})`);
      const where = `${pairFilter} AND ${sqlTsRange('timestamp_exit', q.fromMs, q.toMs)}`;
      const bucket = `date_trunc('${q.granularity}', timestamp_exit)`;
      const params = [q.pairId ?? null];
      const total = count(
        await queryRows(
          `SELECT count(DISTINCT ${bucket})::INTEGER AS n FROM read_parquet(${trades}) WHERE ${where}`,
          params,
        ),
      );
      const rows = await queryRows(
        `SELECT epoch_ms(${bucket})::DOUBLE AS period, count(*)::INTEGER AS trades,
                count(*) FILTER (WHERE pnl > 0)::INTEGER AS wins, coalesce(sum(pnl), 0)::DOUBLE AS pnl_usd
         FROM read_parquet(${trades}) WHERE ${where} GROUP BY 1 ORDER BY 1 ${limit(q)}`,
        params,
      );
      const r = k[0]!;
      return {
        kpis: {
          trades: num(r.trades),
          win_rate: num(r.win_rate),
          annualized_return: num(r.ann_return),
          sharpe: num(r.sharpe),
          max_drawdown: num(r.max_dd),
        },
        items: rows.map(
          (x): TradingPeriod => ({
            period: day(x.period),
            trades: Number(x.trades),
            wins: Number(x.wins),
            pnl_usd: num(x.pnl_usd) ?? 0,
          }),
        ),
        total,
      };
    },

    async dataQuality(q, symbols): Promise<Paged<DqPeriod>> {
      let names: string[] = [];
      try {
        names = (await readdir(paths.dqReportsDir)).filter((n) => n.endsWith('.json')).sort();
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      const byPeriod = new Map<string, DqPeriod>();
      for (const name of names) {
        const r = (await readJson(join(paths.dqReportsDir, name))) as Partial<DqReport> | undefined;
        // Files that are no DQ report are skipped, as pt ops slo skips them.
        if (!r || typeof r.generated_at !== 'string' || !Array.isArray(r.symbols) || !r.thresholds) continue;
        const at = Date.parse(r.generated_at);
        if (!Number.isFinite(at) || !inRange(at, q)) continue;
        const period = periodStart(at, q.granularity);
        const p = byPeriod.get(period) ?? {
          period,
          reports: 0,
          partitions: 0,
          failed: 0,
          pass_rate: null,
          max_missing_rate: null,
          max_outlier_rate: null,
        };
        p.reports++;
        for (const s of r.symbols) {
          if (symbols !== undefined && !symbols.includes(s.symbol)) continue;
          for (const m of s.months) {
            p.partitions++;
            if (m.missingRate > r.thresholds.missing_rate || m.outlierRate > r.thresholds.outlier_rate) p.failed++;
            p.max_missing_rate = Math.max(p.max_missing_rate ?? 0, m.missingRate);
            p.max_outlier_rate = Math.max(p.max_outlier_rate ?? 0, m.outlierRate);
          }
        }
        p.pass_rate = p.partitions > 0 ? (p.partitions - p.failed) / p.partitions : null;
        byPeriod.set(period, p);
      }
      return pageOf(
        [...byPeriod.values()].sort((a, b) => (a.period < b.period ? -1 : 1)),
        q,
      );
    },

    async riskSeries(q, run): Promise<Paged<RiskPeriod>> {
      const equity = table(run, 'bt_daily_equity');
      const where = sqlTsRange('"date"', q.fromMs, q.toMs);
      const bucket = `date_trunc('${q.granularity}', "date")`;
      const total = count(
        await queryRows(`SELECT count(DISTINCT ${bucket})::INTEGER AS n FROM read_parquet(${equity}) WHERE ${where}`),
      );
      const rows = await queryRows(
        `SELECT epoch_ms(${bucket})::DOUBLE AS period, arg_max(equity, "date")::DOUBLE AS equity_end,
                max(dd)::DOUBLE AS max_dd
         FROM read_parquet(${equity}) WHERE ${where} GROUP BY 1 ORDER BY 1 ${limit(q)}`,
      );
      return {
        items: rows.map((x) => ({ period: day(x.period), equity_end: num(x.equity_end), max_dd: num(x.max_dd) })),
        total,
      };
    },

    async btSummary(run, pairId): Promise<SummaryRow[]> {
      const summary = table(run, 'bt_summary');
      const cols = SUMMARY_COLUMNS.map((c) => `"${c}"`).join(', ');
      // The portfolio row first, then the pairs in the run's order (the file's).
      const rows = await queryRows(
        `SELECT ${cols} FROM (SELECT *, row_number() OVER () AS k FROM read_parquet(${summary})) WHERE ${pairFilter} ORDER BY k`,
        [pairId ?? null],
      );
      return rows.map((r) =>
        Object.fromEntries(SUMMARY_COLUMNS.map((c) => [c, typeof r[c] === 'string' ? r[c] : num(r[c])])),
      );
    },

    async btTrades(q, run): Promise<Paged<TradeRow>> {
      const trades = table(run, 'bt_trades');
      const where = `${pairFilter} AND ${sqlTsRange('timestamp_entry', q.fromMs, q.toMs)}`;
      const params = [q.pairId ?? null];
      const total = count(
        await queryRows(`SELECT count(*)::INTEGER AS n FROM read_parquet(${trades}) WHERE ${where}`, params),
      );
      const rows = await queryRows(
        `SELECT trade_id, pair_id, side, exit_reason,
                epoch_ms(timestamp_entry)::DOUBLE AS ts_entry, epoch_ms(timestamp_exit)::DOUBLE AS ts_exit,
                ${TRADE_DOUBLES.map((c) => `"${c}"::DOUBLE AS "${c}"`).join(', ')}
         FROM read_parquet(${trades}) WHERE ${where}
         ORDER BY timestamp_entry, TRY_CAST(trade_id AS BIGINT), trade_id ${limit(q)}`,
        params,
      );
      return {
        items: rows.map((r) => ({
          trade_id: String(r.trade_id),
          pair_id: String(r.pair_id),
          side: String(r.side),
          timestamp_entry: iso(r.ts_entry),
          timestamp_exit: iso(r.ts_exit),
          ...Object.fromEntries(TRADE_DOUBLES.map((c) => [c, num(r[c])])),
          exit_reason: String(r.exit_reason),
        })),
        total,
      };
    },
  };
}
