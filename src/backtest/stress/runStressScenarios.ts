// Runs every stress scenario of backtest_policy.yaml over a run's pairs: perturb, re-score, backtest the portfolio.
import type { PairSpec, PtConfig } from '../../config/schemas/index.js';
import type { Timeframe } from '../../core/time.js';
import type { AlignedPair } from '../../model/bar.js';
import type { Scorer } from '../../ports/scorer.js';
import type { BacktestInput } from '../backtestTypes.js';
import { runBacktest } from '../engine.js';
import { pairInput } from '../prepareBacktest.js';
import { applyStressScenario } from './applyStressScenario.js';
import { stressScenarios } from './stressScenarios.js';

/** One row of bt_stress_results: a scenario's portfolio KPIs. */
export interface StressRow {
  scenario: string;
  pair_id: string;
  sharpe: number;
  max_dd: number;
  ann_return: number;
  notes: string;
}

export interface StressRunInput {
  config: PtConfig;
  pairs: ReadonlyArray<{ spec: PairSpec; pair: AlignedPair }>;
  timeframe: Timeframe;
  conversionRate: BacktestInput['conversionRate'];
  ruleOnly: boolean;
  /** The run's decision parameters (θ, signal z, speed lookback). */
  decision: Pick<BacktestInput, 'params' | 'signalZ' | 'speedLookbackBars'>;
  scorer?: Scorer;
  seed: number;
}

/** One portfolio row per scenario, in stressScenarios order. */
export async function runStressScenarios(
  run: StressRunInput,
  onProgress?: (label: string, done: number, total: number) => void,
): Promise<StressRow[]> {
  const { config } = run;
  const rows: StressRow[] = [];
  const scenarios = stressScenarios(config, { seed: run.seed });
  for (const [i, sc] of scenarios.entries()) {
    onProgress?.(`stress ${sc.name}`, i, scenarios.length);
    let stressedConfig = config;
    let extra = 0;
    const stressedInputs = [];
    for (const l of run.pairs) {
      const s = applyStressScenario(l.pair, config, sc);
      stressedConfig = s.config;
      extra = s.extraLatencyBars;
      stressedInputs.push(await pairInput(s.config, l.spec, s.pair, run.scorer));
    }
    const r = runBacktest({
      pairs: stressedInputs,
      config: stressedConfig,
      timeframe: run.timeframe,
      conversionRate: run.conversionRate,
      ruleOnly: run.ruleOnly,
      latencyBars: config.backtest_policy.latency_bars + extra,
      ...run.decision,
    });
    rows.push({
      scenario: sc.name,
      pair_id: 'portfolio',
      sharpe: r.kpis.sharpe,
      max_dd: r.kpis.maxDrawdown,
      ann_return: r.kpis.annualReturnSimple,
      notes: `${sc.kind} ${JSON.stringify(sc.params)}`,
    });
  }
  return rows;
}
