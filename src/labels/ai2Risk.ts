// AI2 risk labels: risk components, risk_now and the H-bar look-ahead y2 (SPEC §3.2).
import { baselineRuleEquity } from './baselineRuleEquity.js';
import { checkLabelInputs, type LabelInputs } from './labelInputs.js';
import { checkLabelParams, type LabelParams } from './labelParams.js';

/** Rates are fractions of `rows` (valid rows), except `y2Rate`, a fraction of `y2Rows`. */
export interface Ai2Counts {
  /** Valid rows. */
  rows: number;
  riskNowRate: number;
  corrRate: number;
  volRate: number;
  speedRate: number;
  ddRate: number;
  /** Valid rows with a defined y2. */
  y2Rows: number;
  y2Rate: number;
}

/** Per-row columns. The 0/1 columns are 0 on invalid rows; mask them with `valid`. */
export interface Ai2Result {
  /** Baseline-rule drawdown over the trailing L bars; NaN on invalid rows. */
  ddRecent: Float64Array;
  cCorr: Uint8Array;
  cVol: Uint8Array;
  cSpeed: Uint8Array;
  cDd: Uint8Array;
  riskNow: Uint8Array;
  /** max(risk_now over rows t+1..t+H) (risk_now_t when H = 0); NaN when undefined. */
  y2: Float64Array;
  counts: Ai2Counts;
}

/**
 * SPEC §3.2. `y2_t` is defined when row t is valid and rows t+1..t+H all exist and are valid
 * (a risk_now that is unknown leaves the maximum unknown); otherwise NaN.
 */
export function buildAi2Risk(inputs: LabelInputs, params: LabelParams): Ai2Result {
  const n = checkLabelInputs(inputs);
  checkLabelParams(params);
  const { valid, corrStability, volRatioSpread, dzSpeed } = inputs;
  const { thresholds, riskHorizonBars: H } = params;
  const { ddRecent } = baselineRuleEquity(inputs, params);
  const cCorr = new Uint8Array(n);
  const cVol = new Uint8Array(n);
  const cSpeed = new Uint8Array(n);
  const cDd = new Uint8Array(n);
  const riskNow = new Uint8Array(n);
  // Prefix counts of valid rows and risk_now = 1 rows: the H-bar look-ahead in O(1) per row.
  const validBefore = new Int32Array(n + 1);
  const riskBefore = new Int32Array(n + 1);
  let rows = 0;
  let nCorr = 0;
  let nVol = 0;
  let nSpeed = 0;
  let nDd = 0;
  let nRisk = 0;

  for (let t = 0; t < n; t++) {
    const isValid = valid[t] !== 0;
    if (isValid) {
      // SPEC §3.2: strictly above the threshold; an undefined value compares false.
      const corr = corrStability[t]! > thresholds.corrVar ? 1 : 0;
      const vol = volRatioSpread[t]! > thresholds.volRatio ? 1 : 0;
      const speed = dzSpeed[t]! > thresholds.dzSpeed ? 1 : 0;
      const dd = ddRecent[t]! > thresholds.ddRecent ? 1 : 0;
      const any = corr | vol | speed | dd;
      cCorr[t] = corr;
      cVol[t] = vol;
      cSpeed[t] = speed;
      cDd[t] = dd;
      riskNow[t] = any;
      rows++;
      nCorr += corr;
      nVol += vol;
      nSpeed += speed;
      nDd += dd;
      nRisk += any;
    }
    validBefore[t + 1] = validBefore[t]! + (isValid ? 1 : 0);
    riskBefore[t + 1] = riskBefore[t]! + riskNow[t]!;
  }

  const y2 = new Float64Array(n).fill(Number.NaN);
  let y2Rows = 0;
  let y2Ones = 0;
  for (let t = 0; t < n; t++) {
    if (valid[t] === 0) continue;
    if (H === 0) {
      y2[t] = riskNow[t]!;
    } else {
      const end = t + H;
      if (end >= n || validBefore[end + 1]! - validBefore[t + 1]! !== H) continue;
      y2[t] = riskBefore[end + 1]! - riskBefore[t + 1]! > 0 ? 1 : 0;
    }
    y2Rows++;
    y2Ones += y2[t]!;
  }

  const rate = (count: number, of: number): number => (of === 0 ? 0 : count / of);
  return {
    ddRecent,
    cCorr,
    cVol,
    cSpeed,
    cDd,
    riskNow,
    y2,
    counts: {
      rows,
      riskNowRate: rate(nRisk, rows),
      corrRate: rate(nCorr, rows),
      volRate: rate(nVol, rows),
      speedRate: rate(nSpeed, rows),
      ddRate: rate(nDd, rows),
      y2Rows,
      y2Rate: rate(y2Ones, y2Rows),
    },
  };
}
