// TPE sampler (src/optimize/tpe/): it must beat random search at equal budget, be reproducible from its
// seed, stay on its bounds and grid, prefer feasible trials, and stop on patience.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalCdf } from '../../src/backtest/kpis/normalCdf.js';
import { SeededRng } from '../../src/core/rng.js';
import {
  ParzenEstimator,
  TpeSampler,
  bandwidths,
  defaultGamma,
  defaultWeights,
  runTpe,
  searchSpace,
  splitTrials,
  type TpeOptions,
  type TpeTrial,
  type TrialOutcome,
} from '../../src/optimize/tpe/index.js';
import { logGaussMass } from '../../src/optimize/tpe/truncatedNormal.js';

type Params = Readonly<Record<string, number>>;

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
const BUDGET = 60;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Random search is the same sampler that never leaves its seeded uniform startup phase. */
function search(options: TpeOptions, objective: (p: Params) => TrialOutcome, random: boolean): TpeTrial | undefined {
  const sampler = new TpeSampler({ ...options, nStartup: random ? Infinity : options.nStartup });
  return runTpe(objective, sampler, { trials: BUDGET, patience: Infinity }).best;
}

// Branin-Hoo: three global minima of 0.397887 on x1 ∈ [−5, 10], x2 ∈ [0, 15].
function branin(p: Params): number {
  const x1 = p.x1!;
  const x2 = p.x2!;
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}
const BRANIN_MIN = 0.397887;

// A quadratic whose optimum is narrow against the box: a 20 × 20 square, curvature 25× steeper in y.
const quadratic = (p: Params): number => (p.x! - 1.7) ** 2 + 25 * (p.y! + 2.3) ** 2;

describe('TPE against random search (median regret over 20 seeds, 60 trials each)', () => {
  it('wins on Branin', () => {
    const options: TpeOptions = {
      space: [
        { name: 'x1', low: -5, high: 10 },
        { name: 'x2', low: 0, high: 15 },
      ],
      direction: 'minimize',
      seed: 0,
    };
    const regret = (random: boolean): number =>
      median(
        SEEDS.map((seed) => search({ ...options, seed }, (p) => ({ value: branin(p), feasible: true }), random)!.value),
      ) - BRANIN_MIN;
    const tpe = regret(false);
    const random = regret(true);
    // At the time of writing: TPE 0.109, random 0.599.
    expect(tpe).toBeLessThan(random / 2);
  });

  it('wins on a 2-D quadratic with a narrow optimum, univariate and multivariate', () => {
    const options: TpeOptions = {
      space: [
        { name: 'x', low: -10, high: 10 },
        { name: 'y', low: -10, high: 10 },
      ],
      direction: 'minimize',
      seed: 0,
    };
    const regret = (random: boolean, multivariate = false): number =>
      median(
        SEEDS.map(
          (seed) =>
            search({ ...options, seed, multivariate }, (p) => ({ value: quadratic(p), feasible: true }), random)!.value,
        ),
      );
    const random = regret(true);
    // At the time of writing: TPE 1.57 (multivariate 0.58), random 5.65.
    expect(regret(false)).toBeLessThan(random / 2);
    expect(regret(false, true)).toBeLessThan(random / 2);
  });

  it('finds better feasible trials when the optimum sits on a hard constraint (maximising)', () => {
    // Maximise −((x−0.8)² + (y−0.8)²) subject to x + y ≤ 1.2: the free optimum is infeasible, the
    // constrained one is (0.6, 0.6) with value −0.08.
    const objective = (p: Params): TrialOutcome => {
      const excess = p.x! + p.y! - 1.2;
      return { value: -((p.x! - 0.8) ** 2 + (p.y! - 0.8) ** 2), feasible: excess <= 0, violation: excess };
    };
    const options: TpeOptions = {
      space: [
        { name: 'x', low: 0, high: 1 },
        { name: 'y', low: 0, high: 1 },
      ],
      direction: 'maximize',
      seed: 0,
    };
    const regrets = (random: boolean): number[] =>
      SEEDS.map((seed) => {
        const best = search({ ...options, seed }, objective, random)!;
        expect(best.feasible).toBe(true);
        expect(best.params.x! + best.params.y!).toBeLessThanOrEqual(1.2);
        return -0.08 - best.value;
      });
    const tpe = median(regrets(false));
    const random = median(regrets(true));
    // At the time of writing: TPE 0.0109, random 0.0342.
    expect(tpe).toBeLessThan(random);
  });
});

