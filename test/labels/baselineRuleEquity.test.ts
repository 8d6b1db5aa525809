// SPEC §3.2 baseline rule: equity and dd_recent on a sequence worked out by hand.
import { describe, expect, it } from 'vitest';
import { baselineRuleEquity } from '../../src/labels/baselineRuleEquity.js';
import { makeInputs, makeParams } from './labelFixtures.js';

const params = makeParams({ zEntry: 2, zExit: 0.5, maxHoldingBars: 3, ddWindowBars: 4 });

function expectClose(actual: Float64Array, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => {
    if (Number.isNaN(v)) expect(actual[i], `row ${i}`).toBeNaN();
    else expect(actual[i], `row ${i}`).toBeCloseTo(v, 12);
  });
}

describe('baselineRuleEquity', () => {
  it('enters at |z| >= z_entry, earns r_A - beta_entry·r_B, exits at z_exit or after M bars, no same-bar re-entry', () => {
    // t1 short (beta 2) → t3 exit at |z| 0.3; t4 long (beta 1) → t7 exit at M = 3 although |z| = 3;
    // t8 long (beta 3) holds through the opposite |z| = 2 of t9 → t10 exit at |z| = 0.5 exactly.
    const inputs = makeInputs([0, 2.5, 1.5, 0.3, -2.2, -2.5, -2.4, -3.0, -2.1, 2.0, 0.5], {
      rA: [0, 0.01, 0.03, -0.02, 0.05, 0.01, 0.0, 0.01, 0.04, 0.02, 0.0],
      rB: [0, 0.02, 0.01, 0.0, 0.05, 0.03, 0.02, -0.01, 0, 0.01, -0.01],
      // Betas after entry differ from the entry beta: using beta_t would change the equity.
      beta: [1, 2, 5, 5, 1, 7, 7, 7, 3, 9, 9],
    });
    const r = baselineRuleEquity(inputs, params);
    // t2: -(0.03 - 2·0.01) = -0.01; t3: -(-0.02) = +0.02; t5: 0.01 - 0.03; t6: -0.02; t7: 0.01 + 0.01;
    // t9: 0.02 - 3·0.01; t10: 0 - 3·(-0.01).
    expectClose(r.equity, [0, 0, -0.01, 0.01, 0.01, -0.01, -0.03, -0.01, -0.01, -0.02, 0.01]);
    expect(Array.from(r.position)).toEqual([0, -1, -1, 0, 1, 1, 1, 0, 1, 1, 0]);
    expect(r.trades).toBe(3);
    // L = 4: peak of rows t-3..t minus equity; at t8 the 0.01 peak of t4 has left the window.
    expectClose(r.ddRecent, [0, 0, 0.01, 0, 0, 0.02, 0.04, 0.02, 0, 0.01, 0]);
  });

  it('skips invalid rows (no P&L, no decision, no value) while M and L still count rows', () => {
    // Entry at 1; rows 2-3 invalid (their returns are not earned); row 4 exits because 4 - 1 >= M.
    const inputs = makeInputs([0, 2.5, 9, 9, 1.5, 0, 0, 0], {
      valid: [1, 1, 0, 0, 1, 1, 1, 1],
      rA: [0, 0, 0.5, 0.5, 0.01, 0.2, 0, 0],
    });
    const r = baselineRuleEquity(inputs, params);
    expectClose(r.equity, [0, 0, Number.NaN, Number.NaN, -0.01, -0.01, -0.01, -0.01]);
    expect(Array.from(r.position)).toEqual([0, -1, 0, 0, 0, 0, 0, 0]);
    // t5: the window is rows 2..5, so the 0 peak of row 1 is gone after 4 rows, not 4 valid rows.
    expectClose(r.ddRecent, [0, 0, Number.NaN, Number.NaN, 0.01, 0, 0, 0]);
  });

  it('fails fast on an undefined leg return in a valid row while holding', () => {
    const inputs = makeInputs([2.5, 1], { rA: [0, Number.NaN] });
    expect(() => baselineRuleEquity(inputs, params)).toThrow(/undefined leg return on valid row 1/);
  });
});
