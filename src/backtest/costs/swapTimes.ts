// The swap instants a position crosses while open, each with its multiplier (3 on the rollover day).
import type { SwapCosts } from './symbolCosts.js';

import { DAY_MS } from '../../core/time.js';
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

export interface SwapTime {
  tsMs: number;
  multiplier: number;
}

/**
 * Every `time_utc` instant t with entryMs ≤ t < exitMs (half-open: a position opened exactly at
 * 21:00 is charged that night, one closed exactly at 21:00 is not), on Monday to Friday (UTC) only.
 * Saturday and Sunday instants are skipped on purpose: the market is shut (weekly close Fri 22:00 →
 * Sun 22:00 UTC) and the weekend is what the triple charge on `rollover_day` pays for; charging
 * them too would bill the weekend twice. The instant whose UTC weekday is `rollover_day` gets 3,
 * every other one 1. Holidays are not skipped (brokers still roll positions over them).
 */
export function swapTimes(
  swap: Pick<SwapCosts, 'rollover_day' | 'time_utc'>,
  entryMs: number,
  exitMs: number,
): SwapTime[] {
  const out: SwapTime[] = [];
  if (!(exitMs > entryMs)) return out;
  const [h, m] = swap.time_utc.split(':').map(Number);
  const offsetMs = (h! * 60 + m!) * 60_000;
  // First instant at or after entry: that day's time_utc, or the next day's.
  let t = Math.floor(entryMs / DAY_MS) * DAY_MS + offsetMs;
  if (t < entryMs) t += DAY_MS;
  for (; t < exitMs; t += DAY_MS) {
    const day = WEEKDAYS[new Date(t).getUTCDay()]!;
    if (day === 'SAT' || day === 'SUN') continue;
    out.push({ tsMs: t, multiplier: day === swap.rollover_day.toUpperCase() ? 3 : 1 });
  }
  return out;
}
