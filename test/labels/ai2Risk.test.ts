// SPEC §3.2 risk labels: each component alone, risk_now, and the H-bar look-ahead y2.
import { describe, expect, it } from 'vitest';
import { buildAi2Risk } from '../../src/labels/ai2Risk.js';
import { makeInputs, makeParams } from './labelFixtures.js';

const nan = Number.NaN;

describe('buildAi2Risk components', () => {
  it('each component fires alone, strictly above its threshold', () => {
    // z = 0 everywhere: the baseline rule never trades, so dd_recent = 0.
    const inputs = makeInputs([0, 0, 0, 0, 0, 0, 0], {
      corrStability: [0, 0.03, 0, 0, 0.025, 0, 0],
      volRatioSpread: [1, 1, 2.0, 1, 1, 1.8, 1],
      dzSpeed: [0, 0, 0, 0.2, 0, 0, 0.12],
    });
    const r = buildAi2Risk(inputs, makeParams());
    expect(Array.from(r.cCorr)).toEqual([0, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(r.cVol)).toEqual([0, 0, 1, 0, 0, 0, 0]);
    expect(Array.from(r.cSpeed)).toEqual([0, 0, 0, 1, 0, 0, 0]);
    expect(Array.from(r.cDd)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(r.riskNow)).toEqual([0, 1, 1, 1, 0, 0, 0]);
    expect(Array.from(r.ddRecent)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(r.counts).toMatchObject({
      rows: 7,
      corrRate: 1 / 7,
      volRate: 1 / 7,
      speedRate: 1 / 7,
      ddRate: 0,
      riskNowRate: 3 / 7,
    });
  });

  it('c_dd fires alone from the baseline rule drawdown', () => {
    // The hand sequence of baselineRuleEquity.test.ts: dd_recent = 0 0 .01 0 0 .02 .04 .02 0 .01 0.
    const inputs = makeInputs([0, 2.5, 1.5, 0.3, -2.2, -2.5, -2.4, -3.0, -2.1, 2.0, 0.5], {
      rA: [0, 0.01, 0.03, -0.02, 0.05, 0.01, 0.0, 0.01, 0.04, 0.02, 0.0],
      rB: [0, 0.02, 0.01, 0.0, 0.05, 0.03, 0.02, -0.01, 0, 0.01, -0.01],
      beta: [1, 2, 5, 5, 1, 7, 7, 7, 3, 9, 9],
    });
    const params = makeParams({
      maxHoldingBars: 3,
      ddWindowBars: 4,
      thresholds: { corrVar: 0.025, volRatio: 1.8, dzSpeed: 0.12, ddRecent: 0.015 },
    });
    const r = buildAi2Risk(inputs, params);
    expect(Array.from(r.cDd)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0]);
    expect(Array.from(r.riskNow)).toEqual(Array.from(r.cDd));
    expect(r.cCorr.every((v) => v === 0) && r.cVol.every((v) => v === 0) && r.cSpeed.every((v) => v === 0)).toBe(true);
  });

  it('invalid rows carry no component, no risk_now and no dd_recent', () => {
    const inputs = makeInputs([0, 0, 0], { valid: [1, 0, 1], corrStability: [1, 1, 1] });
    const r = buildAi2Risk(inputs, makeParams({ riskHorizonBars: 0 }));
    expect(Array.from(r.riskNow)).toEqual([1, 0, 1]);
    expect(r.ddRecent[1]).toBeNaN();
    expect(Array.from(r.y2)).toEqual([1, nan, 1]);
    expect(r.counts.rows).toBe(2);
  });
});

describe('buildAi2Risk y2', () => {
  // risk_now = 0 0 0 1 0 0 1 0 (set through corr_stability).
  const risk = [0, 0, 0, 1, 0, 0, 1, 0];
  const corrStability = risk.map((v) => (v ? 0.05 : 0));

  it('y2_t = max(risk_now over t+1..t+H), excluding t itself; rows without H bars after have none', () => {
    const r = buildAi2Risk(
      makeInputs(
        risk.map(() => 0),
        { corrStability },
      ),
      makeParams({ riskHorizonBars: 2 }),
    );
    expect(Array.from(r.y2)).toEqual([0, 1, 1, 0, 1, 1, nan, nan]);
    expect(r.counts).toMatchObject({ rows: 8, y2Rows: 6, y2Rate: 4 / 6 });
  });

  it('H = 0 means risk_now_t itself', () => {
    const r = buildAi2Risk(
      makeInputs(
        risk.map(() => 0),
        { corrStability },
      ),
      makeParams({ riskHorizonBars: 0 }),
    );
    expect(Array.from(r.y2)).toEqual(risk);
  });

  it('a row whose next H bars include an invalid one has no y2', () => {
    const valid = [1, 1, 1, 1, 0, 1, 1, 1];
    const r = buildAi2Risk(
      makeInputs(
        risk.map(() => 0),
        { corrStability, valid },
      ),
      makeParams({ riskHorizonBars: 2 }),
    );
    expect(Array.from(r.y2)).toEqual([0, 1, nan, nan, nan, 1, nan, nan]);
    expect(r.counts).toMatchObject({ rows: 7, y2Rows: 3 });
  });

  it('H longer than the data leaves no y2 at all', () => {
    const r = buildAi2Risk(makeInputs([0, 0, 0]), makeParams({ riskHorizonBars: 3 }));
    expect(Array.from(r.y2)).toEqual([nan, nan, nan]);
    expect(r.counts).toMatchObject({ y2Rows: 0, y2Rate: 0 });
  });
});
