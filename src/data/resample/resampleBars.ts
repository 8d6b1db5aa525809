// The seed's リサンプリング: bars of a longer timeframe built from stored bars of a shorter one, on
// the UTC grid (a 4h bucket opens at 00/04/08/12/16/20 UTC), whatever clock the source file had.
import { timeframeMs, type Timeframe } from '../../core/time.js';
import { QUALITY_FLAGS, type BarColumns } from '../../model/bar.js';
import { barClosure } from '../calendar/closedMarketBars.js';
import type { MarketCalendar } from '../calendar/marketCalendar.js';

/** Aggregated buckets as columns; a null volume is NaN. */
export interface ResampledColumns {
  length: number;
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** Source bars that went into each bucket. */
  parts: Uint16Array;
}

export interface ResampleStats {
  /** Source bars read whose bucket opens inside the asked range. */
  sourceBars: number;
  /**
   * Of those, kept but counted: wholly inside the weekly close or on a closed holiday. Real broker
   * files hold such bars (FX on 25 Dec and 1 Jan), so they are aggregated like any other; DQ lists them.
   */
  closedMarket: number;
  /** Skipped: flagged `missing` (a forward fill, not a trade). */
  filled: number;
  /** Skipped: the open time is not on the source timeframe's UTC grid (e.g. an MT4 hh:05 bar). */
  offGrid: number;
  /** Buckets written from fewer source bars than they hold (a daily break, a gap). */
  partialBuckets: number;
  /**
   * Buckets not written because the newest source bar closes before they do and the market still
   * trades in between (still forming).
   */
  forming: number;
}

/** Source → target pairs pt builds: the source timeframe must be shorter and divide the target. */
export function canResample(source: Timeframe, target: Timeframe): boolean {
  const s = timeframeMs(source);
  const t = timeframeMs(target);
  return s < t && t % s === 0;
}

const MISSING = QUALITY_FLAGS.indexOf('missing');

/**
 * Aggregates `src` (ascending, unique ts) into `target` buckets opening in [fromMs, toMs): open = the
 * first source bar's open, high = max, low = min, close = the last source bar's close, volume = the
 * sum of the known volumes (null when none is known). Every stored bar counts except those flagged
 * `missing` (a forward fill, not a trade) and those off the source grid (they would straddle two
 * buckets); bars inside the market's weekly close or on a closed holiday are counted, not skipped:
 * the store keeps what the source delivered, and DQ lists them. A bucket is built from the bars present (a partial bucket is still a true bucket: the
 * market traded only then), and written only once complete in time: its close at or before the close
 * of the newest source bar, `newestSourceTs`, or everything between that close and the bucket's close
 * lying wholly inside the weekly close or a closed holiday of `calendar` (the Friday 20:00 UTC 4h
 * bucket is complete once Friday's last hour is stored: the market closed at 21:00/22:00 UTC). Any
 * other still-forming tail bucket waits for the next run.
 */
export function resampleBars(
  src: BarColumns,
  target: Timeframe,
  calendar: MarketCalendar,
  range: { fromMs: number; toMs: number },
  newestSourceTs: number,
): { bars: ResampledColumns; stats: ResampleStats } {
  const s = timeframeMs(src.timeframe);
  const t = timeframeMs(target);
  const perBucket = t / s;
  const stats: ResampleStats = { sourceBars: 0, closedMarket: 0, filled: 0, offGrid: 0, partialBuckets: 0, forming: 0 };
  const n = src.length;
  const out: ResampledColumns = {
    length: 0,
    ts: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    parts: new Uint16Array(n),
  };
  const completeUntil = newestSourceTs + s;
  // A bucket closing after the newest source bar is complete only when the market is closed for
  // the whole rest of it; asked once per bucket.
  let askedBucket = Number.NaN;
  let askedComplete = false;
  const complete = (b: number): boolean => {
    if (b + t <= completeUntil) return true;
    if (b !== askedBucket) {
      askedBucket = b;
      askedComplete = barClosure(calendar, completeUntil, b + t - completeUntil) !== null;
    }
    return askedComplete;
  };
  let m = -1;
  let bucket = Number.NaN;
  let formingBucket = Number.NaN;
  for (let i = 0; i < n; i++) {
    const ts = src.ts[i]!;
    const b = Math.floor(ts / t) * t;
    if (b < range.fromMs || b >= range.toMs) continue;
    stats.sourceBars++;
    if (ts % s !== 0) {
      stats.offGrid++;
      continue;
    }
    if (src.quality[i] === MISSING) {
      stats.filled++;
      continue;
    }
    if (barClosure(calendar, ts, s) !== null) stats.closedMarket++;
    if (!complete(b)) {
      if (b !== formingBucket) stats.forming++;
      formingBucket = b;
      continue;
    }
    const v = src.volume[i]!;
    if (b !== bucket) {
      bucket = b;
      m++;
      out.ts[m] = b;
      out.open[m] = src.open[i]!;
      out.high[m] = src.high[i]!;
      out.low[m] = src.low[i]!;
      out.volume[m] = v;
      out.parts[m] = 0;
    } else {
      if (src.high[i]! > out.high[m]!) out.high[m] = src.high[i]!;
      if (src.low[i]! < out.low[m]!) out.low[m] = src.low[i]!;
      if (!Number.isNaN(v)) out.volume[m] = Number.isNaN(out.volume[m]!) ? v : out.volume[m]! + v;
    }
    out.close[m] = src.close[i]!;
    out.parts[m]!++;
  }
  out.length = m + 1;
  for (let k = 0; k < out.length; k++) if (out.parts[k]! < perBucket) stats.partialBuckets++;
  return { bars: out, stats };
}
