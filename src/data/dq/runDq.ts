// pt dq: runs the DQ rules per symbol (then per pair of the universe), writes the report and the quarantine.
import { randomUUID } from 'node:crypto';
import type { PtConfig } from '../../config/schemas/index.js';
import { timeframeMs, type Timeframe } from '../../core/time.js';
import type { BarStore } from '../../ports/barStore.js';
import { metrics } from '../../observability/metrics.js';
import { calendarForSymbol } from '../calendar/calendarForSymbol.js';
import { closedMarketBars } from '../calendar/closedMarketBars.js';
import { PtError, isPtError } from '../../core/ptError.js';
import { assertPairAligns } from '../pairNoAlignError.js';
import { runSymbolDq, type DqEvent, type DqParams, type Gap, type MonthDq, type SymbolDq } from './symbolDq.js';
import { monthsToQuarantine, writeQuarantine, type QuarantineEntry, type QuarantineLockOptions } from './quarantine.js';

export interface SymbolDqReport {
  symbol: string;
  range: { from: string | null; to: string | null };
  bars: number;
  totals: SymbolDq['totals'];
  missing_rate: number;
  outlier_rate: number;
  spike_rate: number;
  largest_gaps: Gap[];
  /**
   * Bars lying wholly inside the market's weekly close (FX/metals: Fri 17:00 → Sun 17:00 New York) or
   * on a closed holiday, such as the weekend bars TwelveData serves: listed, kept in the cleaned series.
   */
  closed_market_bars: ClosedMarketReport;
  months: MonthDq[];
  /** Every bar the rules touched: filled, gap start, outlier (kept), dropped, present inside a closure. */
  events: Array<{ ts: string; kind: DqEvent['kind']; reason: string }>;
}

export interface ClosedMarketReport {
  count: number;
  weekly_close: number;
  holiday: number;
  /** Open times (UTC) of the first CLOSED_MARKET_EXAMPLES of them. */
  first: string[];
}

/** How many closed-market bar times the report lists per symbol (the events file has every bar in a closure). */
export const CLOSED_MARKET_EXAMPLES = 10;

export interface PairDqReport {
  pair_id: string;
  aligned_bars: number;
  dropped_a: number;
  dropped_b: number;
  /** Both legs have bars but none in common (DATA_PAIR_NOALIGN): the message names each leg's grid. */
  error?: { id: string; message: string };
}

export interface DqReport {
  dq_run_id: string;
  generated_at: string;
  timeframe: Timeframe;
  params: DqParams;
  thresholds: { missing_rate: number; outlier_rate: number };
  symbols: SymbolDqReport[];
  pairs: PairDqReport[];
  quarantine: { entries: QuarantineEntry[]; added: string[]; released: string[] };
}

export function dqParamsFrom(config: PtConfig): DqParams {
  const p = config.pipeline_policy;
  return {
    missingFillMaxRun: p.missing_fill_max_run,
    outlierAction: p.outlier_action,
    outlierSigma: p.outlier_sigma,
    outlierWindowBars: p.outlier_window_bars,
    spikeK: p.dq_spike_k,
    spikeWindowBars: p.dq_spike_window_bars,
  };
}

