// Φ⁻¹ against reference quantiles, and the Deflated Sharpe Ratio against hand arithmetic of the formula in
// Bailey & López de Prado (2014), "The Deflated Sharpe Ratio: Correcting for Selection Bias, Backtest
// Overfitting and Non-Normality", Journal of Portfolio Management 40(5), 94–107, including its numerical example.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deflatedSharpe,
  EULER_MASCHERONI,
  expectedMaxSharpe,
  inverseNormalCdf,
  normalCdf,
  probabilisticSharpe,
  returnMoments,
  trialSharpeVariance,
} from '../../../src/backtest/kpis/index.js';

describe('inverseNormalCdf', () => {
  // Reference quantiles: √2·erfinv(2p − 1) at 30 significant digits (mpmath), rounded to doubles.
  const known: [number, number][] = [
    [0.5, 0],
    [0.975, 1.9599639845400542],
    [0.025, -1.9599639845400542],
    [0.99, 2.326347874040841],
    [0.9, 1.2815515655446004],
    [0.3, -0.5244005127080407],
    [1e-10, -6.361340902404056],
    [1 - 1 / (100 * Math.E), 2.6802104449668827],
  ];
  it.each(known)('Φ⁻¹(%d) within 1e-14 relative (Acklam alone is 1e-9)', (p, want) => {
    expect(Math.abs(inverseNormalCdf(p) - want)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(want)));
  });

  it('edges: ∓Infinity at 0 and 1, NaN outside [0, 1]', () => {
    expect(inverseNormalCdf(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(inverseNormalCdf(1)).toBe(Number.POSITIVE_INFINITY);
    expect(inverseNormalCdf(-0.1)).toBeNaN();
    expect(inverseNormalCdf(1.1)).toBeNaN();
    expect(inverseNormalCdf(Number.NaN)).toBeNaN();
  });

  it('round trip Φ(Φ⁻¹(p)) = p in relative terms, deep into the lower tail, and odd symmetry', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 0.5, noNaN: true }), (p) => {
        // Φ's relative slope is about |x| in the tail, so one rounding of x costs ~x²·ε relative in Φ(x);
        // Φ itself (erfc) is good to ~1e-14 relative, seen up to 1.2e-14·x²·p: the bound leaves 8× room.
        const x = inverseNormalCdf(p);
        expect(Math.abs(normalCdf(x) - p)).toBeLessThanOrEqual(1e-13 * Math.max(1, x * x) * p);
        // Odd symmetry where 1 − p is not rounded to 1.
        if (p > 1e-15) expect(Math.abs(inverseNormalCdf(1 - p) + inverseNormalCdf(1 - (1 - p)))).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('is increasing', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }),
        fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }),
        (a, b) => {
          fc.pre(a < b);
          expect(inverseNormalCdf(a)).toBeLessThanOrEqual(inverseNormalCdf(b));
        },
      ),
    );
  });
});

describe('returnMoments', () => {
  it('hand-computed: r = 2, 2, 2, 2, 2, −4 (%)', () => {
    // mean = 6/6 = 1; deviations 1, 1, 1, 1, 1, −5.
    // Σd² = 5 + 25 = 30, Σd³ = 5 − 125 = −120, Σd⁴ = 5 + 625 = 630 → m2 = 5, m3 = −20, m4 = 105.
    // std (ddof 1) = √(30/5) = √6 → SR̂ = 1/√6 = 0.408248290…; skew = −20/5^1.5 = −1.788854382;
    // kurt = 105/25 = 4.2. (Units cancel: every ratio has the same power of 0.01 above and below.)
    const m = returnMoments([0.02, 0.02, 0.02, 0.02, 0.02, -0.04]);
    expect(m.srHat).toBeCloseTo(1 / Math.sqrt(6), 12);
    expect(m.skew).toBeCloseTo(-20 / Math.pow(5, 1.5), 12);
    expect(m.kurt).toBeCloseTo(4.2, 12);
    expect(m.t).toBe(6);
  });

  it('NaN for a constant series or fewer than two returns', () => {
    expect(returnMoments([0.01, 0.01, 0.01]).srHat).toBeNaN();
    expect(returnMoments([0.01]).srHat).toBeNaN();
    expect(deflatedSharpe([0.01, 0.01, 0.01], { n: 5, v: 0.01 }).dsr).toBeNaN();
  });
});

