// Diebold–Mariano with Newey–West variance against hand arithmetic, ISO-week compounding, and the normal CDF.
import { describe, expect, it } from 'vitest';
import {
  dieboldMariano,
  erf,
  erfc,
  isoWeekStart,
  neweyWestLag,
  neweyWestVariance,
  normalCdf,
  weeklyReturns,
} from '../../../src/backtest/kpis/index.js';

describe('normalCdf and erf', () => {
  // Reference values: Φ(x) = ½·erfc(−x/√2) from a double-precision libm erfc.
  const known: [number, number][] = [
    [1.96, 0.9750021048517795],
    [0, 0.5],
    [-1.96, 0.024997895148220435],
    [1, 0.8413447460685429],
    [3, 0.9986501019683699],
    [2.5, 0.9937903346742238],
    [-5, 2.866515718791946e-7],
  ];
  it.each(known)('Φ(%d) within 1e-7 (in fact 1e-13)', (x, want) => {
    expect(Math.abs(normalCdf(x) - want)).toBeLessThan(1e-7);
    expect(Math.abs(normalCdf(x) - want)).toBeLessThan(1e-13);
  });

  it('Φ(1.96) = 0.9750021', () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 7);
  });

  it('erf on both sides of the series/continued-fraction switch at 2, odd, and erf + erfc = 1', () => {
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(1.9999)).toBeCloseTo(0.9953201979070294, 15);
    expect(erf(2)).toBeCloseTo(0.9953222650189527, 15);
    expect(erf(2.0001)).toBeCloseTo(0.9953243313041966, 15);
    expect(erfc(3.5) / 7.430983723414128e-7).toBeCloseTo(1, 12); // relative accuracy in the tail
    expect(erf(-2.5)).toBeCloseTo(-0.999593047982555, 15);
    for (let x = -6; x <= 6; x += 0.37) {
      expect(erf(-x)).toBeCloseTo(-erf(x), 15);
      expect(erf(x) + erfc(x)).toBeCloseTo(1, 15);
    }
    expect(erf(Number.NaN)).toBeNaN();
  });
});

describe('dieboldMariano', () => {
  // Five weeks. r_new = 0.02, 0.01, 0.03, −0.01, 0.02; r_old = 0.01, 0.01, 0.01, 0.00, 0.01.
  const rNew = [0.02, 0.01, 0.03, -0.01, 0.02];
  const rOld = [0.01, 0.01, 0.01, 0.0, 0.01];
  // d = r_old − r_new = −0.01, 0, −0.02, 0.01, −0.01; d̄ = −0.03/5 = −0.006.
  // d − d̄ = −0.004, 0.006, −0.014, 0.016, −0.004.
  // γ0 = (16 + 36 + 196 + 256 + 16)e−6 / 5 = 520e−6/5 = 104e−6.
  // γ1 = (0.006·−0.004 + −0.014·0.006 + 0.016·−0.014 + −0.004·0.016)/5 = (−24 − 84 − 224 − 64)e−6/5 = −79.2e−6.
  // γ2 = (−0.014·−0.004 + 0.016·0.006 + −0.004·−0.014)/5 = (56 + 96 + 56)e−6/5 = 41.6e−6.

  it('lag 1: σ² = γ0 + 2·(1 − 1/2)·γ1 = 104e−6 − 79.2e−6 = 24.8e−6; DM = −0.006/√(24.8e−6/5) = −2.694080', () => {
    const r = dieboldMariano(rNew, rOld, { lag: 1 });
    expect(r.meanDiff).toBeCloseTo(-0.006, 15);
    expect(r.longRunVariance).toBeCloseTo(24.8e-6, 15);
    expect(r.statistic).toBeCloseTo(-0.006 / Math.sqrt(24.8e-6 / 5), 10);
    expect(r.statistic).toBeCloseTo(-2.69408, 5);
    // p = 2·Φ(−2.694080) = 0.0070583.
    expect(r.pValue).toBeCloseTo(0.007058332048528093, 12);
    expect([r.lag, r.n]).toEqual([1, 5]);
  });

  it('default lag floor(4·(5/100)^(2/9)) = floor(2.0557) = 2: σ² = 104 − (4/3)·79.2 + (2/3)·41.6 = 26.1333e−6', () => {
    expect(neweyWestLag(5)).toBe(2);
    expect(neweyWestLag(100)).toBe(4);
    expect(neweyWestLag(300)).toBe(5);
    const r = dieboldMariano(rNew, rOld);
    expect(r.lag).toBe(2);
    expect(r.longRunVariance).toBeCloseTo((104 - (4 / 3) * 79.2 + (2 / 3) * 41.6) * 1e-6, 15);
    // DM = −0.006/√(26.1333e−6/5) = −2.624453; p = 0.0086788.
    expect(r.statistic).toBeCloseTo(-2.624453295839121, 9);
    expect(r.pValue).toBeCloseTo(0.008678819439215509, 10);
  });

  it('sign convention: the better new strategy gives a negative statistic; swapping flips it', () => {
    expect(dieboldMariano(rOld, rNew, { lag: 1 }).statistic).toBeCloseTo(2.69408, 5);
  });

  it('lag 0 is the plain variance with divisor T', () => {
    expect(neweyWestVariance([-0.01, 0, -0.02, 0.01, -0.01], 0)).toBeCloseTo(104e-6, 15);
  });

  it('identical strategies or fewer than two weeks: NaN statistic and p-value', () => {
    expect(dieboldMariano(rNew, rNew).statistic).toBeNaN();
    expect(dieboldMariano([0.01], [0.02]).pValue).toBeNaN();
    expect(() => dieboldMariano([0.01, 0.02], [0.01])).toThrow(RangeError);
    expect(() => dieboldMariano(rNew, rOld, { lag: -1 })).toThrow(RangeError);
  });
});

describe('weeklyReturns', () => {
  const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);

  it('ISO weeks start on Monday 00:00 UTC', () => {
    expect(isoWeekStart(Date.parse('2024-01-14T23:00:00Z'))).toBe(day('2024-01-08')); // Sunday → its Monday
    expect(isoWeekStart(day('2024-01-15'))).toBe(day('2024-01-15'));
    expect(isoWeekStart(day('1970-01-01'))).toBe(day('1969-12-29')); // epoch Thursday
  });

  it('compounds daily returns within each week; a Sunday belongs to the week before the Monday', () => {
    // Fri 5 Jan: 0.01 | Mon 8, Tue 9, Sun 14 Jan: 1.1·0.9·1.02 − 1 = 0.0098 | Mon 15 Jan: 0.03.
    const w = weeklyReturns(
      ['2024-01-05', '2024-01-08', '2024-01-09', '2024-01-14', '2024-01-15'].map(day),
      [0.01, 0.1, -0.1, 0.02, 0.03],
    );
    expect(Array.from(w.weekStartMs)).toEqual([day('2024-01-01'), day('2024-01-08'), day('2024-01-15')]);
    expect(w.returns[0]).toBeCloseTo(0.01, 15);
    expect(w.returns[1]).toBeCloseTo(0.0098, 15);
    expect(w.returns[2]).toBeCloseTo(0.03, 15);
  });
});
