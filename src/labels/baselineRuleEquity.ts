// Equity and trailing drawdown of the baseline rule that feeds dd_recent (SPEC §3.2).
import { checkLabelInputs, type LabelInputs } from './labelInputs.js';
import { checkLabelParams, type LabelParams } from './labelParams.js';
import { RollingMaxDeque } from '../features/rollingMaxDeque.js';
import { FLAT, spreadSideForZ, type SpreadSide } from '../model/spreadSide.js';

/** Per-row columns; NaN (equity, ddRecent) and 0 (position) on invalid rows. */
export interface BaselineRuleEquity {
  /** Cumulative P&L per unit notional of leg A, 0 at the first valid row. */
  equity: Float64Array;
  /** max(equity over rows t-L+1..t) - equity_t, over the valid rows of that window. */
  ddRecent: Float64Array;
  /** SpreadSide after the decision at t (held over t+1): −1, 0 or +1. */
  position: Int8Array;
  /** Positions opened. */
  trades: number;
}

/**
 * SPEC §3.2 pseudo-code: hold `pos = -sign(z)` (the SpreadSide of z) from a bar with |z| >= zEntry until |z| <= zExit or
 * M bars, earning `r_A - beta_entry·r_B`; no re-entry on the exit bar. Invalid rows are skipped:
 * no P&L, no decision, no drawdown value; bar counts (M, L) are row offsets.
 */
export function baselineRuleEquity(inputs: LabelInputs, params: LabelParams): BaselineRuleEquity {
  const n = checkLabelInputs(inputs);
  checkLabelParams(params);
  const { valid, z, rA, rB, beta } = inputs;
  const { zEntry, zExit, maxHoldingBars: M, ddWindowBars: L } = params;
  const equityColumn = new Float64Array(n).fill(Number.NaN);
  const ddRecent = new Float64Array(n).fill(Number.NaN);
  const position = new Int8Array(n);
  const peak = new RollingMaxDeque(L);
  let equity = 0;
  let pos: SpreadSide = FLAT;
  let entry = -1;
  let betaEntry = 0;
  let trades = 0;

  for (let t = 0; t < n; t++) {
    if (valid[t] === 0) continue;
    // SPEC §3.2: pos was decided at t-1 and earns the tradable return, not ΔS.
    if (pos !== 0) equity += pos * (rA[t]! - betaEntry * rB[t]!);
    if (Number.isNaN(equity)) throw new RangeError(`baseline rule: undefined leg return on valid row ${t}`);
    const absZ = Math.abs(z[t]!);
    if (pos !== 0) {
      if (absZ <= zExit || t - entry >= M) pos = FLAT;
    } else if (absZ >= zEntry) {
      pos = spreadSideForZ(z[t]!);
      entry = t;
      betaEntry = beta[t]!;
      trades++;
    }
    position[t] = pos;
    equityColumn[t] = equity;
    peak.push(t, equity);
    ddRecent[t] = peak.max() - equity;
  }
  return { equity: equityColumn, ddRecent, position, trades };
}
