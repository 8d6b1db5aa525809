// Property: buildAi2Risk equals a plain re-reading of the SPEC §3.2 pseudo-code on random series.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAi2Risk } from '../../src/labels/ai2Risk.js';
import { makeInputs, makeParams } from './labelFixtures.js';

interface Row {
  valid: boolean;
  z: number;
  rA: number;
  rB: number;
  beta: number;
  corr: number;
  vol: number;
  speed: number;
}
interface NaiveParams {
  zEntry: number;
  zExit: number;
  M: number;
  L: number;
  H: number;
  ddThreshold: number;
}

/** SPEC §3.2 with plain loops: equity over valid rows, an O(L) peak scan, and y2 by direct look-ahead. */
function naiveAi2(rows: Row[], p: NaiveParams) {
  const n = rows.length;
  const equity: number[] = Array<number>(n).fill(Number.NaN);
  const dd: number[] = Array<number>(n).fill(Number.NaN);
  const riskNow: number[] = Array<number>(n).fill(0);
  let eq = 0;
  let pos = 0;
  let entry = 0;
  let betaEntry = 0;
  for (let t = 0; t < n; t++) {
    const r = rows[t]!;
    if (!r.valid) continue;
    if (pos !== 0) eq = eq + pos * (r.rA - betaEntry * r.rB);
    if (pos !== 0 && (Math.abs(r.z) <= p.zExit || t - entry >= p.M)) pos = 0;
    else if (pos === 0 && Math.abs(r.z) >= p.zEntry) {
      pos = -Math.sign(r.z);
      entry = t;
      betaEntry = r.beta;
    }
    equity[t] = eq;
    let peak = -Infinity;
    for (let i = Math.max(0, t - p.L + 1); i <= t; i++) if (rows[i]!.valid && equity[i]! > peak) peak = equity[i]!;
    dd[t] = peak - eq;
    riskNow[t] = r.corr > 0.025 || r.vol > 1.8 || r.speed > 0.12 || dd[t]! > p.ddThreshold ? 1 : 0;
  }
  const y2: number[] = Array<number>(n).fill(Number.NaN);
  for (let t = 0; t < n; t++) {
    if (!rows[t]!.valid) continue;
    if (p.H === 0) {
      y2[t] = riskNow[t]!;
      continue;
    }
    let ok = t + p.H < n;
    let m = 0;
    for (let j = 1; ok && j <= p.H; j++) {
      if (!rows[t + j]!.valid) ok = false;
      else m = Math.max(m, riskNow[t + j]!);
    }
    if (ok) y2[t] = m;
  }
  return { dd, riskNow, y2 };
}

const row: fc.Arbitrary<Row> = fc.record({
  valid: fc.integer({ min: 0, max: 7 }).map((v) => v > 0),
  z: fc.oneof(fc.constantFrom(-3, -2, -1, -0.5, 0, 0.4, 0.5, 1, 2, 2.5), fc.double({ min: -4, max: 4, noNaN: true })),
  rA: fc.double({ min: -0.03, max: 0.03, noNaN: true }),
  rB: fc.double({ min: -0.03, max: 0.03, noNaN: true }),
  beta: fc.double({ min: 0.5, max: 2, noNaN: true }),
  corr: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(0.05) }),
  vol: fc.oneof({ weight: 9, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(2) }),
  speed: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(0.2) }),
});
const naiveParams: fc.Arbitrary<NaiveParams> = fc.record({
  zEntry: fc.constantFrom(1, 2),
  zExit: fc.constantFrom(0, 0.5),
  M: fc.integer({ min: 1, max: 8 }),
  L: fc.integer({ min: 1, max: 15 }),
  H: fc.integer({ min: 0, max: 6 }),
  ddThreshold: fc.constantFrom(0.005, 0.02, 0.07),
});

describe('buildAi2Risk against the naive pseudo-code', () => {
  it('agrees exactly on dd_recent, risk_now and y2, invalid rows included', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 80, size: 'max' }), naiveParams, (rows, p) => {
        const expected = naiveAi2(rows, p);
        const inputs = makeInputs(
          rows.map((r) => r.z),
          {
            valid: rows.map((r) => (r.valid ? 1 : 0)),
            rA: rows.map((r) => r.rA),
            rB: rows.map((r) => r.rB),
            beta: rows.map((r) => r.beta),
            corrStability: rows.map((r) => r.corr),
            volRatioSpread: rows.map((r) => r.vol),
            dzSpeed: rows.map((r) => r.speed),
          },
        );
        const got = buildAi2Risk(
          inputs,
          makeParams({
            zEntry: p.zEntry,
            zExit: p.zExit,
            maxHoldingBars: p.M,
            ddWindowBars: p.L,
            riskHorizonBars: p.H,
            thresholds: { corrVar: 0.025, volRatio: 1.8, dzSpeed: 0.12, ddRecent: p.ddThreshold },
          }),
        );
        expect(Array.from(got.ddRecent)).toEqual(expected.dd);
        expect(Array.from(got.riskNow)).toEqual(expected.riskNow);
        expect(Array.from(got.y2)).toEqual(expected.y2);
      }),
      { seed: 31, numRuns: 1000 },
    );
  });
});
