// Tree-structured Parzen Estimator sampler, our implementation of Optuna's TPESampler
// (optuna/samplers/_tpe/sampler.py) for one objective over bounded numeric parameters.
import { PtError } from '../../core/ptError.js';
import { SeededRng } from '../../core/rng.js';
import { ParzenEstimator } from './parzenEstimator.js';
import { type SpaceParam, type TpeParam, sampleUniform, searchSpace } from './searchSpace.js';
import { defaultGamma, splitTrials } from './splitTrials.js';
import { type Direction, type TpeTrial, type TrialOutcome, bestTrial } from './tpeTrial.js';

export interface TpeOptions {
  space: readonly TpeParam[];
  /** Explicit on purpose: pt maximises the SPEC §6 score; the benchmarks minimise. */
  direction: Direction;
  seed: number;
  /** Random (seeded, uniform) trials before the Parzen estimators take over. Optuna: 10. */
  nStartup?: number;
  /** Draws from l(x) per ask, of which the best l/g wins. Optuna: 24. */
  nEiCandidates?: number;
  /** How many of n told trials are "good". Optuna: min(ceil(0.1·n), 25). */
  gamma?: (n: number) => number;
  /** Weight of the prior kernel. Optuna: 1. */
  priorWeight?: number;
  /**
   * false (Optuna's default): each parameter has its own 1-D estimators and candidates (independent,
   * univariate TPE). true: one joint estimator whose kernels span all parameters (multivariate TPE).
   */
  multivariate?: boolean;
}

export class TpeSampler {
  readonly direction: Direction;
  readonly space: readonly SpaceParam[];
  private readonly rng: SeededRng;
  private readonly nStartup: number;
  private readonly nEiCandidates: number;
  private readonly gamma: (n: number) => number;
  private readonly priorWeight: number;
  private readonly multivariate: boolean;
  private readonly told: TpeTrial[] = [];

  constructor(options: TpeOptions) {
    this.space = searchSpace(options.space);
    this.direction = options.direction;
    this.rng = new SeededRng(options.seed);
    this.nStartup = options.nStartup ?? 10;
    this.nEiCandidates = options.nEiCandidates ?? 24;
    this.gamma = options.gamma ?? defaultGamma;
    this.priorWeight = options.priorWeight ?? 1;
    this.multivariate = options.multivariate ?? false;
    if (!(this.nEiCandidates >= 1) || !(this.priorWeight > 0) || !(this.nStartup >= 0)) {
      throw new PtError('CORE_CONFIG_INVALID', 'TPE needs nEiCandidates ≥ 1, priorWeight > 0 and nStartup ≥ 0', {
        source: 'optimize',
      });
    }
  }

  /** Every told trial, in order. */
  get trials(): readonly TpeTrial[] {
    return this.told;
  }

  /** The best feasible trial, or the least-violating one when none is feasible. */
  best(): TpeTrial | undefined {
    return bestTrial(this.told, this.direction);
  }

  /** The next parameters to evaluate: uniform while fewer than nStartup trials are told, else TPE. */
  ask(): Record<string, number> {
    const values =
      this.told.length < this.nStartup ? this.space.map((p) => sampleUniform(p, this.rng)) : this.sampleTpe();
    return Object.fromEntries(this.space.map((p, d) => [p.name, values[d]!]));
  }

  /** Records a finished trial (from ask(), or evaluated elsewhere, e.g. the grid stage). */
  tell(params: Readonly<Record<string, number>>, outcome: TrialOutcome): TpeTrial {
    for (const p of this.space) {
      const v = params[p.name];
      if (v === undefined || !Number.isFinite(v) || v < p.low - 1e-9 || v > p.high + 1e-9) {
        throw new PtError('CORE_INTERNAL_BUG', `TPE told ${p.name}=${v}, outside [${p.low}, ${p.high}]`, {
          source: 'optimize',
        });
      }
    }
    const violation = outcome.feasible ? 0 : (outcome.violation ?? Infinity);
    if (!outcome.feasible && !(violation > 0)) {
      throw new PtError('CORE_INTERNAL_BUG', `an infeasible trial needs a violation > 0, got ${violation}`, {
        source: 'optimize',
      });
    }
    const trial: TpeTrial = {
      number: this.told.length,
      params: Object.fromEntries(this.space.map((p) => [p.name, params[p.name]!])),
      value: outcome.value,
      feasible: outcome.feasible,
      violation,
    };
    this.told.push(trial);
    return trial;
  }

  private sampleTpe(): number[] {
    const { below, above } = splitTrials(this.told, this.gamma(this.told.length), this.direction);
    const rows = (ts: TpeTrial[], params: readonly SpaceParam[]): number[][] =>
      ts.map((t) => params.map((p) => t.params[p.name]!));
    const pick = (params: readonly SpaceParam[]): number[] => {
      const l = new ParzenEstimator(params, rows(below, params), this.priorWeight);
      const g = new ParzenEstimator(params, rows(above, params), this.priorWeight);
      const candidates = l.sample(this.rng, this.nEiCandidates);
      const logL = l.logPdf(candidates);
      const logG = g.logPdf(candidates);
      let bestIndex = 0;
      for (let i = 1; i < candidates.length; i++) {
        if (logL[i]! - logG[i]! > logL[bestIndex]! - logG[bestIndex]!) bestIndex = i;
      }
      return candidates[bestIndex]!;
    };
    if (this.multivariate) return pick(this.space);
    return this.space.map((p) => pick([p])[0]!);
  }
}
