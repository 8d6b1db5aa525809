// The bar times a shard owes a signal for: every bar of the grid whose close lies in the window and
// whose open instant is trading time for both legs (the market calendar of SPEC §1.4, as the session
// gate asks it). Weekend and closed-holiday bars are owed nothing.
import { DAY_MS } from '../core/time.js';
import type { SessionGate } from '../decision/sessionGate.js';

/**
 * Open times (UTC ms, ascending) of the bars `barMs` long on the UTC grid whose close is in
 * [fromMs, toMs) and whose open the gate calls tradable. `marketCalendar.ts`: a bar is expected when
 * its open time falls inside trading time, so the last bar before the weekly close counts and the
 * first after it (Sunday 17:00 New York) does too.
 */
export function expectedBarOpens(gate: SessionGate, fromMs: number, toMs: number, barMs: number): number[] {
  const out: number[] = [];
  // First close on the grid at or after fromMs.
  let close = Math.ceil(fromMs / barMs) * barMs;
  for (; close < toMs; close += barMs) if (gate.isTradable(close - barMs)) out.push(close - barMs);
  return out;
}

/**
 * The close (UTC ms) of the newest bar a shard owes a signal for at `nowMs`: on the grid, its close +
 * `budgetMs` at or before now, and some pair's gate tradable at its open. NaN when no bar of the last
 * `lookbackMs` is owed. pt live's `core_signal_due_bar_close_timestamp_seconds`.
 */
export function latestDueBarClose(
  gates: readonly SessionGate[],
  nowMs: number,
  barMs: number,
  budgetMs: number,
  lookbackMs = 8 * DAY_MS,
): number {
  for (let close = Math.floor((nowMs - budgetMs) / barMs) * barMs; close > nowMs - lookbackMs; close -= barMs)
    if (gates.some((g) => g.isTradable(close - barMs))) return close;
  return Number.NaN;
}
