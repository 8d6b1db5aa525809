// The ingest-time guard against a wrong --tz: weeks whose first bar sits an hour before or after the
// market's weekly open once converted (an EET reading of a "New York + 7" file in the US-only DST weeks).
import { holdsWeeklyOpen, weekOpenRows, type ClockMarket } from './marketClockEvents.js';

const HOUR_MS = 3_600_000;

export interface WeeklyOpenShift {
  /** Weeks whose open was checked. */
  weeks: number;
  /** Of those, weeks whose first bar is exactly one hour off the market's weekly open. */
  offByHour: number;
  /** UTC open of the first such bar, and by how much it is late (+1 h) or early (−1 h). */
  firstTs?: number;
  firstShiftMs?: number;
}

/** `ts` ascending UTC bar opens. */
export function weeklyOpenShift(
  ts: ArrayLike<number>,
  count: number,
  tfMs: number,
  market: ClockMarket,
): WeeklyOpenShift {
  const out: WeeklyOpenShift = { weeks: 0, offByHour: 0 };
  for (const i of weekOpenRows(ts, count, tfMs)) {
    const open = ts[i]!;
    out.weeks++;
    if (holdsWeeklyOpen(open, tfMs, market)) continue;
    const shift = holdsWeeklyOpen(open - HOUR_MS, tfMs, market)
      ? HOUR_MS
      : holdsWeeklyOpen(open + HOUR_MS, tfMs, market)
        ? -HOUR_MS
        : 0;
    if (shift === 0) continue;
    out.offByHour++;
    if (out.firstTs === undefined) {
      out.firstTs = open;
      out.firstShiftMs = shift;
    }
  }
  return out;
}
