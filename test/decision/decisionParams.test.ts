// Where θ comes from: params.yaml, then the latest applied record (passed in as data), then the --theta flags.
import { describe, expect, it } from 'vitest';
import { resolveDecisionParams } from '../../src/decision/decisionParams.js';
import { config } from './config.js';

const model = {
  version: '20261201_0900_abcdef1',
  params: { theta1: 0.7, theta2: 0.3, z_entry: 2, z_exit: 0.5, M: 96, theta_stop: 0.45 },
};
const applied = { theta1: 0.67, theta2: 0.33, label: 'applied 20261203T101500Z (pt optimize run abc123)' };

describe('resolveDecisionParams: the applied-θ slot', () => {
  it("without a record: params.yaml's θ", () => {
    const r = resolveDecisionParams(config, { model });
    expect([r.params.theta1, r.params.theta2]).toEqual([0.7, 0.3]);
    expect(r.thetaSource).toBe('model 20261201_0900_abcdef1 params.yaml');
  });

  it('a record replaces params.yaml θ1/θ2 (and nothing else of the event definition)', () => {
    const r = resolveDecisionParams(config, { model, applied });
    expect([r.params.theta1, r.params.theta2]).toEqual([0.67, 0.33]);
    expect([r.params.zEntry, r.params.zExit, r.params.maxHoldingBars, r.params.thetaStop]).toEqual([2, 0.5, 96, 0.45]);
    expect(r.thetaSource).toBe('applied 20261203T101500Z (pt optimize run abc123) of model 20261201_0900_abcdef1');
  });

  it('the flags win over the record, one at a time', () => {
    const one = resolveDecisionParams(config, { model, applied, theta1: 0.55 });
    expect([one.params.theta1, one.params.theta2]).toEqual([0.55, 0.33]);
    expect(one.thetaSource).toBe(
      '--theta1 over applied 20261203T101500Z (pt optimize run abc123) of model 20261201_0900_abcdef1',
    );
    const both = resolveDecisionParams(config, { model, applied, theta1: 0.55, theta2: 0.4 });
    expect([both.params.theta1, both.params.theta2]).toEqual([0.55, 0.4]);
  });

  it('rule-only ignores a record', () => {
    const r = resolveDecisionParams(config, { ruleOnly: true, model, applied });
    expect(r.thetaSource).toBe('not applied (rule-only)');
    expect(r.params.useTheta).toBe(false);
  });
});
