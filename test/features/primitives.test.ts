import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ema } from '../../src/features/ema.js';
import { Wilder } from '../../src/features/wilder.js';
import { RollingRegression } from '../../src/features/rollingRegression.js';
import { FixedXSlope } from '../../src/features/fixedXSlope.js';
import { RollingMoments } from '../../src/features/rollingMoments.js';
import { medianInPlace, medianNear, selectKth } from '../../src/features/quickselect.js';
import { HuberScratch, robustSlope } from '../../src/features/huberSlope.js';
import { SeededRng } from '../../src/core/rng.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-12, Math.abs(b));

describe('golden cases computed by hand', () => {
  it('EMA by half-life is seeded with the first defined input, a = 1 - 2^(-1/h)', () => {
    const e = Ema.halfLife(1); // a = 0.5
    expect(e.push(Number.NaN)).toBeNaN();
    expect(e.push(4)).toBe(4);
    expect(e.push(8)).toBe(6);
    expect(e.push(0)).toBe(3);
  });

  it('EMA by span uses a = 2/(n+1)', () => {
    const e = Ema.span(3); // a = 0.5
    e.push(10);
    expect(e.push(20)).toBe(15);
  });

  it('Wilder is seeded with the simple mean of the first n inputs, then y += (x - y)/n', () => {
    const w = new Wilder(3);
    expect(w.push(1)).toBeNaN();
    expect(w.push(2)).toBeNaN();
    expect(w.push(6)).toBe(3);
    expect(w.push(6)).toBe(4);
  });

  it('variance uses ddof = 1', () => {
    const m = new RollingMoments(4);
    for (const x of [1, 2, 3, 4]) m.push(x);
    expect(m.variance()).toBeCloseTo(5 / 3, 14);
  });

  it('rolling OLS gives the slope, intercept and correlation of a hand-made line', () => {
    const r = new RollingRegression(3);
    for (const [x, y] of [
      [100, 0],
      [1, 3],
      [2, 5],
      [3, 7],
    ] as const)
      r.push(x, y);
    expect(r.slope()).toBeCloseTo(2, 12);
    expect(r.intercept()).toBeCloseTo(1, 12);
    expect(r.correlation()).toBeCloseTo(1, 12);
  });

  it('the fixed-x slope over 4 of 1, 2, 4, 8 is 2.3', () => {
    const s = new FixedXSlope(4);
    for (const y of [100, 1, 2, 4, 8]) s.push(y);
    // x = 0..3, x̄ = 1.5, Sxx = 5, Σ(x - x̄)y = -1.5 - 1 + 2 + 12 = 11.5 → 2.3.
    expect(s.slope()).toBeCloseTo(2.3, 12);
  });

  it('medianNear equals the sorted median whatever the guess', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -1e3, max: 1e3 }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: -2e3, max: 2e3, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        (xs, guess, width) => {
          const s = [...xs].sort((a, b) => a - b);
          const m = s.length % 2 ? s[s.length >> 1]! : (s[(s.length >> 1) - 1]! + s[s.length >> 1]!) / 2;
          const a = Float64Array.from(xs);
          expect(medianNear(a, xs.length, guess, width, new Float64Array(xs.length)) === m).toBe(true);
          expect(Array.from(a)).toEqual(xs);
        },
      ),
    );
  });

  it('quickselect finds the k-th value and the median of even and odd counts', () => {
    expect(medianInPlace(Float64Array.from([5, 1, 4, 2, 3]), 5)).toBe(3);
    expect(medianInPlace(Float64Array.from([5, 1, 4, 2]), 4)).toBe(3);
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 60 }), (xs) => {
        const k = xs.length >> 1;
        expect(selectKth(Float64Array.from(xs), xs.length, k) === [...xs].sort((a, b) => a - b)[k]).toBe(true);
      }),
    );
  });

  it('the Huber switch leaves clean data to OLS and pulls a gross outlier toward the clean slope', () => {
    const n = 50;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const rng = new SeededRng(3);
    for (let i = 0; i < n; i++) {
      x[i] = i;
      y[i] = 1 + 2 * i + 0.1 * rng.gaussian();
    }
    const p = { madRatioSwitch: 2, c: 1.345, maxSolves: 50, tolerance: 1e-10 };
    const ols = (xs: Float64Array, ys: Float64Array) => {
      const r = new RollingRegression(n);
      for (let i = 0; i < n; i++) r.push(xs[i]!, ys[i]!);
      return r;
    };
    const clean = ols(x, y);
    expect(robustSlope(x, y, n, clean.intercept(), clean.slope(), clean.residualStd(), p, new HuberScratch(n))).toBe(
      clean.slope(),
    );
    y[n - 1] = y[n - 1]! + 500;
    const dirty = ols(x, y);
    const huber = robustSlope(x, y, n, dirty.intercept(), dirty.slope(), dirty.residualStd(), p, new HuberScratch(n));
    expect(Math.abs(dirty.slope() - 2)).toBeGreaterThan(0.5);
    expect(Math.abs(huber - 2)).toBeLessThan(0.05);
  });
});

