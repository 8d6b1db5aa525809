import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REFERENCE_PARAMS,
  REFERENCE_FEATURE_NAMES,
  alphaHalfLife,
  alphaSpan,
  betaRawWindow,
  emaSeries,
  median,
  referenceFeatures,
  wilderSeries,
  windowVar,
  type ReferenceInput,
  type ReferenceParams,
} from '../helpers/referenceFeatures.js';

// ---------------------------------------------------------------------------------------------
// Fixtures

/** Tiny windows so every number below can be checked by hand. */
const TINY: ReferenceParams = {
  ...DEFAULT_REFERENCE_PARAMS,
  priceTransform: 'raw',
  W: 5,
  // a = 1 - 2^(-1/Infinity) = 0: beta stays at its seed, the first beta_raw, for ever.
  betaHalfLife: Infinity,
  zClip: 5,
  zEmaHalfLife: 1, // a = 0.5
  atrPeriod: 3,
  slopeWindow: 4,
  emaFast: 3, // a = 0.5
  emaSlow: 5, // a = 1/3
  dzSpeedHalfLife: 1, // a = 0.5
  halfLifeBounds: [1, 240],
};

/**
 * A raw-price pair whose spread is exactly S. For t < W closeA = closeB, so the first beta_raw
 * (the OLS slope of a series on itself, with all-zero residuals, so no Huber switch) is exactly 1;
 * with betaHalfLife = Infinity beta stays 1 and spread_t = closeA_t - closeB_t = S_t.
 */
function pairFromSpread(S: number[], W: number): ReferenceInput {
  const closeB = S.map((_, t) => 100 + t + [0, 3, 1, 4, 2][t % 5]!);
  const closeA = S.map((s, t) => closeB[t]! + (t < W ? 0 : s));
  return {
    ts: S.map((_, t) => t * 3_600_000),
    openA: closeA.slice(),
    highA: closeA.map((c) => c + 1),
    lowA: closeA.map((c) => c - 1),
    closeA,
    openB: closeB.slice(),
    highB: closeB.map((c) => c + 1),
    lowB: closeB.map((c) => c - 1),
    closeB,
  };
}

function col(out: { columns: Record<string, number[]> }, name: string): number[] {
  const c = out.columns[name];
  if (!c) throw new Error(`no column ${name}`);
  return c;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
}

/** Cointegrated log random walk with OHLC (B: random walk, A = 1.3·B + AR(1) noise). */
function randomWalkPair(n: number, seed: number): ReferenceInput {
  const r = lcg(seed);
  const I: ReferenceInput = {
    ts: [],
    openA: [],
    highA: [],
    lowA: [],
    closeA: [],
    openB: [],
    highB: [],
    lowB: [],
    closeB: [],
  };
  let b = 0,
    u = 0,
    pcA = NaN,
    pcB = NaN;
  for (let t = 0; t < n; t++) {
    b += 0.002 * gauss(r);
    u = 0.97 * u + 0.001 * gauss(r);
    const cB = 30 * Math.exp(b),
      cA = 2000 * Math.exp(1.3 * b + u);
    const oA = t ? pcA : cA,
      oB = t ? pcB : cB;
    I.ts.push(t * 3_600_000);
    I.openA.push(oA);
    I.closeA.push(cA);
    I.highA.push(Math.max(oA, cA) * (1 + 0.001 * r()));
    I.lowA.push(Math.min(oA, cA) * (1 - 0.001 * r()));
    I.openB.push(oB);
    I.closeB.push(cB);
    I.highB.push(Math.max(oB, cB) * (1 + 0.001 * r()));
    I.lowB.push(Math.min(oB, cB) * (1 - 0.001 * r()));
    pcA = cA;
    pcB = cB;
  }
  return I;
}

const sampleVar = (xs: number[]): number => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
};

// ---------------------------------------------------------------------------------------------

