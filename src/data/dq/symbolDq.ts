// SPEC §1.4 data-quality rules for one symbol, causal bar by bar: short missing runs filled forward,
// outliers flagged (or dropped), gaps, spikes and bars inside a closure counted and listed.
import { emptyColumns, QUALITY_FLAGS, type BarColumns } from '../../model/bar.js';
import { RollingMedian } from '../../features/rollingMedian.js';
import { RollingMoments } from '../../features/rollingMoments.js';
import { isBarInTradingTime, isTradingTime, type MarketCalendar } from '../calendar/marketCalendar.js';
import { timeframeMs, utcMonthKey } from '../../core/time.js';
import { isImplausibleJump } from '../plausibleMove.js';

export interface DqParams {
  missingFillMaxRun: number;
  /** `flag` (default): an outlier is kept with quality `outlier`; `drop`: removed, then filled forward like a missing bar. */
  outlierAction: 'flag' | 'drop';
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
  /** Outliers removed (`outlier_action: drop`). */
  dropped: number;
  spikes: number;
  gaps: number;
  /** Bars present while the market is closed (weekly close, session break, holiday). */
  inClosure: number;
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

/** One bar the rules touched, with its time and why (the DQ report lists them all). */
export interface DqEvent {
  /** Bar open time, UTC ms. */
  tsMs: number;
  kind: 'filled' | 'gap' | 'outlier' | 'dropped' | 'in_closure';
  reason: string;
}

export interface SymbolDq {
  symbol: string;
  /** Bars after the rules: the first missingFillMaxRun bars of each missing run filled forward (quality `missing`), outliers flagged or dropped. */
  cleaned: BarColumns;
  months: MonthDq[];
  gaps: Gap[];
  events: DqEvent[];
  totals: {
    expected: number;
    present: number;
    missing: number;
    filled: number;
    outliers: number;
    dropped: number;
    spikes: number;
    gaps: number;
    gapBars: number;
    inClosure: number;
  };
}

const MISSING = QUALITY_FLAGS.indexOf('missing');
const OUTLIER = QUALITY_FLAGS.indexOf('outlier');

class MonthTally {
  readonly byMonth = new Map<string, MonthDq>();
  get(ts: number): MonthDq {
    const key = utcMonthKey(ts);
    let m = this.byMonth.get(key);
    if (!m) {
      const d = new Date(ts);
      const fromMs = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      const toMs = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      m = {
        month: key,
        fromMs,
        toMs,
        expected: 0,
        present: 0,
        missing: 0,
        filled: 0,
        outliers: 0,
        dropped: 0,
        spikes: 0,
        gaps: 0,
        inClosure: 0,
        missingRate: 0,
        outlierRate: 0,
      };
      this.byMonth.set(key, m);
    }
    return m;
  }
}

/**
 * Applies the DQ rules to one symbol's bars (sorted, unique ts), one bar at a time, reading nothing
 * after the bar being decided — so `pt live` can apply them exactly as the batch does (SPEC §1.4):
 * - Missing: the expected bars (the calendar's trading time) absent between two bars form a run; its
 *   first `missingFillMaxRun` bars are filled forward (OHLC = the previous close, volume null, quality
 *   `missing`) and the rest stay absent: the run is then a gap. Whether a bar is filled depends only
 *   on its place in the run, never on how long the run turns out to be.
 * - Outlier: `|r_t| > outlierSigma × std(r)` over the `outlierWindowBars` returns before t (ddof 1;
 *   the test starts once the window is full), r the log return from the previous accepted close.
 *   `flag` keeps the bar (quality `outlier`, its return enters the window: it was a real move);
 *   `drop` removes it and its slot is filled forward like a missing bar. In `drop` mode a bar that
 *   stays at the level of the bar just dropped confirms a level shift and is accepted, or every later
 *   bar would be measured against a stale close and dropped in turn.
 * - Implausible (pt's addition, SPEC is silent): a bar whose close, high or low is 5x or 1/5 of the
 *   last accepted close is dropped in either mode and its slot filled like a dropped outlier.
 * - Spike: `|Δclose| > spikeK × median(|Δclose|)` over the window before t: counted only.
 * - A bar present while the calendar says the market is closed for all of it (no instant of the bar
 *   trades) is kept and reported `in_closure`.
 * Month rates count each bar in its own month, so a month's verdict needs no later data.
 */
export function runSymbolDq(bars: BarColumns, calendar: MarketCalendar, params: DqParams): SymbolDq {
  const stepMs = timeframeMs(bars.timeframe);
  const tally = new MonthTally();
  const gaps: Gap[] = [];
  const events: DqEvent[] = [];
  const returns = new RollingMoments(params.outlierWindowBars);
  const absDelta = new RollingMedian(params.spikeWindowBars);
  const drop = params.outlierAction === 'drop';
  const n = bars.length;
  // Upper bound on the output size: every bar plus at most missingFillMaxRun fills before each.
  const out = emptyColumns(bars.symbol, bars.timeframe, n * (1 + params.missingFillMaxRun) + 1);
  let m = 0;
  let lastTs = Number.NaN;
  let lastClose = Number.NaN;
  // Close of the bar just dropped as an outlier (NaN when the previous bar was kept).
  let rejectedClose = Number.NaN;
  // Open times of dropped bars not yet passed by an accepted bar: their slots are filled like missing ones.
  const droppedTs: number[] = [];

  const emit = (i: number, quality: number) => {
    out.ts[m] = bars.ts[i]!;
    out.open[m] = bars.open[i]!;
    out.high[m] = bars.high[i]!;
    out.low[m] = bars.low[i]!;
    out.close[m] = bars.close[i]!;
    out.volume[m] = bars.volume[i]!;
    out.quality[m] = quality;
    m++;
  };
  const emitFill = (ts: number, close: number) => {
    out.ts[m] = ts;
    out.open[m] = close;
    out.high[m] = close;
    out.low[m] = close;
    out.close[m] = close;
    out.volume[m] = Number.NaN;
    out.quality[m] = MISSING;
    m++;
  };
  const iso = (t: number) => new Date(t).toISOString();

  for (let i = 0; i < n; i++) {
    const ts = bars.ts[i]!;
    const close = bars.close[i]!;
    const month = tally.get(ts);
    month.present++;
    // Expected bars are those whose open instant trades (unchanged, so fills and quarantine stay as
    // they were); a bar that trades only later in its span (the 4h bar holding the Sunday open) is
    // neither expected nor listed in the closure.
    const open = isTradingTime(calendar, ts);
    if (open) month.expected++;
    else if (!isBarInTradingTime(calendar, ts, stepMs)) {
      month.inClosure++;
      events.push({ tsMs: ts, kind: 'in_closure', reason: 'bar present while the market is closed' });
    }
    let quality = bars.quality[i]!;
    if (!Number.isNaN(lastClose)) {
      const r = Math.log(close / lastClose);
      // A bar 5x away from the last accepted close is a broken print, never a market move: dropped
      // whatever outlier_action says (flag keeps real news moves, not 1e308).
      if (
        isImplausibleJump(close, lastClose) ||
        isImplausibleJump(bars.high[i]!, lastClose) ||
        isImplausibleJump(bars.low[i]!, lastClose)
      ) {
        month.outliers++;
        month.dropped++;
        events.push({
          tsMs: ts,
          kind: 'dropped',
          reason: `implausible bar dropped: high/low/close ${bars.high[i]}/${bars.low[i]}/${close} against the previous close ${lastClose} (a 5x move or more is never a market move)`,
        });
        if (open) droppedTs.push(ts);
        continue;
      }
      const limit = params.outlierSigma * returns.std();
      if (returns.full && Math.abs(r) > limit) {
        // Drop mode: a bar at the level of the one just dropped confirms a level shift.
        const confirmsShift =
          drop && !Number.isNaN(rejectedClose) && Math.abs(Math.log(close / rejectedClose)) <= limit;
        const why = `|r| ${Math.abs(r).toExponential(3)} > ${params.outlierSigma}σ = ${limit.toExponential(3)}`;
        if (drop && !confirmsShift) {
          month.outliers++;
          month.dropped++;
          events.push({ tsMs: ts, kind: 'dropped', reason: `outlier dropped: ${why}` });
          rejectedClose = close;
          if (open) droppedTs.push(ts);
          continue;
        }
        if (!drop) {
          month.outliers++;
          quality = OUTLIER;
          events.push({ tsMs: ts, kind: 'outlier', reason: `outlier kept: ${why}` });
        }
      }
      rejectedClose = Number.NaN;
      returns.push(r);
      const d = Math.abs(close - lastClose);
      const med = absDelta.median();
      if (absDelta.full && med > 0 && d > params.spikeK * med) month.spikes++;
      absDelta.push(d);
      // The expected bars strictly between the last accepted bar and this one, in order: a missing run.
      let run = 0;
      let firstAbsent = Number.NaN;
      let d0 = 0;
      for (let t = lastTs + stepMs; t < ts; t += stepMs) {
        if (!isTradingTime(calendar, t)) continue;
        const wasDropped = d0 < droppedTs.length && droppedTs[d0] === t;
        if (wasDropped) d0++;
        run++;
        const mt = tally.get(t);
        if (!wasDropped) {
          // A dropped bar's slot is counted once, as dropped; mt.expected already counts it.
          mt.expected++;
          mt.missing++;
        }
        if (run <= params.missingFillMaxRun) {
          mt.filled++;
          emitFill(t, lastClose);
          events.push({
            tsMs: t,
            kind: 'filled',
            reason: `${wasDropped ? 'dropped outlier' : 'missing bar'} ${run} of its run: filled forward at ${lastClose}`,
          });
        } else if (Number.isNaN(firstAbsent)) {
          firstAbsent = t;
        }
      }
      droppedTs.length = 0;
      if (run > params.missingFillMaxRun) {
        gaps.push({ fromMs: firstAbsent, toMs: ts, bars: run - params.missingFillMaxRun });
        tally.get(firstAbsent).gaps++;
        events.push({
          tsMs: firstAbsent,
          kind: 'gap',
          reason: `${run - params.missingFillMaxRun} expected bars absent until ${iso(ts)} (the first ${params.missingFillMaxRun} of the run of ${run} filled)`,
        });
      }
    }
    emit(i, quality);
    lastTs = ts;
    lastClose = close;
  }

  const months = [...tally.byMonth.values()].sort((a, b) => a.fromMs - b.fromMs);
  const totals = {
    expected: 0,
    present: 0,
    missing: 0,
    filled: 0,
    outliers: 0,
    dropped: 0,
    spikes: 0,
    gaps: gaps.length,
    gapBars: 0,
    inClosure: 0,
  };
  for (const mo of months) {
    mo.missingRate = mo.expected > 0 ? mo.missing / mo.expected : 0;
    mo.outlierRate = mo.present > 0 ? mo.outliers / mo.present : 0;
    totals.expected += mo.expected;
    totals.present += mo.present;
    totals.missing += mo.missing;
    totals.filled += mo.filled;
    totals.outliers += mo.outliers;
    totals.dropped += mo.dropped;
    totals.spikes += mo.spikes;
    totals.inClosure += mo.inClosure;
  }
  for (const g of gaps) totals.gapBars += g.bars;
  return { symbol: bars.symbol, cleaned: sliceColumns(out, m), months, gaps, events, totals };
}

function sliceColumns(c: BarColumns, n: number): BarColumns {
  return {
    symbol: c.symbol,
    timeframe: c.timeframe,
    length: n,
    ts: c.ts.slice(0, n),
    open: c.open.slice(0, n),
    high: c.high.slice(0, n),
    low: c.low.slice(0, n),
    close: c.close.slice(0, n),
    volume: c.volume.slice(0, n),
    quality: c.quality.slice(0, n),
  };
}
