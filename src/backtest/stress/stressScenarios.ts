// The SPEC §7 stress scenarios listed by backtest_policy.stress, each { name, kind, params }.
import type { PtConfig } from '../../config/schemas/index.js';
import { seedFromString } from '../../core/rng.js';
import { DEFAULT_STRESS_WINDOW_FRACTIONS } from './stressWindow.js';

/** SPEC §7 latency stress: +1 bar over backtest_policy.latency_bars (config's stress.latency_bars lists the values). */
export const STRESS_LATENCY_BARS = 1;
/** Where a gap is placed by default: the bar at the middle of the period, ⌊0.5·n⌋. */
export const DEFAULT_GAP_FRACTION = 0.5;

export type StressScenario =
  | { name: string; kind: 'vol_spike'; params: { k: number; seed: number; windowFractions: null } }
  | {
      name: string;
      kind: 'corr_breakdown';
      params: { rhoTarget: number; seed: number; windowFractions: readonly [number, number] };
    }
  | { name: string; kind: 'cost_increase'; params: { commissionBps: number; slippageBps: number } }
  | { name: string; kind: 'latency'; params: { extraBars: number } }
  | { name: string; kind: 'gap'; params: { percent: number; atFraction: number } };

export type StressKind = StressScenario['kind'];

export interface StressScenarioOptions {
  /** Base seed; each random scenario gets seedFromString(name, seed). */
  seed?: number;
}

/**
 * Every scenario of `config.backtest_policy.stress`, in this order: vol_spike per k (noise everywhere),
 * corr_breakdown per ρ_target (middle 20% of the period), cost_increase pairing cost_increase_bps[i]
 * with slippage_increase_bps[i], latency per latency_bars value, gap per x as +x% then −x% (at the
 * middle bar). Names are stable (`vol_spike_k1.5`, `gap_-2pct` …) and unique.
 */
export function stressScenarios(config: PtConfig, options: StressScenarioOptions = {}): StressScenario[] {
  const s = config.backtest_policy.stress;
  const base = options.seed ?? 0;
  const out: StressScenario[] = [];
  for (const k of s.vol_spike) {
    const name = `vol_spike_k${k}`;
    out.push({ name, kind: 'vol_spike', params: { k, seed: seedFromString(name, base), windowFractions: null } });
  }
  for (const rhoTarget of s.corr_breakdown) {
    const name = `corr_breakdown_rho${rhoTarget}`;
    out.push({
      name,
      kind: 'corr_breakdown',
      params: { rhoTarget, seed: seedFromString(name, base), windowFractions: DEFAULT_STRESS_WINDOW_FRACTIONS },
    });
  }
  if (s.cost_increase_bps.length !== s.slippage_increase_bps.length) {
    throw new RangeError(
      `stress.cost_increase_bps (${s.cost_increase_bps.length}) and stress.slippage_increase_bps (${s.slippage_increase_bps.length}) must have the same length`,
    );
  }
  s.cost_increase_bps.forEach((commissionBps, i) => {
    const slippageBps = s.slippage_increase_bps[i]!;
    out.push({
      name: `cost_increase_c${commissionBps}_s${slippageBps}`,
      kind: 'cost_increase',
      params: { commissionBps, slippageBps },
    });
  });
  for (const extraBars of s.latency_bars)
    out.push({ name: `latency_${extraBars}bar`, kind: 'latency', params: { extraBars } });
  for (const x of s.gap_percent) {
    for (const percent of [x, -x])
      out.push({
        name: `gap_${percent > 0 ? '+' : ''}${percent}pct`,
        kind: 'gap',
        params: { percent, atFraction: DEFAULT_GAP_FRACTION },
      });
  }
  return out;
}
