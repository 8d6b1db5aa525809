// SPEC §1.4 data-quality rules for one symbol: outliers dropped, short missing runs filled, gaps and spikes counted.
import { emptyColumns, QUALITY_FLAGS, type BarColumns } from '../../model/bar.js';
import { RollingMedian } from '../../features/rollingMedian.js';
import { RollingMoments } from '../../features/rollingMoments.js';
import { isTradingTime, type MarketCalendar } from '../calendar/marketCalendar.js';
import { timeframeMs } from '../../core/time.js';

export interface DqParams {
  missingFillMaxRun: number;
  outlierSigma: number;
  outlierWindowBars: number;
  spikeK: number;
  spikeWindowBars: number;
}

export interface MonthDq {
  /** `YYYY-MM` (UTC). */
  month: string;
  fromMs: number;
  toMs: number;
  expected: number;
  present: number;
  missing: number;
  filled: number;
  outliers: number;
  spikes: number;
  gaps: number;
  missingRate: number;
  outlierRate: number;
}

export interface Gap {
  /** Open time of the first absent bar. */
  fromMs: number;
  /** Open time of the bar that ends the gap. */
  toMs: number;
  bars: number;
}

export interface SymbolDq {
  symbol: string;
  /** Bars after the rules: outliers removed, runs <= missingFillMaxRun filled (quality `missing`). */
  cleaned: BarColumns;
  months: MonthDq[];
  gaps: Gap[];
  totals: { expected: number; present: number; missing: number; filled: number; outliers: number; spikes: number; gaps: number; gapBars: number };
}

const MISSING = QUALITY_FLAGS.indexOf('missing');

function monthKey(ts: number): string {
  return new Date(ts).toISOString().slice(0, 7);
}

class MonthTally {
  readonly byMonth = new Map<string, MonthDq>();
  get(ts: number): MonthDq {
    const key = monthKey(ts);
    let m = this.byMonth.get(key);
    if (!m) {
      const d = new Date(ts);
      const fromMs = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      const toMs = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      m = { month: key, fromMs, toMs, expected: 0, present: 0, missing: 0, filled: 0, outliers: 0, spikes: 0, gaps: 0, missingRate: 0, outlierRate: 0 };
      this.byMonth.set(key, m);
    }
    return m;
  }
}

/**
 * Applies the DQ rules to one symbol's bars (sorted, unique ts). Returns, per month, expected bars
 * (trading time between the first and last bar), present, missing, filled, outliers, spikes and gaps.
 * Choices where SPEC is silent (docs/data.md): the outlier std and the spike median use the trailing
 * window of accepted bars *before* t, and start once full; returns after a dropped outlier are taken
 * from the last accepted close, unless the bar stays within the limit of the rejected bar (a level
 * shift: accepted, so one bar is lost, not the rest of the series); fills are linear in time.
 */
export function runSymbolDq(bars: BarColumns, calendar: MarketCalendar, params: DqParams): SymbolDq {
  const stepMs = timeframeMs(bars.timeframe);
  const tally = new MonthTally();
  const gaps: Gap[] = [];
  const returns = new RollingMoments(params.outlierWindowBars);
  const absDelta = new RollingMedian(params.spikeWindowBars);
  const n = bars.length;
  // Upper bound on the output size: every bar plus at most missingFillMaxRun fills before each.
  const out = emptyColumns(bars.symbol, bars.timeframe, n * (1 + params.missingFillMaxRun) + 1);
  let m = 0;
  let lastTs = Number.NaN;
  let lastClose = Number.NaN;
  // Close of the bar just rejected as an outlier (NaN when the previous bar was kept).
  let rejectedClose = Number.NaN;

  const emit = (i: number) => {
    out.ts[m] = bars.ts[i]!; out.open[m] = bars.open[i]!; out.high[m] = bars.high[i]!; out.low[m] = bars.low[i]!;
    out.close[m] = bars.close[i]!; out.volume[m] = bars.volume[i]!; out.quality[m] = bars.quality[i]!;
    m++;
  };
  const emitFill = (ts: number, close: number) => {
    out.ts[m] = ts; out.open[m] = close; out.high[m] = close; out.low[m] = close; out.close[m] = close;
    out.volume[m] = Number.NaN; out.quality[m] = MISSING;
    m++;
  };

  for (let i = 0; i < n; i++) {
    const ts = bars.ts[i]!;
    const close = bars.close[i]!;
    const month = tally.get(ts);
    month.present++;
    if (!Number.isNaN(lastClose)) {
      const r = Math.log(close / lastClose);
      const limit = params.outlierSigma * returns.std();
      // A bar that stays at the level of the bar just rejected confirms a real level shift: accept it,
      // or every later bar would be measured against a stale close and rejected in turn.
      const confirmsShift = !Number.isNaN(rejectedClose) && Math.abs(Math.log(close / rejectedClose)) <= limit;
      if (returns.full && Math.abs(r) > limit && !confirmsShift) {
        month.outliers++;
        rejectedClose = close;
        continue;
      }
      rejectedClose = Number.NaN;
      returns.push(r);
      const d = Math.abs(close - lastClose);
      const med = absDelta.median();
      if (absDelta.full && med > 0 && d > params.spikeK * med) month.spikes++;
      absDelta.push(d);
      // Expected bars strictly between the last accepted bar and this one.
      let run = 0;
      for (let t = lastTs + stepMs; t < ts; t += stepMs) if (isTradingTime(calendar, t)) run++;
      if (run > 0) {
        const fill = run <= params.missingFillMaxRun;
        let firstAbsent = Number.NaN;
        for (let t = lastTs + stepMs; t < ts; t += stepMs) {
          if (!isTradingTime(calendar, t)) continue;
          if (Number.isNaN(firstAbsent)) firstAbsent = t;
          const mt = tally.get(t);
          mt.expected++;
          mt.missing++;
          if (fill) {
            mt.filled++;
            emitFill(t, lastClose + ((close - lastClose) * (t - lastTs)) / (ts - lastTs));
          }
        }
        if (!fill) {
          gaps.push({ fromMs: firstAbsent, toMs: ts, bars: run });
          tally.get(firstAbsent).gaps++;
        }
      }
    }
    if (isTradingTime(calendar, ts)) month.expected++;
    emit(i);
    lastTs = ts;
    lastClose = close;
  }

  const months = [...tally.byMonth.values()].sort((a, b) => a.fromMs - b.fromMs);
  const totals = { expected: 0, present: 0, missing: 0, filled: 0, outliers: 0, spikes: 0, gaps: gaps.length, gapBars: 0 };
  for (const mo of months) {
    mo.missingRate = mo.expected > 0 ? mo.missing / mo.expected : 0;
    mo.outlierRate = mo.present > 0 ? mo.outliers / mo.present : 0;
    totals.expected += mo.expected; totals.present += mo.present; totals.missing += mo.missing;
    totals.filled += mo.filled; totals.outliers += mo.outliers; totals.spikes += mo.spikes;
  }
  for (const g of gaps) totals.gapBars += g.bars;
  return { symbol: bars.symbol, cleaned: sliceColumns(out, m), months, gaps, totals };
}

function sliceColumns(c: BarColumns, n: number): BarColumns {
  return {
    symbol: c.symbol, timeframe: c.timeframe, length: n,
    ts: c.ts.slice(0, n), open: c.open.slice(0, n), high: c.high.slice(0, n), low: c.low.slice(0, n),
    close: c.close.slice(0, n), volume: c.volume.slice(0, n), quality: c.quality.slice(0, n),
  };
}
