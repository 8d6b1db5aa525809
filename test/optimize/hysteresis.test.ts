// SPEC §6 hysteresis, hand-computed: θ_applied = θ_old + clip(0.3·(θ_new − θ_old), ±0.03); hold on few OOS trades or a negative CI lower bound.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyHysteresis, stepToward } from '../../src/optimize/hysteresis.js';

const ok = { lower: 0.01, upper: 0.2 };
const base = { oosTrades: 200, tradesMin: 150, improvementCi: ok };

describe('applyHysteresis: the blend and the clip', () => {
  it('moves 0.3 of the way when the step is inside ±0.03, both directions', () => {
    // θ1: 0.70 + 0.3·(0.62 − 0.70) = 0.70 − 0.024 = 0.676; θ2: 0.35 + 0.3·(0.41 − 0.35) = 0.35 + 0.018 = 0.368
    const r = applyHysteresis({
      ...base,
      old: { theta1: 0.7, theta2: 0.35 },
      proposed: { theta1: 0.62, theta2: 0.41 },
    });
    expect(r.decision).toBe('apply');
    expect(r.applied).toEqual({ theta1: 0.676, theta2: 0.368 });
    expect(r.reason).toBe('apply: θ1 0.7 → 0.676 (proposed 0.62), θ2 0.35 → 0.368 (proposed 0.41)');
  });

  it('clips a step beyond 0.03 to ±0.03, both directions', () => {
    // θ1: 0.3·(0.85 − 0.70) = 0.045 → +0.03 → 0.73; θ2: 0.3·(0.20 − 0.40) = −0.06 → −0.03 → 0.37
    const r = applyHysteresis({ ...base, old: { theta1: 0.7, theta2: 0.4 }, proposed: { theta1: 0.85, theta2: 0.2 } });
    expect(r.applied).toEqual({ theta1: 0.73, theta2: 0.37 });
    expect(r.reason).toBe(
      'apply: θ1 0.7 → 0.73 (proposed 0.85, step clipped to ±0.03), θ2 0.4 → 0.37 (proposed 0.2, step clipped to ±0.03)',
    );
  });

  it('a step of exactly ±0.03 (0.3 × 0.1) is taken whole and not called clipped', () => {
    // θ1: 0.5 + 0.3·0.1 = 0.53; θ2: 0.5 + 0.3·(−0.1) = 0.47
    const r = applyHysteresis({ ...base, old: { theta1: 0.5, theta2: 0.5 }, proposed: { theta1: 0.6, theta2: 0.4 } });
    expect(r.applied).toEqual({ theta1: 0.53, theta2: 0.47 });
    expect(r.reason).not.toContain('clipped');
    expect(stepToward(0.5, 0.6)).toEqual({ value: 0.53, clipped: false });
    expect(stepToward(0.5, 0.4)).toEqual({ value: 0.47, clipped: false });
    // just past the bound: 0.3 · 0.1001 = 0.03003 → 0.03
    expect(stepToward(0.5, 0.6001)).toEqual({ value: 0.53, clipped: true });
  });

  it('keeps tiny moves: 0.3 · 1e-5 = 3e-6', () => {
    const r = applyHysteresis({
      ...base,
      old: { theta1: 0.7, theta2: 0.3 },
      proposed: { theta1: 0.70001, theta2: 0.29999 },
    });
    expect(r.decision).toBe('apply');
    expect(r.applied).toEqual({ theta1: 0.700003, theta2: 0.299997 });
  });

  it('one θ may stay while the other moves', () => {
    const r = applyHysteresis({ ...base, old: { theta1: 0.7, theta2: 0.3 }, proposed: { theta1: 0.7, theta2: 0.2 } });
    expect(r.applied).toEqual({ theta1: 0.7, theta2: 0.27 });
  });

  it('property: the applied θ lies between old and proposed, at most 0.03 from old', () => {
    const prob = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(prob, prob, prob, prob, (o1, o2, p1, p2) => {
        fc.pre(o1 !== p1 || o2 !== p2);
        const r = applyHysteresis({ ...base, old: { theta1: o1, theta2: o2 }, proposed: { theta1: p1, theta2: p2 } });
        for (const [o, p, a] of [
          [o1, p1, r.applied.theta1],
          [o2, p2, r.applied.theta2],
        ] as const) {
          expect(Math.abs(a - o)).toBeLessThanOrEqual(0.03 + 1e-9);
          expect(Math.min(o, p) - 1e-9).toBeLessThanOrEqual(a);
          expect(a).toBeLessThanOrEqual(Math.max(o, p) + 1e-9);
        }
      }),
    );
  });
});