describe('deflatedSharpe', () => {
  it('hand arithmetic of the paper formula: r = 2, 2, 2, 2, 2, −4 (%), N = 10, V = 0.01', () => {
    // Moments from the case above: SR̂ = 0.4082482905, γ3 = −1.7888543820, γ4 = 4.2, T = 6.
    // SR0 = √V·((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))), γ = 0.5772156649:
    //   Φ⁻¹(0.9) = 1.2815515655; 1/(10e) = 0.0367879441, Φ⁻¹(0.9632120559) = 1.7892417646;
    //   0.4227843351·1.2815515655 + 0.5772156649·1.7892417646 = 0.5418199 + 1.0327784 = 1.5745983;
    //   SR0 = 0.1·1.5745983 = 0.1574598301.
    // Variance term 1 − γ3·SR̂ + (γ4 − 1)/4·SR̂² = 1 + 0.7302967433 + 0.8·(1/6) = 1.8636300767, √ = 1.3651483717.
    // DSR = Φ((0.4082482905 − 0.1574598301)·√5 / 1.3651483717) = Φ(0.2507884604·2.2360679775/1.3651483717)
    //     = Φ(0.4107832210) = 0.6593842512.
    // PSR = Φ(0.4082482905·2.2360679775/1.3651483717) = Φ(0.6686972260) = 0.7481556813.
    const r = deflatedSharpe([0.02, 0.02, 0.02, 0.02, 0.02, -0.04], { n: 10, v: 0.01 });
    expect(r.sr0).toBeCloseTo(0.157459830135, 10);
    expect(r.dsr).toBeCloseTo(0.659384251182, 9);
    expect(r.psr).toBeCloseTo(0.74815568128, 9);
    expect(r).toMatchObject({ n: 10, v: 0.01, t: 6, kurt: expect.closeTo(4.2, 12) });
  });

  it("the paper's numerical example: annualised SR 2.5, T = 1250 days, N = 100, V = ½ (annualised), γ3 = −3, γ4 = 10 → DSR ≈ 0.9004", () => {
    // Per-day units with 250 days a year, as in the paper: SR̂ = 2.5/√250 = 0.1581138830, V = 0.5/250 = 0.002.
    // SR0 = √0.002·(0.4227843351·Φ⁻¹(0.99) + 0.5772156649·Φ⁻¹(1 − 1/(100e)))
    //     = 0.0447213595·(0.4227843351·2.3263478740 + 0.5772156649·2.6802104450) = 0.0447213595·2.5306270 = 0.1131720
    //     (1.7894 annualised). Variance term 1 + 3·0.1581138830 + (10 − 1)/4·0.025 = 1.5305916490.
    // DSR = Φ((0.1581138830 − 0.1131720019)·√1249 / √1.5305916490) = Φ(1.2838160365) = 0.9003968.
    const r = deflatedSharpe(
      { srHat: 2.5 / Math.sqrt(250), skew: -3, kurt: 10, t: 1250 },
      { n: 100, v: trialSharpeVariance([0, 1], 250) }, // sample variance of {0, 1} is ½ (annualised) → 0.002
    );
    expect(r.v).toBeCloseTo(0.002, 15);
    expect(r.sr0).toBeCloseTo(0.113172001865, 10);
    expect(r.dsr).toBeCloseTo(0.9004, 4);
    expect(r.dsr).toBeCloseTo(0.900396834449, 9);
  });

  it('N = 1: SR0 = 0 and DSR = PSR, whatever V', () => {
    const returns = [0.01, -0.005, 0.02, 0.003, -0.01, 0.015, 0.007];
    const r = deflatedSharpe(returns, { n: 1, v: Number.NaN });
    expect(r.sr0).toBe(0);
    expect(r.dsr).toBe(r.psr);
    expect(r.psr).toBe(probabilisticSharpe(returnMoments(returns), 0));
  });

  it('DSR falls as N grows and as V grows; SR0 rises with both', () => {
    const moments = { srHat: 0.1, skew: -0.5, kurt: 5, t: 500 };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 1e-6, max: 0.05, noNaN: true }),
        (n, extra, v) => {
          const a = deflatedSharpe(moments, { n, v });
          const b = deflatedSharpe(moments, { n: n + extra, v });
          const c = deflatedSharpe(moments, { n: n + extra, v: v * 2 });
          expect(b.sr0).toBeGreaterThan(a.sr0);
          expect(b.dsr).toBeLessThanOrEqual(a.dsr);
          expect(c.sr0).toBeGreaterThan(b.sr0);
          expect(c.dsr).toBeLessThanOrEqual(b.dsr);
          expect(a.dsr).toBeLessThanOrEqual(a.psr);
        },
      ),
    );
  });

  it('expectedMaxSharpe: √V scaling, γ = Euler–Mascheroni, and refusals', () => {
    expect(EULER_MASCHERONI).toBeCloseTo(0.5772156649, 10);
    expect(expectedMaxSharpe(50, 0.04)).toBeCloseTo(2 * expectedMaxSharpe(50, 0.01), 14);
    expect(expectedMaxSharpe(50, 0)).toBe(0);
    expect(() => expectedMaxSharpe(0, 0.01)).toThrow(RangeError);
    expect(() => expectedMaxSharpe(2.5, 0.01)).toThrow(RangeError);
    expect(() => expectedMaxSharpe(10, -1)).toThrow(RangeError);
    expect(() => expectedMaxSharpe(10, Number.NaN)).toThrow(RangeError);
  });

  it('the expected maximum matches a simulated mean of the max of N standard normals within 2%', () => {
    // The paper's approximation of E[max_n Z_n], checked by simulation (N = 100, 4000 draws, fixed LCG seed).
    let state = 12345;
    const uniform = (): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return (state + 0.5) / 4294967296;
    };
    let total = 0;
    for (let k = 0; k < 4000; k++) {
      let best = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < 100; i++) best = Math.max(best, inverseNormalCdf(uniform()));
      total += best;
    }
    expect(Math.abs(total / 4000 / expectedMaxSharpe(100, 1) - 1)).toBeLessThan(0.02);
  });

  it('trialSharpeVariance: ddof 1, per period, skips non-finite Sharpes', () => {
    // Annualised Sharpes 1, 2, 3 → variance 1 → per day 1/252.
    expect(trialSharpeVariance([1, 2, Number.NaN, 3], 252)).toBeCloseTo(1 / 252, 15);
    expect(trialSharpeVariance([1])).toBeNaN();
  });
});
