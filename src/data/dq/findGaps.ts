// Missing-bar runs between consecutive bar times on a market calendar (runs longer than the fill limit are gaps).
import { isTradingTime, type MarketCalendar } from '../calendar/marketCalendar.js';

export interface GapCount {
  /** Expected bars absent. */
  missing: number;
  /** Runs longer than `maxFillRun`. */
  gaps: number;
  gapBars: number;
}

/** Counts absent expected bars between consecutive times of `ts` (ascending), starting after `previousTs` when given. */
export function countMissing(
  ts: ArrayLike<number>,
  calendar: MarketCalendar,
  stepMs: number,
  maxFillRun: number,
  previousTs?: number,
): GapCount {
  const out: GapCount = { missing: 0, gaps: 0, gapBars: 0 };
  let last = previousTs ?? (ts.length > 0 ? ts[0]! : 0);
  for (let i = previousTs === undefined ? 1 : 0; i < ts.length; i++) {
    let run = 0;
    for (let t = last + stepMs; t < ts[i]!; t += stepMs) if (isTradingTime(calendar, t)) run++;
    out.missing += run;
    if (run > maxFillRun) {
      out.gaps++;
      out.gapBars += run;
    }
    last = ts[i]!;
  }
  return out;
}
