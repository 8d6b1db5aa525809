// PBO by CSCV (Bailey, Borwein, López de Prado & Zhu, "The Probability of Backtest Overfitting", J. Computational
// Finance 20(4), 2017) against hand-ranked small cases, a direct recomputation from the raw rows, pure noise
// (PBO ≈ 0.5) and a dominant trial (PBO ≈ 0).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/rng.js';
import { probabilityOfBacktestOverfitting } from '../../../src/backtest/kpis/index.js';

/** N columns of T i.i.d. normal daily returns (σ = 1%), column 0 with an extra daily drift. */
function noise(seed: number, n: number, t: number, drift0 = 0): Float64Array[] {
  const rng = new SeededRng(seed);
  return Array.from({ length: n }, (_, j) =>
    Float64Array.from({ length: t }, () => 0.01 * rng.gaussian() + (j === 0 ? drift0 : 0)),
  );
}

describe('probabilityOfBacktestOverfitting: hand-ranked cases (S = 4, one period per block)', () => {
  // Periods = blocks 0..3. A = 4, 0, 1, 0; B = 0, 3, 0, 2; C = 1, 1, 2, 1 (every total is 5).
  // With the mean metric each half has two periods, so ranks follow the sums. Masks in Gosper order:
  //   IS {0,1}: A 4, B 3, C 2 → n* = A; OOS {2,3}: A 1, B 2, C 3 → A is rank 1 of 3.
  //   IS {0,2}: A 5, B 0, C 3 → A;      OOS {1,3}: A 0, B 5, C 2 → rank 1.
  //   IS {1,2}: A 1, B 3, C 3 → B (first of the tie); OOS {0,3}: A 4, B 2, C 2 → B ties C: rank 1 + ½ = 1.5.
  //   IS {0,3}: A 4, B 2, C 2 → A;      OOS {1,2}: A 1, B 3, C 3 → rank 1.
  //   IS {1,3}: A 0, B 5, C 2 → B;      OOS {0,2}: A 5, B 0, C 3 → rank 1.
  //   IS {2,3}: A 1, B 2, C 3 → C;      OOS {0,1}: A 4, B 3, C 2 → rank 1.
  // Equal totals make the IS winner the OOS loser: ω = 1/4 (λ = ln(1/3)) five times and ω = 1.5/4
  // (λ = ln(0.6)) once, so PBO = 6/6 = 1.
  const a = [4, 0, 1, 0];
  const b = [0, 3, 0, 2];
  const c = [1, 1, 2, 1];

  it('anti-persistent trials: PBO = 1 with the hand logits', () => {
    const r = probabilityOfBacktestOverfitting([a, b, c], { blocks: 4, metric: 'mean' });
    expect(r.combinations).toBe(6);
    expect(r.pbo).toBe(1);
    const third = Math.log(1 / 3);
    const want = [third, third, Math.log(0.6), third, third, third];
    Array.from(r.logits).forEach((l, i) => expect(l).toBeCloseTo(want[i]!, 14));
    // In-sample best performance (mean of two periods) and its OOS mean, per combination.
    expect(Array.from(r.isPerformance)).toEqual([2, 2.5, 1.5, 2, 2.5, 1.5]);
    expect(Array.from(r.oosPerformance)).toEqual([0.5, 0, 1, 0.5, 0, 1]);
    expect(r.medianOosRank).toBe(0.25);
    expect(r.probabilityOfOosLoss).toBe(0);
  });

  it('adding D = 3, 3, 3, 3 (IS 6 and OOS 6 in every split, above every other sum ≤ 5): PBO = 0, λ = ln 4', () => {
    // D is rank 4 of 4 out of sample: ω = 4/5, λ = ln(0.8/0.2) = ln 4, every time.
    const d = [3, 3, 3, 3];
    const r = probabilityOfBacktestOverfitting([a, b, c, d], { blocks: 4, metric: 'mean' });
    expect(r.pbo).toBe(0);
    for (const l of r.logits) expect(l).toBeCloseTo(Math.log(4), 14);
    expect(r.medianOosRank).toBe(0.8);
    // (With the Sharpe metric D's zero spread makes it +Infinity, but so is C on IS {0,1} = 1, 1: a tie.)
  });

  it('zero spread and zero mean (a trial that never trades) scores 0, between losers and winners', () => {
    // Z never trades; W earns +1 in blocks 0,1 and −1 in blocks 2,3 with spread; L always loses.
    const z = [0, 0, 0, 0, 0, 0, 0, 0];
    const w = [1, 2, 1, 2, -1, -2, -1, -2];
    const l = [-1, -2, -1, -2, -1, -2, -1, -2];
    // IS {0,1} (periods 0..3): W Sharpe > 0 = Z > L → n* = W; OOS {2,3}: W < 0, Z = 0, L < 0 with
    // W = L (same values) → W ties L below Z: rank 1 + ½ = 1.5, ω = 1.5/4.
    const r = probabilityOfBacktestOverfitting([z, w, l], { blocks: 4 });
    expect(r.logits[0]).toBeCloseTo(Math.log(1.5 / 2.5), 14);
    // IS {2,3}: Z = 0 is best (W, L < 0) → OOS {0,1}: W > Z > L → Z is rank 2 of 3: ω = ½, λ = 0 (counted).
    expect(r.logits[5]).toBe(0);
  });
});

