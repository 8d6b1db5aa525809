// What a reload does: nothing, θ in place, or a restart — and the lines it logs.
import { describe, expect, it } from 'vitest';
import { decisionParamsFrom } from '../../src/decision/decisionParams.js';
import { planReload, type ReloadView } from '../../src/live/job/planReload.js';
import { config } from '../decision/config.js';

const view = (): ReloadView => ({
  config: structuredClone(config),
  modelDir: '/m/v1',
  params: { ...decisionParamsFrom(config), theta1: 0.55, theta2: 0.4 },
});

describe('planReload', () => {
  it('nothing changed: none', () => {
    expect(planReload(view(), view())).toEqual({ kind: 'none', changes: [] });
  });

  it('θ of the same model: in place, each change named', () => {
    const next = view();
    next.params.theta1 = 0.6;
    next.params.thetaStop = 0.5;
    expect(planReload(view(), next)).toEqual({
      kind: 'theta',
      changes: ['theta1 0.55 → 0.6', `thetaStop ${view().params.thetaStop} → 0.5`],
    });
  });

  it('another model version, a config file or another decision parameter: restart', () => {
    const model = view();
    model.modelDir = '/m/v2';
    expect(planReload(view(), model)).toEqual({ kind: 'restart', changes: ['model /m/v1 → /m/v2'] });
    const cfg = view();
    cfg.config.signals_policy.pair_notional_usd += 1;
    expect(planReload(view(), cfg)).toEqual({ kind: 'restart', changes: ['config signals_policy'] });
    const params = view();
    params.params.zEntry += 0.5;
    params.params.theta2 = 0.3;
    const plan = planReload(view(), params);
    expect(plan.kind).toBe('restart');
    expect(plan.changes).toEqual([
      `zEntry ${view().params.zEntry} → ${view().params.zEntry + 0.5}`,
      'theta2 0.4 → 0.3',
    ]);
  });
});