describe('TpeSampler', () => {
  const space = [
    { name: 'theta1', low: 0.6, high: 0.85, step: 0.02 },
    { name: 'theta2', low: 0.2, high: 0.45, step: 0.02 },
  ];
  const bowl = (p: Params): TrialOutcome => ({
    value: -((p.theta1! - 0.7) ** 2) - (p.theta2! - 0.3) ** 2,
    feasible: true,
  });
  const history = (seed: number): Params[] => {
    const sampler = new TpeSampler({ space, direction: 'maximize', seed });
    return runTpe(bowl, sampler, { trials: 40, patience: Infinity }).trials.map((t) => t.params);
  };

  it('gives the same trials for the same seed and different trials for another seed', () => {
    expect(history(7)).toEqual(history(7));
    expect(history(7)).not.toEqual(history(8));
    // Past the 10 startup trials too, so the Parzen stage is reproducible, not only the uniform one.
    expect(history(7).slice(10)).not.toEqual(history(8).slice(10));
  });

  it('keeps every trial inside the bounds and on the step grid (the top lowered to the last grid point)', () => {
    expect(searchSpace(space).map((p) => p.high)).toEqual([0.84, 0.44]);
    for (const seed of [1, 2, 3]) {
      for (const params of history(seed)) {
        for (const p of searchSpace(space)) {
          const v = params[p.name]!;
          expect(v).toBeGreaterThanOrEqual(p.low);
          expect(v).toBeLessThanOrEqual(p.high);
          const k = (v - p.low) / p.step;
          expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-9);
          expect(v).toBe(Number.parseFloat(v.toPrecision(12)));
        }
      }
    }
  });

  it('refuses empty ranges, bad steps and trials told outside the space', () => {
    expect(() => new TpeSampler({ space: [], direction: 'maximize', seed: 1 })).toThrow(/no parameter/);
    expect(() => new TpeSampler({ space: [{ name: 'a', low: 1, high: 1 }], direction: 'maximize', seed: 1 })).toThrow(
      /empty range/,
    );
    expect(
      () => new TpeSampler({ space: [{ name: 'a', low: 0, high: 1, step: 2 }], direction: 'maximize', seed: 1 }),
    ).toThrow(/wider than the range/);
    const sampler = new TpeSampler({ space, direction: 'maximize', seed: 1 });
    expect(() => sampler.tell({ theta1: 0.9, theta2: 0.3 }, { value: 1, feasible: true })).toThrow(/outside/);
    expect(() => sampler.tell({ theta1: 0.7, theta2: 0.3 }, { value: 1, feasible: false, violation: 0 })).toThrow(
      /violation > 0/,
    );
  });

  it('reports the least-violating trial as best when nothing is feasible', () => {
    const sampler = new TpeSampler({ space, direction: 'maximize', seed: 1 });
    sampler.tell({ theta1: 0.6, theta2: 0.2 }, { value: 5, feasible: false, violation: 3 });
    sampler.tell({ theta1: 0.7, theta2: 0.2 }, { value: 1, feasible: false, violation: 0.5 });
    sampler.tell({ theta1: 0.8, theta2: 0.2 }, { value: 9, feasible: false });
    expect(sampler.best()!.params.theta1).toBe(0.7);
    sampler.tell({ theta1: 0.62, theta2: 0.2 }, { value: -4, feasible: true });
    expect(sampler.best()!.params.theta1).toBe(0.62);
  });
});

