// Hand-computed SPEC §7 sizing cases on the real universe.yaml contract specs.
import { describe, expect, it } from 'vitest';
import { sizePair, type SizePairInput } from '../../src/decision/sizePair.js';
import { PtError } from '../../src/core/ptError.js';
import { pairOf } from './config.js';

const metals = pairOf('XAUUSD_XAGUSD');

// XAUUSD contract 100 oz, XAGUSD 5000 oz, both lot_step = min_lot = 0.01, min_notional_usd 100.
// At XAU 2000 and XAG 25 one 0.01-lot step is worth:
//   A: 2000 × 100 × 0.01 = 2000 USD      B: 25 × 5000 × 0.01 = 1250 USD
const base: SizePairInput = {
  pair: metals,
  priceA: 2000,
  priceB: 25,
  beta: 0.5,
  pairNotionalUsd: 10_000,
  positionScale: 1,
  leverageScale: 1,
};

describe('sizePair', () => {
  it('XAUUSD/XAGUSD: N_A = 10000 → 5 steps, N_B = 0.5 × 10000 = 5000 → 4 steps, ratio exactly 0.5', () => {
    expect(sizePair(base)).toEqual({
      ok: true,
      lotsA: 0.05,
      lotsB: 0.04,
      notionalA: 10_000,
      notionalB: 5000,
      ratio: 0.5,
    });
  });

  it('uses |beta|: beta −0.5 sizes like +0.5', () => {
    expect(sizePair({ ...base, beta: -0.5 })).toEqual(sizePair(base));
  });

  it('rounds to the NEAREST lot_step, and scales multiply the notional', () => {
    // N_A = 100000 × 0.5 × 0.8 = 40000; a step of A at 2031.5 is 2031.5 USD → 40000/2031.5 = 19.69 → 20 steps (not 19)
    // N_B = 0.37 × 40000 = 14800 → 14800/1250 = 11.84 → 12 steps (not 11)
    // notionals 20 × 2031.5 = 40630 and 12 × 1250 = 15000; ratio 15000/40630 = 0.369185 → 0.22% under 0.37: kept
    const r = sizePair({
      ...base,
      priceA: 2031.5,
      beta: 0.37,
      pairNotionalUsd: 100_000,
      positionScale: 0.5,
      leverageScale: 0.8,
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.lotsA).toBe(0.2);
    expect(r.lotsB).toBe(0.12);
    expect(r.notionalA).toBeCloseTo(40_630, 6);
    expect(r.notionalB).toBeCloseTo(15_000, 6);
    expect(r.ratio).toBeCloseTo(15_000 / 40_630, 12);
  });

  it('raises each leg to min_lot', () => {
    // N_A = 10000 × 0.05 = 500 → 500/2000 = 0.25 → 0 steps → min_lot 0.01 (2000 USD)
    // N_B = 0.625 × 500 = 312.5 → 312.5/1250 = 0.25 → 0 → min_lot 0.01 (1250 USD); ratio 1250/2000 = 0.625 = |beta|
    expect(sizePair({ ...base, beta: 0.625, positionScale: 0.05 })).toEqual({
      ok: true,
      lotsA: 0.01,
      lotsB: 0.01,
      notionalA: 2000,
      notionalB: 1250,
      ratio: 0.625,
    });
  });

  it('grows both legs proportionally until min_notional_usd holds', () => {
    // min_notional_usd raised to 5000. N_A = 10000 × 0.2 = 2000, N_B = 0.5 × 2000 = 1000.
    // growth = max(1, 5000/2000, 5000/1000) = 5 → N_A = 10000, N_B = 5000 → 5 and 4 steps, ratio still 0.5.
    // (Without the growth: A 1 step = 2000 < 5000 and B 0.8 → 1 step = 1250 < 5000.)
    const pair = { ...metals, constraints: { ...metals.constraints, min_notional_usd: 5000 } };
    expect(sizePair({ ...base, pair, positionScale: 0.2 })).toEqual({
      ok: true,
      lotsA: 0.05,
      lotsB: 0.04,
      notionalA: 10_000,
      notionalB: 5000,
      ratio: 0.5,
    });
  });

  it('re-adjusts to the nearest lot combination within ±1% when the first rounding misses', () => {
    // beta 0.8: N_A 10000 → 5 steps; N_B 8000 → 6.4 → 6 steps = 7500; 7500/10000 = 0.75 is 6.25% off → search.
    // kA ∈ 5 ± max(2, ceil(0.5)) = 3..7; kB around 0.8·kA·2000/1250 = 1.28·kA:
    //   kA 3: kB 3 → 0.625, 4 → 0.833   kA 4: 5 → 0.781, 6 → 0.9375   kA 5: 6 → 0.75, 7 → 0.875
    //   kA 6: 7 → 0.729, 8 → 0.833     kA 7: 8 → 0.714, 9 → 11250/14000 = 0.803571 (+0.45%) ← the only fit
    const r = sizePair({ ...base, beta: 0.8 });
    expect(r).toMatchObject({ ok: true, lotsA: 0.07, lotsB: 0.09, notionalA: 14_000, notionalB: 11_250 });
    if (r.ok) expect(r.ratio).toBeCloseTo(0.803571428571, 10);
  });

  it('skips with ratio_out_of_tolerance when no nearby combination is within ±1%', () => {
    // beta 0.03: N_B = 300 → 0.24 → 0 → min_lot 1 step = 1250 USD, and for every kA in 3..7 the exact
    // kB = 0.03·kA·2000/1250 = 0.048·kA < 1, so kB = 1 and the ratio 1250/(2000·kA) ∈ [0.089, 0.208] ≫ 0.0303.
    expect(sizePair({ ...base, beta: 0.03 })).toEqual({ ok: false, reason: 'ratio_out_of_tolerance' });
  });

  it('a zero or NaN beta cannot be hedged', () => {
    expect(sizePair({ ...base, beta: 0 })).toEqual({ ok: false, reason: 'invalid_beta' });
    expect(sizePair({ ...base, beta: Number.NaN })).toEqual({ ok: false, reason: 'invalid_beta' });
  });

  it('converts a JPY-quoted leg to USD with the rate the caller passes (EURJPY/GBPJPY at USDJPY 150)', () => {
    // usdPerQuote = 1/150. Step of A: 160 × 100000 × 0.01 / 150 = 1066.67 USD; of B: 190 × 1000 / 150 = 1266.67 USD.
    // N_A = 10000 → 9.375 → 9 steps = 9600 USD; N_B = 1.19 × 10000 = 11900 → 9.39 → 9 steps = 11400 USD.
    // ratio 11400/9600 = 1.1875, 0.21% under 1.19. (Read as 1.0, one EURJPY step would be 160000 "USD".)
    const r = sizePair({
      ...base,
      pair: pairOf('EURJPY_GBPJPY'),
      priceA: 160,
      priceB: 190,
      beta: 1.19,
      usdPerQuoteA: 1 / 150,
      usdPerQuoteB: 1 / 150,
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([r.lotsA, r.lotsB]).toEqual([0.09, 0.09]);
    expect(r.notionalA).toBeCloseTo(9600, 6);
    expect(r.notionalB).toBeCloseTo(11_400, 6);
    expect(r.ratio).toBeCloseTo(1.1875, 10);
  });

  it('a missing or NaN rate for a non-USD quote is an error, never 1.0', () => {
    const jpy = { ...base, pair: pairOf('EURJPY_GBPJPY'), priceA: 160, priceB: 190, beta: 1.19 };
    expect(() => sizePair({ ...jpy, usdPerQuoteB: 1 / 150 })).toThrowError(
      /no USD conversion rate for EURJPY \(quote JPY\)/,
    );
    expect(() => sizePair({ ...jpy, usdPerQuoteA: 1 / 150, usdPerQuoteB: Number.NaN })).toThrowError(/GBPJPY/);
    try {
      sizePair({ ...jpy, usdPerQuoteA: 0, usdPerQuoteB: 1 / 150 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PtError);
      expect((e as PtError).id).toBe('DATA_INPUT_MISSING');
    }
    // A USD-quoted leg given a rate other than 1 is a caller mix-up, refused too.
    expect(() => sizePair({ ...base, usdPerQuoteA: 1.1 })).toThrowError(/quoted in USD/);
  });
});
