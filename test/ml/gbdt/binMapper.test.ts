// BinMapper claims: thresholds reproduce bins exactly, ≤ maxBin bins, NaN apart, bins from training rows only.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binColumn, fitBinMapper, valueToBin } from '../../../src/ml/gbdt/binMapper.js';
import { SeededRng } from '../../../src/core/rng.js';

const column = fc.array(
  fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
    fc.constant(Number.NaN),
    fc.integer({ min: -3, max: 3 }),
  ),
  { minLength: 1, maxLength: 600 },
);

describe('fitBinMapper', () => {
  it('x <= upperBounds[b] is exactly bin(x) <= b, for training values and any other value', () => {
    fc.assert(
      fc.property(
        column,
        fc.integer({ min: 2, max: 255 }),
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 20 }),
        (xs, maxBin, probes) => {
          const mapper = fitBinMapper(Float64Array.from(xs), maxBin);
          expect(mapper.numBins).toBeLessThanOrEqual(maxBin);
          for (const x of [...xs, ...probes]) {
            if (Number.isNaN(x)) continue;
            const bin = valueToBin(mapper, x);
            expect(bin).toBeLessThan(mapper.numValueBins);
            for (let b = 0; b < mapper.numValueBins; b++) expect(x <= mapper.upperBounds[b]!).toBe(bin <= b);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('NaN gets its own bin after the value bins, counted only when training held NaN', () => {
    const withNan = fitBinMapper(Float64Array.from([1, 2, Number.NaN, 3]), 255);
    expect(withNan.hasNan).toBe(true);
    expect(withNan.numBins).toBe(withNan.numValueBins + 1);
    expect(valueToBin(withNan, Number.NaN)).toBe(withNan.nanBin);
    const without = fitBinMapper(Float64Array.from([1, 2, 3]), 255);
    expect(without.hasNan).toBe(false);
    expect(without.numBins).toBe(3);
  });

  it('each distinct value has its own bin when there are few, thresholds at the midpoints', () => {
    const mapper = fitBinMapper(Float64Array.from([5, 1, 3, 3, 1]), 255);
    expect([...mapper.upperBounds]).toEqual([2, 4, Number.MAX_VALUE]);
    expect([...binColumn(mapper, Float64Array.from([1, 3, 5, 2.5, 4.5]))]).toEqual([0, 1, 2, 1, 2]);
  });

  it('many distinct values make ≤ maxBin quantile bins of similar size, a constant column one bin', () => {
    const rng = new SeededRng(3);
    const xs = Float64Array.from({ length: 20_000 }, () => rng.gaussian());
    const mapper = fitBinMapper(xs, 255);
    expect(mapper.numBins).toBeGreaterThan(200);
    expect(mapper.numBins).toBeLessThanOrEqual(255);
    const sizes = new Float64Array(mapper.numBins);
    for (const b of binColumn(mapper, xs)) sizes[b]!++;
    expect(Math.max(...sizes)).toBeLessThan(3 * (20_000 / mapper.numBins));
    expect(fitBinMapper(new Float64Array(100).fill(7), 255).numBins).toBe(1);
  });

  it('a value that fills a share of the rows sits in a bin of its own', () => {
    const xs = Float64Array.from({ length: 1000 }, (_, i) => (i < 400 ? 0 : i));
    const mapper = fitBinMapper(xs, 16);
    const zeroBin = valueToBin(mapper, 0);
    expect(binColumn(mapper, xs).filter((b) => b === zeroBin).length).toBe(400);
  });

  it('values outside the training range fall into the first or last value bin', () => {
    const mapper = fitBinMapper(Float64Array.from([0, 0.25, 0.5, 1]), 255);
    expect(valueToBin(mapper, -100)).toBe(0);
    expect(valueToBin(mapper, 100)).toBe(mapper.numValueBins - 1);
  });

  it('rejects infinite values and maxBin outside 2..255', () => {
    expect(() => fitBinMapper(Float64Array.from([1, Infinity]), 255)).toThrow(RangeError);
    expect(() => fitBinMapper(Float64Array.from([1, 2]), 256)).toThrow(RangeError);
    expect(() => fitBinMapper(Float64Array.from([1, 2]), 1)).toThrow(RangeError);
  });
});