describe('splitTrials (the γ split)', () => {
  const trial = (number: number, value: number, feasible = true, violation = 0): TpeTrial => ({
    number,
    params: { x: number },
    value,
    feasible,
    violation: feasible ? 0 : violation,
  });

  it("takes Optuna's γ(n) = min(ceil(0.1·n), 25)", () => {
    expect([0, 1, 10, 11, 100, 250, 251, 1000].map(defaultGamma)).toEqual([0, 1, 1, 2, 10, 25, 25, 25]);
  });

  it('puts the best feasible trials below, then the least-violating infeasible ones, each list in trial order', () => {
    const trials = [trial(0, 3), trial(1, 9, false, 0.4), trial(2, 7), trial(3, 1, false, 0.1), trial(4, 5)];
    const numbers = (ts: TpeTrial[]): number[] => ts.map((t) => t.number);
    const max2 = splitTrials(trials, 2, 'maximize');
    expect(numbers(max2.below)).toEqual([2, 4]);
    expect(numbers(max2.above)).toEqual([0, 1, 3]);
    expect(numbers(splitTrials(trials, 2, 'minimize').below)).toEqual([0, 4]);
    // Only three are feasible: the fourth "good" slot goes to the smaller violation (trial 3, not 1).
    expect(numbers(splitTrials(trials, 4, 'maximize').below)).toEqual([0, 2, 3, 4]);
  });
});

describe('Parzen estimator', () => {
  it("computes Optuna's bandwidths (hand-worked)", () => {
    // Sorted with the bounds: 0 | 0.2 0.5 0.6 | 1. Ends look inwards: 0.3 and 0.1; the middle takes
    // max(0.3, 0.1) = 0.3; then clip to [1/min(100, 3 + 2), 1] = [0.2, 1]. Input order is kept.
    expect(Array.from(bandwidths([0.6, 0.2, 0.5], 0, 1)).map((s) => +s.toFixed(12))).toEqual([0.2, 0.3, 0.3]);
    // One observation: max distance to a bound, 0.9, above the clip floor 1/3.
    expect(Array.from(bandwidths([0.9], 0, 1)).map((s) => +s.toFixed(12))).toEqual([0.9]);
  });

  it("weights observations like Optuna's default_weights", () => {
    expect(defaultWeights(3)).toEqual([1, 1, 1]);
    const w = defaultWeights(27);
    expect(w.slice(0, 2)).toEqual([1 / 27, 1]);
    expect(w.slice(2)).toEqual(new Array(25).fill(1));
  });

  it('is a density: integrates to 1 when continuous, sums to 1 over the grid when stepped', () => {
    const rng = new SeededRng(3);
    const obs = Array.from({ length: 12 }, () => [0.2 + 0.5 * rng.next()]);
    const continuous = new ParzenEstimator(searchSpace([{ name: 'a', low: 0, high: 1 }]), obs, 1);
    const n = 20_000;
    const xs = Array.from({ length: n + 1 }, (_, i) => [i / n]);
    const pdf = Array.from(continuous.logPdf(xs), Math.exp);
    const integral = pdf.reduce((s, v, i) => s + (i === 0 || i === n ? v / 2 : v), 0) / n;
    expect(integral).toBeCloseTo(1, 6);

    const stepped = searchSpace([{ name: 'a', low: 0.6, high: 0.84, step: 0.02 }]);
    const grid = Array.from({ length: 13 }, (_, k) => [Number.parseFloat((0.6 + 0.02 * k).toPrecision(12))]);
    const pmf = new ParzenEstimator(stepped, [[0.62], [0.7], [0.84]], 1).logPdf(grid);
    expect(Array.from(pmf, Math.exp).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  it('computes log Gaussian masses without cancellation, in the tails too', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -8, max: 8, noNaN: true }),
        fc.double({ min: 0.001, max: 8, noNaN: true }),
        (a, w) => {
          const b = a + w;
          expect(Math.exp(logGaussMass(a, b))).toBeCloseTo(normalCdf(b) - normalCdf(a), 12);
        },
      ),
    );
    // Φ(−10) = 7.619853024160527e-24; log = −53.23128515051247 (the mass above 10, as far as 40).
    expect(logGaussMass(10, 40)).toBeCloseTo(-53.23128515051247, 10);
    expect(logGaussMass(-40, -10)).toBeCloseTo(-53.23128515051247, 10);
    expect(logGaussMass(-1, 1)).toBeCloseTo(Math.log(0.6826894921370859), 14);
  });
});