describe('applyHysteresis: hold rules', () => {
  const move = { old: { theta1: 0.7, theta2: 0.3 }, proposed: { theta1: 0.64, theta2: 0.36 } };

  it('holds when OOS trades < trades_min/2; exactly trades_min/2 is enough (SPEC: "<")', () => {
    const few = applyHysteresis({ ...move, oosTrades: 74, tradesMin: 150, improvementCi: ok });
    expect(few.decision).toBe('hold');
    expect(few.applied).toEqual(move.old);
    expect(few.reason).toBe('hold: OOS trades 74 < trades_min/2 = 75');
    expect(applyHysteresis({ ...move, oosTrades: 75, tradesMin: 150, improvementCi: ok }).decision).toBe('apply');
    // an odd trades_min: half is 75.5, so 75 holds and 76 applies
    expect(applyHysteresis({ ...move, oosTrades: 75, tradesMin: 151, improvementCi: ok }).decision).toBe('hold');
    expect(applyHysteresis({ ...move, oosTrades: 76, tradesMin: 151, improvementCi: ok }).decision).toBe('apply');
  });

  it('holds when the improvement CI has a negative lower bound; a lower bound of exactly 0 applies', () => {
    const neg = applyHysteresis({
      ...move,
      oosTrades: 200,
      tradesMin: 150,
      improvementCi: { lower: -0.001, upper: 0.3 },
    });
    expect(neg.decision).toBe('hold');
    expect(neg.applied).toEqual(move.old);
    expect(neg.reason).toBe('hold: improvement 95% CI [-0.001, 0.3] has a negative lower bound');
    const zero = applyHysteresis({ ...move, oosTrades: 200, tradesMin: 150, improvementCi: { lower: 0, upper: 0.3 } });
    expect(zero.decision).toBe('apply');
    expect(zero.applied).toEqual({ theta1: 0.682, theta2: 0.318 });
  });

  it('holds on a CI without a finite bound (no finite resample)', () => {
    const r = applyHysteresis({ ...move, ...base, improvementCi: { lower: Number.NaN, upper: Number.NaN } });
    expect(r.decision).toBe('hold');
    expect(r.reason).toBe('hold: improvement CI has no finite bound');
  });

  it('names every hold reason when several apply', () => {
    const r = applyHysteresis({ ...move, oosTrades: 10, tradesMin: 150, improvementCi: { lower: -0.2, upper: -0.1 } });
    expect(r.decision).toBe('hold');
    expect(r.reason).toBe(
      'hold: OOS trades 10 < trades_min/2 = 75; improvement 95% CI [-0.2, -0.1] has a negative lower bound',
    );
  });

  it('holds when the proposal is the θ in force', () => {
    const r = applyHysteresis({ ...base, old: move.old, proposed: { ...move.old } });
    expect(r).toEqual({ decision: 'hold', applied: move.old, reason: 'hold: proposed θ equals the current θ' });
  });

  it('refuses θ outside [0, 1] and bad trade counts', () => {
    expect(() => applyHysteresis({ ...base, old: move.old, proposed: { theta1: 1.2, theta2: 0.3 } })).toThrow(
      RangeError,
    );
    expect(() => applyHysteresis({ ...move, ...base, oosTrades: -1 })).toThrow(/oosTrades/);
    expect(() => applyHysteresis({ ...move, ...base, tradesMin: Number.NaN })).toThrow(/tradesMin/);
  });
});
