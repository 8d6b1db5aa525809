// SPEC §6 score and hard constraints, hand-computed with the shipped core_policy.objective.
import { describe, expect, it } from 'vitest';
import { objectivePolicyFrom, scoreTrial } from '../../src/optimize/scoreTrial.js';
import { config } from '../decision/config.js';

const policy = objectivePolicyFrom(config);

describe('scoreTrial (SPEC §6)', () => {
  it('reads the constants from core_policy.objective', () => {
    expect(policy).toEqual({
      ddTarget: 0.12,
      tradesMin: 150,
      lambdaDd: 2,
      lambdaTrades: 0.05,
      lambdaStop: 0.1,
      fpRateMax: 0.1,
    });
  });

  it('a feasible trial: only the FP penalty applies', () => {
    // 0.18 − 2·0 − 0.05·0 − 0.10·0.2 = 0.16
    const s = scoreTrial({ annualReturn: 0.18, maxDrawdown: 0.1, tradesPerYear: 200, fpRateAi2: 0.2 }, policy);
    expect(s.score).toBeCloseTo(0.16, 12);
    expect(s.feasible).toBe(true);
    expect(s.reason).toBe('');
    expect(s.fpRateAboveMax).toBe(true);
  });

  it('both constraints binding: both penalties and both reasons', () => {
    // 0.05 − 2·(0.15 − 0.12) − 0.05·(150 − 31) − 0.10·0.05 = 0.05 − 0.06 − 5.95 − 0.005 = −5.965
    const s = scoreTrial({ annualReturn: 0.05, maxDrawdown: 0.15, tradesPerYear: 31, fpRateAi2: 0.05 }, policy);
    expect(s.score).toBeCloseTo(-5.965, 12);
    expect(s.feasible).toBe(false);
    expect(s.reason).toBe('max_dd 0.15 > 0.12; trades_per_year 31 < 150');
    expect(s.fpRateAboveMax).toBe(false);
  });

  it('the bounds are inclusive: MaxDD = 0.12 and 150 trades/yr are feasible', () => {
    const s = scoreTrial({ annualReturn: -0.02, maxDrawdown: 0.12, tradesPerYear: 150, fpRateAi2: 0 }, policy);
    expect(s).toEqual({ score: -0.02, feasible: true, reason: '', fpRateAboveMax: false });
  });

  it('no risk stop (FP rate NaN) is no false stop; rounding in the reason only', () => {
    // 0.1 − 0.05·(150 − 149.6) = 0.08
    const s = scoreTrial({ annualReturn: 0.1, maxDrawdown: 0.01, tradesPerYear: 149.6, fpRateAi2: Number.NaN }, policy);
    expect(s.score).toBeCloseTo(0.08, 12);
    expect(s.feasible).toBe(false);
    expect(s.reason).toBe('trades_per_year 150 < 150');
  });

  it('a KPI that is not finite is infeasible with score −∞', () => {
    const s = scoreTrial({ annualReturn: Number.NaN, maxDrawdown: 0.01, tradesPerYear: 300, fpRateAi2: 0 }, policy);
    expect(s.score).toBe(Number.NEGATIVE_INFINITY);
    expect(s.feasible).toBe(false);
    expect(s.reason).toBe('annual_return NaN');
  });
});