describe('incremental equals naive recomputation (property)', () => {
  it('rolling regression: slope, correlation and covariance within 1e-9 relative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 60 }),
        fc.integer({ min: 1, max: 97 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 50, max: 2000 }),
        (w, every, seed, n) => {
          const rng = new SeededRng(seed);
          const r = new RollingRegression(w, every);
          const xs: number[] = [];
          const ys: number[] = [];
          let x = 7.5;
          let y = 3.1;
          for (let i = 0; i < n; i++) {
            x += 0.01 * rng.gaussian();
            y = 0.4 * x + 0.01 * rng.gaussian();
            xs.push(x);
            ys.push(y);
            r.push(x, y);
          }
          const wx = xs.slice(-w);
          const wy = ys.slice(-w);
          const mx = wx.reduce((a, b) => a + b, 0) / wx.length;
          const my = wy.reduce((a, b) => a + b, 0) / wy.length;
          let cxx = 0,
            cxy = 0,
            cyy = 0;
          for (let i = 0; i < wx.length; i++) {
            cxx += (wx[i]! - mx) ** 2;
            cxy += (wx[i]! - mx) * (wy[i]! - my);
            cyy += (wy[i]! - my) ** 2;
          }
          expect(rel(r.slope(), cxy / cxx)).toBeLessThan(1e-9);
          expect(rel(r.correlation(), cxy / Math.sqrt(cxx * cyy))).toBeLessThan(1e-9);
          expect(rel(r.covariance(), cxy / (wx.length - 1))).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('fixed-x slope within 1e-9 relative on random series up to 10k points', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 30 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 30, max: 10_000 }),
        (n, seed, len) => {
          const rng = new SeededRng(seed);
          const s = new FixedXSlope(n);
          const ys: number[] = [];
          let y = 3;
          for (let i = 0; i < len; i++) {
            y += rng.gaussian() * 0.01;
            ys.push(y);
            s.push(y);
          }
          const w = ys.slice(-n);
          const xm = (n - 1) / 2;
          const ym = w.reduce((a, b) => a + b, 0) / n;
          let num = 0,
            den = 0;
          for (let k = 0; k < n; k++) {
            num += (k - xm) * (w[k]! - ym);
            den += (k - xm) ** 2;
          }
          expect(Math.abs(s.slope() - num / den)).toBeLessThanOrEqual(1e-9 * Math.max(1e-3, Math.abs(num / den)));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('after 1,000,000 updates the drift of mean, variance, slope and correlation stays under 1e-9', () => {
    const rng = new SeededRng(11);
    const w = 180;
    const m = new RollingMoments(w);
    const r = new RollingRegression(w);
    const s = new FixedXSlope(20);
    const lastX: number[] = [];
    const lastY: number[] = [];
    let x = 7.5;
    for (let i = 0; i < 1_000_000; i++) {
      x += 1e-3 * rng.gaussian();
      const y = 1.3 * x + 1e-3 * rng.gaussian();
      m.push(x);
      r.push(x, y);
      s.push(y);
      if (i >= 1_000_000 - w) {
        lastX.push(x);
        lastY.push(y);
      }
    }
    const mx = lastX.reduce((a, b) => a + b, 0) / w;
    const my = lastY.reduce((a, b) => a + b, 0) / w;
    let cxx = 0,
      cxy = 0,
      cyy = 0;
    for (let i = 0; i < w; i++) {
      cxx += (lastX[i]! - mx) ** 2;
      cxy += (lastX[i]! - mx) * (lastY[i]! - my);
      cyy += (lastY[i]! - my) ** 2;
    }
    expect(rel(m.mean(), mx)).toBeLessThan(1e-9);
    expect(rel(m.variance(), cxx / (w - 1))).toBeLessThan(1e-9);
    expect(rel(r.slope(), cxy / cxx)).toBeLessThan(1e-9);
    expect(rel(r.correlation(), cxy / Math.sqrt(cxx * cyy))).toBeLessThan(1e-9);
    const tail = lastY.slice(-20);
    const tm = tail.reduce((a, b) => a + b, 0) / 20;
    let num = 0;
    for (let k = 0; k < 20; k++) num += (k - 9.5) * (tail[k]! - tm);
    expect(rel(s.slope(), num / 665)).toBeLessThan(1e-9);
  });
});
