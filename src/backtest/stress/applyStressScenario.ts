// Applies one stress scenario: a perturbed pair for data kinds, a config copy for costs, extra bars for latency.
import type { PtConfig } from '../../config/schemas/index.js';
import type { AlignedPair } from '../../model/bar.js';
import { correlationBreakdown } from './correlationBreakdown.js';
import { costIncrease } from './costIncrease.js';
import { gapShock } from './gapShock.js';
import type { StressScenario } from './stressScenarios.js';
import { windowFromFractions } from './stressWindow.js';
import { volatilitySpike } from './volatilitySpike.js';

export interface StressedInputs {
  pair: AlignedPair;
  config: PtConfig;
  /** Bars added to backtest_policy.latency_bars by the engine (0 unless a latency scenario). */
  extraLatencyBars: number;
}

/** The inputs of one stressed re-run; the pair and the config are new objects only where the scenario changes them. */
export function applyStressScenario(pair: AlignedPair, config: PtConfig, scenario: StressScenario): StressedInputs {
  switch (scenario.kind) {
    case 'vol_spike':
      return {
        pair: volatilitySpike(pair, { k: scenario.params.k, seed: scenario.params.seed }),
        config,
        extraLatencyBars: 0,
      };
    case 'corr_breakdown': {
      const windows = [windowFromFractions(pair.length, scenario.params.windowFractions)];
      return {
        pair: correlationBreakdown(pair, { rhoTarget: scenario.params.rhoTarget, windows, seed: scenario.params.seed }),
        config,
        extraLatencyBars: 0,
      };
    }
    case 'cost_increase':
      return { pair, config: costIncrease(config, scenario.params), extraLatencyBars: 0 };
    case 'latency':
      return { pair, config, extraLatencyBars: scenario.params.extraBars };
    case 'gap': {
      const atIndex = Math.min(pair.length - 1, Math.floor(scenario.params.atFraction * pair.length));
      return { pair: gapShock(pair, { atIndex, percent: scenario.params.percent }), config, extraLatencyBars: 0 };
    }
  }
}