describe('building blocks', () => {
  it('EMA: a from half-life and span, seeded with the first defined input', () => {
    expect(alphaHalfLife(1)).toBe(0.5);
    expect(alphaHalfLife(2)).toBeCloseTo(1 - Math.SQRT1_2, 15);
    expect(alphaSpan(3)).toBe(0.5);
    expect(alphaSpan(12)).toBeCloseTo(2 / 13, 15);
    const y = emaSeries([NaN, NaN, 1, 3, 2, 6], 0.5);
    expect(y[0]).toBeNaN();
    expect(y[1]).toBeNaN();
    expect(Array.from(y.slice(2))).toEqual([1, 2, 2, 4]);
    // after the seed an undefined input is applied literally and propagates
    const z = emaSeries([1, NaN, 3], 0.5);
    expect(z[0]).toBe(1);
    expect(z[1]).toBeNaN();
    expect(z[2]).toBeNaN();
  });

  it('Wilder: seeded with the simple mean of the first n inputs, then y += (x - y)/n', () => {
    const y = wilderSeries([NaN, 1, 2, 3, 4, 10], 3);
    expect(Array.from(y.slice(0, 3)).every(Number.isNaN)).toBe(true);
    expect(y[3]).toBe(2);
    expect(y[4]).toBeCloseTo(2 + (4 - 2) / 3, 14);
    expect(y[5]).toBeCloseTo(8 / 3 + (10 - 8 / 3) / 3, 14);
    expect(wilderSeries([1, 2], 3).every(Number.isNaN)).toBe(true);
  });

  it('variance uses ddof = 1; median of an even count averages the middle pair', () => {
    expect(windowVar([9, 1, 2, 3, 4, 5], 5, 5)).toBe(2.5); // not 2 (ddof = 0)
    expect(windowVar([1, 2, 3, 4, 5, 9], 4, 5)).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('golden values on a controlled spread (W=5, atr 3, slope 4, ema 3/5, hl 1)', () => {
  //            t: 0  1  2  3  4  5  6  7  8  9 10 11 12
  const S = [0, 0, 0, 0, 0, 1, 3, 2, 2, 5, 4, 6, 3];
  const out = referenceFeatures(pairFromSpread(S, 5), TINY);
  const sp = col(out, 'spread');

  it('beta is exactly 1 from bar W-1 and the spread is the designed one (same-bar beta)', () => {
    expect(col(out, 'beta_raw')[3]).toBeNaN();
    expect(col(out, 'beta_raw')[4]).toBe(1);
    expect(
      col(out, 'beta')
        .slice(4)
        .every((b) => b === 1),
    ).toBe(true);
    expect(sp[3]).toBeNaN();
    expect(sp.slice(4)).toEqual(S.slice(4));
  });

  it('z_raw uses mean and ddof=1 std over W ending at t; z_ema is seeded with the first z', () => {
    const zr = col(out, 'z_raw'),
      z = col(out, 'z'),
      ze = col(out, 'z_ema');
    expect(zr[7]).toBeNaN(); // needs 5 spreads: bars 4..8
    // window [0,1,3,2,2]: mean 1.6, Σd² = 5.2
    const z8 = (2 - 1.6) / Math.sqrt(5.2 / 4);
    expect(zr[8]).toBeCloseTo(z8, 14);
    expect(zr[8]).not.toBeCloseTo((2 - 1.6) / Math.sqrt(5.2 / 5), 6);
    // window [1,3,2,2,5]: mean 2.6, Σd² = 9.2
    const z9 = 2.4 / Math.sqrt(9.2 / 4);
    expect(zr[9]).toBeCloseTo(z9, 14);
    expect(z[9]).toBeCloseTo(z9, 14);
    expect(ze[7]).toBeNaN();
    expect(ze[8]).toBe(z[8]);
    expect(ze[9]).toBeCloseTo(z8 + 0.5 * (z9 - z8), 14);
    expect(col(out, 'delta_z')[8]).toBeNaN();
    expect(col(out, 'delta_z')[9]).toBeCloseTo(z9 - z8, 14);
    expect(col(out, 'abs_delta_z')[9]).toBeCloseTo(Math.abs(z9 - z8), 14);
    const dz = col(out, 'dz_speed');
    expect(dz[8]).toBeNaN();
    expect(dz[9]).toBeCloseTo(Math.abs(z9 - z8), 14);
    const d10 = Math.abs(z[10]! - z[9]!);
    expect(dz[10]).toBeCloseTo(Math.abs(z9 - z8) + 0.5 * (d10 - Math.abs(z9 - z8)), 14);
  });

  it('ema_gap_spread starts at 0 on the first spread bar', () => {
    const g = col(out, 'ema_gap_spread');
    expect(g[3]).toBeNaN();
    expect(g[4]).toBe(0);
    expect(g[5]).toBeCloseTo(0.5 - 1 / 3, 14); // fast 0 + .5·1, slow 0 + 1/3·1
    expect(g[6]).toBeCloseTo(0.5 + 0.5 * 2.5 - (1 / 3 + (3 - 1 / 3) / 3), 14);
  });

  it('abs_delta_S, atr_spread (Wilder seeded from the first 3 |ΔS|) and rsi_spread', () => {
    const ads = col(out, 'abs_delta_S');
    expect(ads[4]).toBeNaN();
    expect(ads.slice(5, 10)).toEqual([1, 2, 1, 0, 3]);
    const atr = col(out, 'atr_spread');
    expect(atr[6]).toBeNaN();
    expect(atr[7]).toBeCloseTo(4 / 3, 14);
    expect(atr[8]).toBeCloseTo(8 / 9, 14);
    expect(atr[9]).toBeCloseTo(43 / 27, 14);
    // ΔS = 1, 2, -1, 0, 3: gains 1,2,0,0,3, losses 0,0,1,0,0
    const rsi = col(out, 'rsi_spread');
    expect(rsi[6]).toBeNaN();
    expect(rsi[7]).toBeCloseTo(75, 12); // 1 / (1/3)
    expect(rsi[8]).toBeCloseTo(75, 12); // (2/3) / (2/9)
    expect(rsi[9]).toBeCloseTo(100 - 100 / (1 + 13 / 9 / (4 / 27)), 12);
  });

  it('slope_spread = OLS slope over 4 bars on x = 0..3, divided by std(S, 5)', () => {
    const ss = col(out, 'slope_spread');
    expect(ss[7]).toBeNaN(); // std(S, 5) is not defined yet
    // S[5..8] = 1,3,2,2: Σdx·dy = 1, Σdx² = 5
    expect(ss[8]).toBeCloseTo(0.2 / Math.sqrt(5.2 / 4), 14);
    const z = col(out, 'z'),
      sz = col(out, 'slope_z');
    expect(sz[10]).toBeNaN();
    const w = z.slice(8, 12);
    const zm = w.reduce((a, b) => a + b, 0) / 4;
    expect(sz[11]).toBeCloseTo(w.reduce((a, v, k) => a + (k - 1.5) * (v - zm), 0) / 5, 14);
  });

  it('half_life: OLS of ΔS_i on S_{i-1} over the W pairs ending at t', () => {
    const hl = col(out, 'half_life');
    expect(hl[8]).toBeNaN(); // needs S_{t-5}
    // pairs (S_{i-1}, ΔS_i), i = 5..9: (0,1) (1,2) (3,-1) (2,0) (2,3): b = -3 / 5.2
    expect(hl[9]).toBeCloseTo(Math.LN2 / (3 / 5.2), 12);
  });

  it('beta_stability is std/|mean| of beta (0 for a constant beta); valid starts at 2(W-1)+(m-1) = 11', () => {
    const bs = col(out, 'beta_stability');
    expect(bs[7]).toBeNaN();
    expect(bs[8]).toBe(0);
    expect(out.valid.indexOf(1)).toBe(11);
    expect(out.valid.slice(11).every((v) => v === 1)).toBe(true);
    expect(col(out, 'vol_ratio_spread')[10]).toBeNaN();
    expect(col(out, 'vol_ratio_spread')[11]).toBeGreaterThan(0);
  });
});

describe('z clipping', () => {
  it('clips at ±zClip and keeps z_raw unclipped (tiny window, zClip = 1)', () => {
    const out = referenceFeatures(pairFromSpread([0, 0, 0, 0, 0, 1, 3, 2, 2, 5], 5), { ...TINY, zClip: 1 });
    expect(col(out, 'z_raw')[9]).toBeCloseTo(2.4 / Math.sqrt(2.3), 14);
    expect(col(out, 'z')[9]).toBe(1);
  });

  it('clips at ±5 with W = 40 (a single spike gives z_raw = 39/√40 ≈ 6.17)', () => {
    const W = 40;
    for (const sign of [1, -1]) {
      const S = new Array<number>(2 * W).fill(0);
      S[2 * W - 1] = sign * 64;
      const out = referenceFeatures(pairFromSpread(S, W), { ...TINY, W });
      const t = 2 * W - 1;
      expect(col(out, 'z_raw')[t]).toBeCloseTo((sign * 39) / Math.sqrt(40), 12);
      expect(col(out, 'z')[t]).toBe(sign * 5);
    }
  });

  it('a constant spread window (std = 0) gives z_raw = NaN, not 0 or ±5', () => {
    const out = referenceFeatures(pairFromSpread(new Array<number>(12).fill(0), 5), TINY);
    expect(col(out, 'spread')[10]).toBe(0);
    expect(col(out, 'z_raw')[10]).toBeNaN();
    expect(col(out, 'z')[10]).toBeNaN();
    expect(out.valid.every((v) => v === 0)).toBe(true);
  });
});

describe('half_life bounds', () => {
  const pad = [0, 0, 0, 0, 0];
  it('b >= 0 gives the upper bound 240', () => {
    const out = referenceFeatures(pairFromSpread([...pad, 1, 2, 4, 8, 16, 32], 5), TINY);
    const hl = col(out, 'half_life');
    expect(hl[9]).toBe(240); // b > 0
    expect(hl[10]).toBe(240); // pairs (1,1) (2,2) (4,4) (8,8) (16,16): b = 1
  });

  it('ln2/(-b) above 240 is clipped to 240, below 1 to 1, and in between is kept', () => {
    // S_i = 0.999·S_{i-1} + 1 → b = -0.001 → ln2/0.001 ≈ 693 → 240
    const slow = [...pad];
    let s = 0;
    for (let k = 0; k < 6; k++) {
      s = 0.999 * s + 1;
      slow.push(s);
    }
    expect(col(referenceFeatures(pairFromSpread(slow, 5), TINY), 'half_life')[10]).toBe(240);
    // alternating: b = -2 → 0.35 → 1
    const alt = col(referenceFeatures(pairFromSpread([...pad, 1, -1, 1, -1, 1, -1], 5), TINY), 'half_life');
    expect(alt[9]).toBe(1);
    expect(alt[10]).toBe(1);
    // S_i = 0.5·S_{i-1} + 1 → b = -0.5 → 2·ln2
    const mid = [...pad];
    s = 0;
    for (let k = 0; k < 6; k++) {
      s = 0.5 * s + 1;
      mid.push(s);
    }
    expect(col(referenceFeatures(pairFromSpread(mid, 5), TINY), 'half_life')[10]).toBeCloseTo(2 * Math.LN2, 10);
  });
});

describe('RSI', () => {
  it('is 100 when the average loss is 0 (rising spread, and a flat one)', () => {
    const up = referenceFeatures(pairFromSpread([0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6], 5), TINY);
    const rsi = col(up, 'rsi_spread');
    expect(rsi[6]).toBeNaN();
    expect(rsi.slice(7)).toEqual([100, 100, 100, 100]);
    const flat = referenceFeatures(pairFromSpread(new Array<number>(10).fill(0), 5), TINY);
    expect(col(flat, 'rsi_spread').slice(7)).toEqual([100, 100, 100]);
  });

  it('is 0 when the average gain is 0 and losses are positive', () => {
    const down = referenceFeatures(pairFromSpread([0, 0, 0, 0, 0, -1, -2, -3, -4], 5), TINY);
    expect(col(down, 'rsi_spread')[7]).toBe(0);
  });
});

describe('leg features from OHLC', () => {
  // TR: bar0 H-L = 2; bar1 max(2, |12-10|, |10-10|) = 2; bar2 max(1, .5, .5) = 1;
  //     bar3 max(2, |14-11|, |12-11|) = 3; bar4 max(5, |13-13|, |8-13|) = 5
  const high = [11, 12, 11.5, 14, 13],
    low = [9, 10, 10.5, 12, 8],
    close = [10, 11, 11, 13, 9];
  const input: ReferenceInput = {
    ts: [0, 1, 2, 3, 4],
    openA: close.slice(),
    highA: high,
    lowA: low,
    closeA: close,
    openB: [5, 7, 6, 9, 8],
    highB: [5, 7, 6, 9, 8],
    lowB: [5, 7, 6, 9, 8],
    closeB: [5, 7, 6, 9, 8],
  };
  const out = referenceFeatures(input, { ...TINY, W: 3 });

  it('atr_A: Wilder(3) of TR with the first TR = H - L', () => {
    const atr = col(out, 'atr_A');
    expect(atr[1]).toBeNaN();
    expect(atr[2]).toBeCloseTo(5 / 3, 14);
    expect(atr[3]).toBeCloseTo(19 / 9, 14);
    expect(atr[4]).toBeCloseTo(83 / 27, 14);
    expect(col(out, 'atr_B')[2]).toBe(1); // H = L = C for B: TR = 0 (H-L), |7-5|, |6-7| → mean 1
    expect(col(out, 'atr_ratio_A')[3]).toBeNaN();
    expect(col(out, 'atr_ratio_A')[4]).toBeCloseTo(83 / 27 / (19 / 9), 14); // median of 5/3, 19/9, 83/27
  });

  it('p, r and rho_rolling (Pearson over W returns)', () => {
    expect(col(out, 'p_A')).toEqual(close);
    expect(col(out, 'r_A')[0]).toBeNaN();
    expect(col(out, 'r_A').slice(1)).toEqual([1, 0, 2, -4]);
    // r_A = 1, 0, 2 and r_B = 2, -1, 3 at bars 1..3
    const a = [1, 0, 2],
      b = [2, -1, 3];
    const ma = 1,
      mb = 4 / 3;
    const sab = a.reduce((s, v, k) => s + (v - ma) * (b[k]! - mb), 0);
    const saa = a.reduce((s, v) => s + (v - ma) ** 2, 0),
      sbb = b.reduce((s, v) => s + (v - mb) ** 2, 0);
    expect(col(out, 'rho_rolling')[2]).toBeNaN();
    expect(col(out, 'rho_rolling')[3]).toBeCloseTo(sab / Math.sqrt(saa * sbb), 14);
    expect(col(out, 'rho_rolling')[3]).toBeCloseTo(4 / Math.sqrt((2 * 78) / 9), 14); // Σda·db = 4, Σda² = 2, Σdb² = 78/9
  });

  it('log transform: p = ln(close), r = log returns', () => {
    const lg = referenceFeatures(input, { ...TINY, W: 3, priceTransform: 'log' });
    expect(col(lg, 'p_B')[3]).toBe(Math.log(9));
    expect(col(lg, 'r_B')[3]).toBe(Math.log(9) - Math.log(6));
    expect(col(lg, 'atr_A')[2]).toBeCloseTo(5 / 3, 14); // leg ATRs stay in raw prices
  });

  it('rejects columns of different lengths', () => {
    expect(() => referenceFeatures({ ...input, closeB: [1, 2] }, TINY)).toThrow(/closeB/);
  });
});

describe('Huber switch', () => {
  // y = 2x + 10 + uniform noise; one gross outlier at bar 30
  const W = 20,
    n = 40;
  const r = lcg(11);
  const x = Array.from({ length: n }, (_, t) => 50 + 3 * Math.sin(t / 3) + 0.1 * t);
  const y = x.map((v) => 2 * v + 10 + (r() - 0.5) * 0.1);
  y[30] = y[30]! + 40;
  const input: ReferenceInput = {
    ts: x.map((_, t) => t),
    openA: y,
    highA: y,
    lowA: y,
    closeA: y,
    openB: x,
    highB: x,
    lowB: x,
    closeB: x,
  };
  const out = referenceFeatures(input, { ...DEFAULT_REFERENCE_PARAMS, priceTransform: 'raw', W });
  const br = col(out, 'beta_raw');

  /** OLS written out independently of the reference. */
  function ols(xs: number[], ys: number[]): { a: number; b: number; e: number[] } {
    const mx = xs.reduce((s, v) => s + v, 0) / xs.length,
      my = ys.reduce((s, v) => s + v, 0) / ys.length;
    let sxy = 0,
      sxx = 0;
    xs.forEach((v, k) => {
      sxy += (v - mx) * (ys[k]! - my);
      sxx += (v - mx) ** 2;
    });
    const b = sxy / sxx,
      a = my - b * mx;
    return { a, b, e: xs.map((v, k) => ys[k]! - a - b * v) };
  }
  const naiveMedian = (xs: number[]): number => {
    const s = [...xs].sort((p, q) => p - q);
    const h = s.length >> 1;
    return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
  };
  const madOf = (e: number[]): number => {
    const m = naiveMedian(e);
    return naiveMedian(e.map((v) => Math.abs(v - m)));
  };

  it('without an outlier in the window beta_raw is the OLS slope', () => {
    const t = 25; // window 6..25
    const f = ols(x.slice(t - W + 1, t + 1), y.slice(t - W + 1, t + 1));
    expect(Math.sqrt(sampleVar(f.e)) / (1.4826 * madOf(f.e))).toBeLessThan(2);
    expect(br[t]).toBeCloseTo(f.b, 12);
  });

  it('with the outlier in the window the Huber slope replaces OLS and moves toward the clean slope 2', () => {
    for (const t of [30, 35, 39]) {
      const xs = x.slice(t - W + 1, t + 1),
        ys = y.slice(t - W + 1, t + 1);
      const f = ols(xs, ys);
      expect(Math.sqrt(sampleVar(f.e)) / (1.4826 * madOf(f.e))).toBeGreaterThan(2);
      expect(Math.abs(br[t]! - 2)).toBeLessThan(Math.abs(f.b - 2) / 5);
      expect(br[t]).toBeCloseTo(2, 1);
      // converged IRLS: (α, β) is a fixed point of one more weighted solve from its own residuals
      const d = betaRawWindow(xs, ys, W, DEFAULT_REFERENCE_PARAMS.huber);
      expect(d.switched).toBe(true);
      expect(d.beta).toBe(br[t]);
      expect(d.solves).toBeGreaterThan(0);
      expect(d.solves).toBeLessThan(50);
      const refBeta = (() => {
        // IRLS written out, run to convergence
        let alpha = f.a,
          beta = f.b;
        for (let k = 0; k < 200; k++) {
          const e = xs.map((v, i) => ys[i]! - alpha - beta * v);
          const scale = madOf(e) / 0.6745;
          const w = e.map((v) => (v === 0 ? 1 : Math.min(1, 1.345 / Math.abs(v / scale))));
          const sw = w.reduce((s, v) => s + v, 0);
          const mx = w.reduce((s, v, i) => s + v * xs[i]!, 0) / sw,
            my = w.reduce((s, v, i) => s + v * ys[i]!, 0) / sw;
          let sxx = 0,
            sxy = 0;
          xs.forEach((v, i) => {
            sxx += w[i]! * (v - mx) ** 2;
            sxy += w[i]! * (v - mx) * (ys[i]! - my);
          });
          beta = sxy / sxx;
          alpha = my - beta * mx;
        }
        return beta;
      })();
      expect(d.beta).toBeCloseTo(refBeta, 8);
    }
  });
});

describe('defaults on a long random walk', () => {
  const N = 20_000;
  const input = randomWalkPair(N, 7);
  const out = referenceFeatures(input);

  it('each feature starts where the windows say, and valid starts at bar 377', () => {
    const first: Record<string, number> = {
      p_A: 0,
      p_B: 0,
      r_A: 1,
      r_B: 1,
      beta_raw: 179,
      beta: 179,
      spread: 179,
      z_raw: 358,
      z: 358,
      z_ema: 358,
      delta_z: 359,
      atr_spread: 193,
      vol_ratio_spread: 372,
      half_life: 359,
      rho_rolling: 180,
      corr_stability: 359,
      beta_stability: 358,
      atr_A: 13,
      atr_B: 13,
      atr_ratio_A: 192,
      atr_ratio_B: 192,
      ema_gap_spread: 179,
      slope_spread: 358,
      rsi_spread: 193,
      abs_delta_S: 180,
      abs_delta_z: 359,
      slope_z: 377,
      dz_speed: 359,
    };
    for (const name of REFERENCE_FEATURE_NAMES) {
      const c = col(out, name);
      expect(c, name).toHaveLength(N);
      expect(c.findIndex(Number.isFinite), name).toBe(first[name]);
      expect(c.slice(first[name]).every(Number.isFinite), name).toBe(true);
    }
    expect(out.valid.indexOf(1)).toBe(377);
    expect(out.valid.slice(377).every((v) => v === 1)).toBe(true);
    expect(out.valid.slice(0, 377).every((v) => v === 0)).toBe(true);
  });

  it('window statistics of late-starting series agree with a naive recomputation', () => {
    const beta = col(out, 'beta'),
      rho = col(out, 'rho_rolling'),
      atr = col(out, 'atr_spread');
    const S = col(out, 'spread');
    for (const t of [377, 1000, 19_999]) {
      const bw = beta.slice(t - 179, t + 1);
      const bm = bw.reduce((a, b) => a + b, 0) / 180;
      expect(col(out, 'beta_stability')[t]).toBeCloseTo(Math.sqrt(sampleVar(bw)) / (Math.abs(bm) + 1e-6), 12);
      expect(col(out, 'corr_stability')[t]! / sampleVar(rho.slice(t - 179, t + 1))).toBeCloseTo(1, 10);
      const aw = [...atr.slice(t - 179, t + 1)].sort((a, b) => a - b);
      expect(col(out, 'vol_ratio_spread')[t]).toBeCloseTo(atr[t]! / ((aw[89]! + aw[90]!) / 2), 12);
      const sw = S.slice(t - 179, t + 1),
        sm = sw.reduce((a, b) => a + b, 0) / 180;
      expect(col(out, 'z_raw')[t]).toBeCloseTo((S[t]! - sm) / Math.sqrt(sampleVar(sw)), 9);
    }
  });
});