describe('runTpe', () => {
  const space = [
    { name: 'a', low: 0, high: 1 },
    { name: 'b', low: 0, high: 1 },
  ];

  it(`stops after 'patience' trials in a row without a new best`, () => {
    // The first 20 evaluations each improve (values 19, 18, …, 0); then nothing does: 20 + 15 trials.
    let calls = 0;
    const improvingThenFlat = (): TrialOutcome => ({ value: Math.max(0, 20 - ++calls), feasible: true });
    const sampler = new TpeSampler({ space, direction: 'minimize', seed: 5 });
    const run = runTpe(improvingThenFlat, sampler, { trials: 100, patience: 15 });
    expect(run.tpeTrials).toBe(35);
    expect(run.stoppedEarly).toBe(true);
    expect(run.best!.value).toBe(0);

    // A grid best that TPE cannot beat: exactly `patience` trials, none an improvement.
    const seeded = new TpeSampler({ space, direction: 'minimize', seed: 5 });
    const initial = [{ params: { a: 0.5, b: 0.5 }, outcome: { value: -1, feasible: true } }];
    const flat = runTpe(() => ({ value: 0, feasible: true }), seeded, { trials: 100, initial });
    expect(flat.tpeTrials).toBe(15);
    expect(flat.trials).toHaveLength(16);
    expect(flat.best!.number).toBe(0);
    // With a floor of min trials, patience stops the run only after it.
    const floor = runTpe(
      () => ({ value: 0, feasible: true }),
      new TpeSampler({ space, direction: 'minimize', seed: 5 }),
      {
        trials: 100,
        initial,
        minTrials: 40,
      },
    );
    expect(floor.tpeTrials).toBe(40);

    const full = runTpe(improvingThenFlat, new TpeSampler({ space, direction: 'minimize', seed: 5 }), {
      trials: 10,
    });
    expect(full.stoppedEarly).toBe(false);
  });

  it('seeds TPE with the initial (grid) trials: its first proposals land nearer the good grid points', () => {
    // A 5×5 grid of the quadratic on [0, 1]² with optimum (0.8, 0.2); the grid counts towards nStartup,
    // so the first proposal is already TPE's. Compared with the first uniform draw of random search.
    const f = (p: Params): number => (p.a! - 0.8) ** 2 + (p.b! - 0.2) ** 2;
    const grid = [0, 0.25, 0.5, 0.75, 1].flatMap((a) =>
      [0, 0.25, 0.5, 0.75, 1].map((b) => ({ params: { a, b }, outcome: { value: f({ a, b }), feasible: true } })),
    );
    const firstDistance = (seed: number, random: boolean): number => {
      const sampler = new TpeSampler({ space, direction: 'minimize', seed, nStartup: random ? Infinity : 10 });
      const run = runTpe((p) => ({ value: f(p), feasible: true }), sampler, { trials: 1, initial: grid });
      return Math.sqrt(f(run.trials[25]!.params));
    };
    expect(median(SEEDS.map((s) => firstDistance(s, false)))).toBeLessThan(
      median(SEEDS.map((s) => firstDistance(s, true))) / 2,
    );
  });

  it('does not evaluate a repeated point twice, but tells it again', () => {
    let calls = 0;
    const sampler = new TpeSampler({
      space: [{ name: 'a', low: 0, high: 0.02, step: 0.01 }],
      direction: 'maximize',
      seed: 2,
    });
    const run = runTpe((p) => ({ value: p.a! + 0 * ++calls, feasible: true }), sampler, { trials: 30, patience: 100 });
    expect(run.tpeTrials).toBe(30);
    expect(run.evaluations).toBe(calls);
    expect(calls).toBeLessThanOrEqual(3);
    expect(run.best!.params.a).toBe(0.02);
  });
});