/** Reference: every combination recomputed from the raw rows (two-pass mean and std), no shared sums. */
function naivePbo(columns: Float64Array[], s: number): number[] {
  const t = columns[0]!.length;
  const blockOf = (i: number): number => {
    for (let b = 0; b < s; b++) if (i < Math.floor(((b + 1) * t) / s)) return b;
    return s - 1;
  };
  const sharpe = (x: number[]): number => {
    const m = x.reduce((p, q) => p + q, 0) / x.length;
    const sd = Math.sqrt(x.reduce((p, q) => p + (q - m) ** 2, 0) / x.length);
    return m / sd;
  };
  const logits: number[] = [];
  for (let mask = 0; mask < 1 << s; mask++) {
    let bits = 0;
    for (let b = 0; b < s; b++) if (mask & (1 << b)) bits++;
    if (bits !== s / 2) continue;
    const split = (col: Float64Array, inSample: boolean): number[] =>
      Array.from(col).filter((_, i) => Boolean(mask & (1 << blockOf(i))) === inSample);
    const is = columns.map((col) => sharpe(split(col, true)));
    const oos = columns.map((col) => sharpe(split(col, false)));
    const best = is.indexOf(Math.max(...is));
    const rank = oos.filter((v) => v < oos[best]!).length + 1;
    const omega = rank / (columns.length + 1);
    logits.push(Math.log(omega / (1 - omega)));
  }
  return logits;
}

describe('probabilityOfBacktestOverfitting: agrees with a direct recomputation', () => {
  it('random matrices, S ∈ {2, 4, 6, 8}, T not a multiple of S', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 2, max: 7 }),
        fc.constantFrom(2, 4, 6, 8),
        fc.integer({ min: 0, max: 30 }),
        (seed, n, s, extra) => {
          const columns = noise(seed, n, s * 3 + extra);
          const r = probabilityOfBacktestOverfitting(columns, { blocks: s });
          const want = naivePbo(columns, s);
          expect(r.combinations).toBe(want.length);
          want.forEach((l, i) => expect(r.logits[i]).toBeCloseTo(l, 10));
          expect(r.pbo).toBe(want.filter((l) => l <= 0).length / want.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('scaling a trial by a positive constant or permuting trials leaves the Sharpe-based PBO unchanged', () => {
    const columns = noise(11, 12, 200);
    const base = probabilityOfBacktestOverfitting(columns, { blocks: 8 });
    const scaled = columns.map((col, j) => col.map((x) => x * (1 + j)));
    expect(probabilityOfBacktestOverfitting(scaled, { blocks: 8 }).pbo).toBe(base.pbo);
    expect(probabilityOfBacktestOverfitting([...columns].reverse(), { blocks: 8 }).pbo).toBe(base.pbo);
  });
});

describe('probabilityOfBacktestOverfitting: noise and skill', () => {
  it('pure noise: N = 50, T = 800, S = 16, mean PBO over 30 seeds within 0.1 of 0.5', () => {
    // With exchangeable trials the IS winner's OOS rank is uniform on 1..50 and λ ≤ 0 ⇔ rank ≤ 25, so
    // E[PBO] = 0.5 exactly. One seed's PBO has a spread of about 0.18 (measured over 100 seeds: 0.14–0.92),
    // since the 12870 splits share data; over 30 seeds the mean's spread is about 0.033, so 0.1 is three of them.
    let total = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const r = probabilityOfBacktestOverfitting(noise(seed, 50, 800));
      expect(r.combinations).toBe(12870);
      total += r.pbo;
    }
    expect(Math.abs(total / 30 - 0.5)).toBeLessThan(0.1);
  });

  it('one trial dominant in every block (drift 0.3% a day on 1% noise): PBO < 0.05, selected trial best OOS', () => {
    const r = probabilityOfBacktestOverfitting(noise(3, 50, 800, 0.003));
    expect(r.pbo).toBeLessThan(0.05);
    expect(r.medianOosRank).toBeCloseTo(50 / 51, 14);
    expect(r.probabilityOfOosLoss).toBe(0);
  });

  it('a weaker edge (0.1% a day) still lowers PBO below the noise level', () => {
    expect(probabilityOfBacktestOverfitting(noise(3, 50, 800, 0.001)).pbo).toBeLessThan(0.45);
  });
});

describe('probabilityOfBacktestOverfitting: refusals', () => {
  const columns = noise(1, 3, 40);
  it.each([15, 0, -2, 2.5, 26])('S = %d refused', (blocks) => {
    expect(() => probabilityOfBacktestOverfitting(columns, { blocks })).toThrow(RangeError);
  });
  it('T < S, one trial, ragged columns and non-finite returns refused', () => {
    expect(() => probabilityOfBacktestOverfitting(noise(1, 3, 15))).toThrow(/T = 15 < S = 16/);
    expect(() => probabilityOfBacktestOverfitting(noise(1, 1, 40))).toThrow(RangeError);
    expect(() => probabilityOfBacktestOverfitting([new Float64Array(40), new Float64Array(39)])).toThrow(RangeError);
    const bad = noise(1, 2, 40);
    bad[1]![7] = Number.NaN;
    expect(() => probabilityOfBacktestOverfitting(bad)).toThrow(/non-finite return at period 7/);
  });
  it('T = S and S = 16 run (one period per block)', () => {
    expect(probabilityOfBacktestOverfitting(noise(1, 3, 16)).combinations).toBe(12870);
  });
});
