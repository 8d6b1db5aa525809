// One pair of a pt live shard, one closed bar at a time: the incremental features (the code batch
// features are computed with), the per-row score through the Scorer port, then the shared PairKernel
// (observe, decide, size). No decision code of its own: parity with the backtest is by construction.
import type { PairSpec } from '../config/schemas/index.js';
import type { OpsState } from '../decision/decide.js';
import {
  newKernelBar,
  PairKernel,
  setKernelFeatures,
  type KernelBar,
  type KernelParams,
  type PairAction,
} from '../decision/pairKernel.js';
import type { SessionGate } from '../decision/sessionGate.js';
import { FEATURE_COUNT } from '../features/featureNames.js';
import type { FeatureParams } from '../features/featureParams.js';
import { PairFeatureState } from '../features/pairFeatureState.js';
import type { RowScores, Scorer } from '../ports/scorer.js';

/** One closed bar of both legs, overwritten in place by its source (no allocation per bar). */
export interface LiveBar {
  tsMs: number;
  /** Opens are not features: they are kept for the local cache's recent bars. */
  openA: number;
  highA: number;
  lowA: number;
  closeA: number;
  openB: number;
  highB: number;
  lowB: number;
  closeB: number;
  /** Either leg filled by DQ: never traded (SPEC §7). */
  filled: boolean;
  /** USD per unit of each leg's quote currency. */
  usdPerQuoteA: number;
  usdPerQuoteB: number;
}

export function newLiveBar(): LiveBar {
  return {
    tsMs: 0,
    openA: Number.NaN,
    highA: Number.NaN,
    lowA: Number.NaN,
    closeA: Number.NaN,
    openB: Number.NaN,
    highB: Number.NaN,
    lowB: Number.NaN,
    closeB: Number.NaN,
    filled: false,
    usdPerQuoteA: 1,
    usdPerQuoteB: 1,
  };
}

export class LivePair {
  readonly features: PairFeatureState;
  readonly kernel: PairKernel;
  readonly row = new Float64Array(FEATURE_COUNT);
  readonly scores: RowScores = { returnProb: Number.NaN, riskScore: Number.NaN };
  private readonly bar: KernelBar = newKernelBar();
  /** Milliseconds the last scoreRow took (core_infer_latency_ms). */
  inferMs = 0;
  /** The bar of the last step (its source's object, overwritten at its next bar). */
  lastBar: LiveBar | undefined;

  constructor(
    readonly spec: PairSpec,
    featureParams: FeatureParams,
    readonly kernelParams: KernelParams,
    gate: SessionGate,
    private readonly scorer: Scorer,
    private readonly barMs: number,
  ) {
    this.features = new PairFeatureState(featureParams);
    this.kernel = new PairKernel(spec, kernelParams, gate);
  }

  /** Features → observe → score → decide at the bar's close. Returns the kernel's action object (reused). */
  async step(b: LiveBar, ops: OpsState): Promise<PairAction> {
    this.lastBar = b;
    const row = this.row;
    const valid = this.features.update(b.tsMs, b.highA, b.lowA, b.closeA, b.highB, b.lowB, b.closeB, row);
    const k = this.bar;
    k.tsMs = b.tsMs;
    k.closeMs = b.tsMs + this.barMs;
    k.closeA = b.closeA;
    k.closeB = b.closeB;
    k.filled = b.filled;
    k.usdPerQuoteA = b.usdPerQuoteA;
    k.usdPerQuoteB = b.usdPerQuoteB;
    this.kernel.observe(setKernelFeatures(k, row, valid, this.kernelParams.signalZ));
    const t0 = performance.now();
    await this.scorer.scoreRow(row, valid, this.scores);
    this.inferMs = performance.now() - t0;
    k.returnProb = this.scores.returnProb;
    k.riskScore = this.scores.riskScore;
    return this.kernel.decide(k, ops);
  }
}