export async function runDq(
  config: PtConfig,
  store: BarStore,
  dataDir: string,
  symbols: string[],
  timeframe: Timeframe,
  range: { fromMs?: number; toMs?: number } = {},
  lock: QuarantineLockOptions = {},
): Promise<DqReport> {
  const runId = randomUUID();
  const params = dqParamsFrom(config);
  const th = config.pipeline_policy.dq_thresholds;
  const thresholds = { missingRate: th.missing_rate, outlierRate: th.outlier_rate };
  const reports: SymbolDqReport[] = [];
  const entries: QuarantineEntry[] = [];
  for (const symbol of symbols) {
    const bars = await store.readBars(symbol, timeframe, range.fromMs, range.toMs);
    const calendar = calendarForSymbol(config, symbol);
    const dq = runSymbolDq(bars, calendar, params);
    const t = dq.totals;
    const closed = closedMarketBars(calendar, bars.ts, timeframeMs(timeframe));
    const first: string[] = [];
    for (let i = 0; i < bars.length && first.length < CLOSED_MARKET_EXAMPLES; i++)
      if (closed.mask[i] === 1) first.push(new Date(bars.ts[i]!).toISOString());
    const report: SymbolDqReport = {
      symbol,
      range: {
        from: bars.length ? new Date(bars.ts[0]!).toISOString() : null,
        to: bars.length ? new Date(bars.ts[bars.length - 1]!).toISOString() : null,
      },
      bars: bars.length,
      totals: t,
      missing_rate: t.expected > 0 ? t.missing / t.expected : 0,
      outlier_rate: t.present > 0 ? t.outliers / t.present : 0,
      spike_rate: t.present > 0 ? t.spikes / t.present : 0,
      largest_gaps: [...dq.gaps].sort((a, b) => b.bars - a.bars).slice(0, 10),
      closed_market_bars: { count: closed.count, weekly_close: closed.weeklyClose, holiday: closed.holiday, first },
      months: dq.months,
      events: dq.events.map((e) => ({ ts: new Date(e.tsMs).toISOString(), kind: e.kind, reason: e.reason })),
    };
    reports.push(report);
    entries.push(...monthsToQuarantine(dq, timeframe, thresholds, runId));
    metrics.missingRate.set({ symbol, timeframe }, report.missing_rate);
    metrics.outlierRate.set({ symbol, timeframe }, report.outlier_rate);
  }
  for (const e of entries) metrics.dqFailTotal.inc({ symbol: e.symbol, timeframe });
  const partitions = reports.reduce((n, r) => n + r.months.length, 0);
  metrics.dqPassRate.set({ timeframe }, partitions === 0 ? 1 : (partitions - entries.length) / partitions);
  const changes = await writeQuarantine(dataDir, timeframe, symbols, entries, lock);
  const pairs: PairDqReport[] = [];
  const wanted = new Set(symbols);
  for (const pair of config.universe.pairs) {
    const a = pair.leg_A.canonical_symbol;
    const b = pair.leg_B.canonical_symbol;
    if (!wanted.has(a) || !wanted.has(b)) continue;
    const aligned = await store.readAlignedPair(a, b, timeframe, range.fromMs, range.toMs);
    const row: PairDqReport = {
      pair_id: pair.pair_id,
      aligned_bars: aligned.length,
      dropped_a: aligned.droppedA,
      dropped_b: aligned.droppedB,
    };
    if (aligned.length === 0 && aligned.droppedA > 0 && aligned.droppedB > 0) {
      // The legs' grids are read only for the error message.
      const [barsA, barsB] = await Promise.all([
        store.readBars(a, timeframe, range.fromMs, range.toMs),
        store.readBars(b, timeframe, range.fromMs, range.toMs),
      ]);
      try {
        assertPairAligns(barsA, barsB, 0, pair.pair_id);
      } catch (error) {
        if (!isPtError(error)) throw error;
        row.error = { id: error.id, message: error.message };
      }
    }
    pairs.push(row);
  }
  return {
    dq_run_id: runId,
    generated_at: new Date().toISOString(),
    timeframe,
    params,
    thresholds: { missing_rate: th.missing_rate, outlier_rate: th.outlier_rate },
    symbols: reports,
    pairs,
    quarantine: { entries, ...changes },
  };
}

