import { describe, expect, it } from 'vitest';
import { applyStressScenario, STRESS_LATENCY_BARS, stressScenarios } from '../../../src/backtest/stress/index.js';
import { config } from '../../decision/config.js';
import { fingerprint, pairFixture } from './stressFixtures.js';

describe('stressScenarios', () => {
  it('lists every scenario of the shipped backtest_policy.stress', () => {
    const list = stressScenarios(config);
    expect(list.map((s) => s.name)).toEqual([
      'vol_spike_k1.5',
      'vol_spike_k2',
      'corr_breakdown_rho0',
      'corr_breakdown_rho0.2',
      'cost_increase_c10_s5',
      'cost_increase_c30_s15',
      'latency_1bar',
      'gap_+0.5pct',
      'gap_-0.5pct',
      'gap_+1pct',
      'gap_-1pct',
      'gap_+2pct',
      'gap_-2pct',
    ]);
    expect(new Set(list.map((s) => s.name)).size).toBe(list.length);
    expect(list.find((s) => s.kind === 'latency')?.params).toEqual({ extraBars: STRESS_LATENCY_BARS });
    expect(list.find((s) => s.kind === 'corr_breakdown')?.params).toMatchObject({
      rhoTarget: 0,
      windowFractions: [0.4, 0.6],
    });
    expect(stressScenarios(config, { seed: 1 })[0]!.params).not.toEqual(list[0]!.params);
    expect(stressScenarios(config)).toEqual(list);
  });

  it('applies each scenario without touching its inputs', async () => {
    const pair = await pairFixture();
    const before = fingerprint(pair);
    const cfg = JSON.stringify(config);
    for (const s of stressScenarios(config)) {
      const r = applyStressScenario(pair, config, s);
      if (s.kind === 'cost_increase') expect(r.config).not.toBe(config);
      else expect(r.config).toBe(config);
      if (s.kind === 'latency' || s.kind === 'cost_increase') expect(r.pair).toBe(pair);
      else expect(fingerprint(r.pair)).not.toEqual(before);
      expect(r.extraLatencyBars).toBe(s.kind === 'latency' ? 1 : 0);
    }
    expect(fingerprint(pair)).toEqual(before);
    expect(JSON.stringify(config)).toBe(cfg);
  });
});
