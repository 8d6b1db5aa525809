// The trial runner of pt optimize (SPEC §6): every trial is the backtest engine itself on the pairs'
// OOS predictions, prepared once and re-run with each θ1/θ2 (no second P&L implementation).
import type { PairSpec, PtConfig } from '../config/schemas/index.js';
import { timeframeMs, type Timeframe } from '../core/time.js';
import type { DecisionParams } from '../decision/decide.js';
import { PairSessionGate } from '../decision/sessionGate.js';
import type { AlignedPair } from '../model/bar.js';
import type { BacktestInput, BacktestPairInput, BacktestTrade, ConversionRate } from '../backtest/backtestTypes.js';
import { PreparedBacktest } from '../backtest/engine.js';
import { dailyEquity, dailyReturns, type BacktestKpis } from '../backtest/kpis/index.js';
import { pairInput } from '../backtest/prepareBacktest.js';
import { predictionScorer } from './predictionScorer.js';

export interface Theta {
  theta1: number;
  theta2: number;
}

/** One pair of a θ search: its DQ-cleaned aligned bars and the predictions aligned with them (NaN: none). */
export interface TrialPair {
  spec: PairSpec;
  pair: AlignedPair;
  returnProb: Float64Array;
  riskScore: Float64Array;
}

export interface TrialSetup {
  config: PtConfig;
  timeframe: Timeframe;
  pairs: TrialPair[];
  /** The model version the predictions come from (the scorer's name). */
  modelVersion: string;
  /** Needed only when a leg is not quoted in USD. */
  conversionRate?: ConversionRate;
  /** The run's decision parameters but θ1/θ2 (resolveDecisionParams of the model version). */
  decision?: { params?: Partial<DecisionParams>; signalZ?: 'raw' | 'ema'; speedLookbackBars?: number };
  initialCapitalUsd?: number;
  latencyBars?: number;
}

/** The SPEC §6 inputs of a trial, from the run's KPIs (docs/optimize.md). */
export interface TrialKpis {
  /** Compound annual return (CAGR) of the portfolio equity. */
  annualReturn: number;
  sharpe: number;
  maxDrawdown: number;
  trades: number;
  tradesPerYear: number;
  /** AI2 false-stop rate (risk stops that would have reverted / risk stops); NaN with no risk stop. */
  fpRateAi2: number;
}

export interface TrialResult extends Theta {
  kpis: TrialKpis;
  /** Every KPI of the run (SPEC §7). */
  backtest: BacktestKpis;
  /** The run's closed trades. */
  tradeList: BacktestTrade[];
  /** Daily closes (00:00 UTC of each day with a bar) and the portfolio's simple daily returns (DSR, PBO, bootstrap). */
  dayMs: Float64Array;
  dailyReturns: Float64Array;
}

/** The session gate's answer at each bar's close, asked once per pair (it does not depend on θ). */
export function tradableColumn(config: PtConfig, spec: PairSpec, ts: Float64Array, barMs: number): Uint8Array {
  const gate = new PairSessionGate(config, spec);
  const out = new Uint8Array(ts.length);
  for (let i = 0; i < ts.length; i++) out[i] = gate.isTradable(ts[i]! + barMs) ? 1 : 0;
  return out;
}

/**
 * Everything a trial does not change, built once: features and DQ-filled flags (pairInput, the
 * pt bt run path), the predictions served by a fixed Scorer, the calendars as a tradable column,
 * costs and the merged timeline (PreparedBacktest). `runTrial` then runs the engine with θ1/θ2.
 */
export async function prepareTrials(setup: TrialSetup): Promise<TrialRunner> {
  const barMs = timeframeMs(setup.timeframe);
  const pairs: BacktestPairInput[] = [];
  for (const p of setup.pairs) {
    const scorer = predictionScorer(setup.modelVersion, p.returnProb, p.riskScore);
    const input = await pairInput(setup.config, p.spec, p.pair, scorer);
    pairs.push({ ...input, tradable: tradableColumn(setup.config, p.spec, p.pair.ts, barMs) });
  }
  const d = setup.decision ?? {};
  return new TrialRunner({
    pairs,
    config: setup.config,
    timeframe: setup.timeframe,
    ...(setup.conversionRate ? { conversionRate: setup.conversionRate } : {}),
    ...(d.params ? { params: d.params } : {}),
    ...(d.signalZ ? { signalZ: d.signalZ } : {}),
    ...(d.speedLookbackBars ? { speedLookbackBars: d.speedLookbackBars } : {}),
    ...(setup.initialCapitalUsd !== undefined ? { initialCapitalUsd: setup.initialCapitalUsd } : {}),
    ...(setup.latencyBars !== undefined ? { latencyBars: setup.latencyBars } : {}),
  });
}

export class TrialRunner {
  private readonly engine: PreparedBacktest;

  /** `input`: the prepared backtest input; `runTrial(θ)` equals `runBacktest({ ...input, params: { ...input.params, ...θ } })`. */
  constructor(readonly input: BacktestInput) {
    if (input.ruleOnly) throw new RangeError('a θ search needs the model filters: ruleOnly is not a trial');
    this.engine = new PreparedBacktest(input);
  }

  runTrial(theta: Theta): TrialResult {
    if (!Number.isFinite(theta.theta1) || !Number.isFinite(theta.theta2))
      throw new RangeError(`θ must be finite, got θ1=${theta.theta1}, θ2=${theta.theta2}`);
    const r = this.engine.run({ theta1: theta.theta1, theta2: theta.theta2 });
    const daily = dailyEquity(r.timesMs, r.equityUsd);
    const k = r.kpis;
    return {
      theta1: theta.theta1,
      theta2: theta.theta2,
      kpis: {
        annualReturn: k.annualReturnCompound,
        sharpe: k.sharpe,
        maxDrawdown: k.maxDrawdown,
        trades: k.trades,
        tradesPerYear: k.tradesPerYear,
        fpRateAi2: k.falseStopRate,
      },
      backtest: k,
      tradeList: r.trades,
      dayMs: daily.dayMs,
      dailyReturns: dailyReturns(daily, r.initialCapitalUsd),
    };
  }
}