/** The error a DQ run ends with when a pair's legs share no bar (the report is written first); undefined when none. */
export function dqPairFailure(report: DqReport): PtError | undefined {
  const bad = report.pairs.filter((p) => p.error);
  if (bad.length === 0) return undefined;
  const first = bad[0]!.error!;
  const others = bad.length > 1 ? ` (${bad.length} pairs: ${bad.map((p) => p.pair_id).join(', ')})` : '';
  return new PtError('DATA_PAIR_NOALIGN', `${first.message}${others}`, {
    details: { pairs: bad.map((p) => p.pair_id) },
  });
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/** The on-screen tables: one row per symbol, then one row per symbol × month. */
export function formatDqTables(report: DqReport): string[] {
  const quarantined = new Set(report.quarantine.entries.map((e) => `${e.symbol} ${e.month}`));
  const lines: string[] = [];
  const row = (cells: string[], widths: number[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const w1 = [10, 8, 9, 9, 7, 6, 10, 12];
  lines.push(row(['symbol', 'bars', 'missing', 'outlier', 'spikes', 'gaps', 'gap bars', 'quarantined'], w1));
  for (const s of report.symbols) {
    const q = report.quarantine.entries.filter((e) => e.symbol === s.symbol).length;
    lines.push(
      row(
        [
          s.symbol,
          String(s.bars),
          pct(s.missing_rate),
          pct(s.outlier_rate),
          String(s.totals.spikes),
          String(s.totals.gaps),
          String(s.totals.gapBars),
          q ? `${q} months` : '-',
        ],
        w1,
      ),
    );
  }
  lines.push('');
  const w2 = [10, 8, 7, 9, 9, 7, 6, 3];
  lines.push(row(['symbol', 'month', 'bars', 'missing', 'outlier', 'spikes', 'gaps', 'Q'], w2));
  for (const s of report.symbols) {
    for (const m of s.months) {
      lines.push(
        row(
          [
            s.symbol,
            m.month,
            String(m.present),
            pct(m.missingRate),
            pct(m.outlierRate),
            String(m.spikes),
            String(m.gaps),
            quarantined.has(`${s.symbol} ${m.month}`) ? 'Q' : '',
          ],
          w2,
        ),
      );
    }
  }
  if (report.pairs.length > 0) {
    lines.push('');
    for (const p of report.pairs)
      lines.push(
        `pair ${p.pair_id}: ${p.aligned_bars} aligned bars, ${p.dropped_a} only in A and ${p.dropped_b} only in B dropped${p.error ? ` — ${p.error.id}` : ''}`,
      );
  }
  const closedLines = formatClosedMarketBars(report);
  if (closedLines.length > 0) lines.push('', ...closedLines);
  lines.push('', ...formatDqEvents(report, EVENTS_SHOWN));
  return lines;
}

/** Per symbol with any: how many bars sit wholly inside the weekly close or on a closed holiday, and the first few. */
export function formatClosedMarketBars(report: DqReport): string[] {
  const withAny = report.symbols.filter((s) => s.closed_market_bars.count > 0);
  if (withAny.length === 0) return [];
  const lines = ['bars while the market is closed all day (weekly close, closed holiday; kept, listed):'];
  for (const s of withAny) {
    const c = s.closed_market_bars;
    const more = c.count > c.first.length ? `, … ${c.count - c.first.length} more` : '';
    lines.push(
      `  ${s.symbol} closed_market_bars: ${c.count} (${c.weekly_close} in the weekly close, ${c.holiday} on holidays): ${c.first.join(', ')}${more}`,
    );
  }
  return lines;
}

/** On screen, per symbol and kind, the first this-many bars; the events file has them all. */
export const EVENTS_SHOWN = 20;

/** The bars the rules touched, with their times and reasons: every outlier and drop, and the first `shown` of the other kinds per symbol. */
export function formatDqEvents(report: DqReport, shown: number): string[] {
  const lines: string[] = ['bars the DQ rules touched (time UTC, kind, reason):'];
  for (const s of report.symbols) {
    const byKind = new Map<string, DqReport['symbols'][number]['events']>();
    for (const e of s.events) byKind.set(e.kind, [...(byKind.get(e.kind) ?? []), e]);
    if (byKind.size === 0) lines.push(`  ${s.symbol}: none`);
    for (const [kind, list] of byKind) {
      const limit = kind === 'outlier' || kind === 'dropped' ? list.length : shown;
      lines.push(`  ${s.symbol} ${kind}: ${list.length}`);
      for (const e of list.slice(0, limit)) lines.push(`    ${e.ts}  ${kind.padEnd(10)}  ${e.reason}`);
      if (list.length > limit) lines.push(`    … ${list.length - limit} more in the events file`);
    }
  }
  return lines;
}

/** All events of a report as CSV rows (symbol, ts_utc, kind, reason). */
export function dqEventsCsv(report: DqReport): string {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const rows = ['symbol,ts_utc,kind,reason'];
  for (const s of report.symbols)
    for (const e of s.events) rows.push([s.symbol, e.ts, e.kind, quote(e.reason)].join(','));
  return `${rows.join('\n')}\n`;
}
