// The bar times a shard owes a signal for: every bar of the grid whose close lies in the window and
// whose open instant is trading time for both legs (the market calendar of SPEC §1.4, as the session
// gate asks it). Weekend and closed-holiday bars are owed nothing.
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
