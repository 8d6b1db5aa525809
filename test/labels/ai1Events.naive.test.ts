// Property: buildAi1Events equals a plain re-reading of the SPEC §3.1 pseudo-code on random series.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAi1Events } from '../../src/labels/ai1Events.js';
import { makeInputs, makeParams } from './labelFixtures.js';
import { naiveAi1 } from '../helpers/naiveAi1.js';

// z values crowd the thresholds so that candidates, hits, suppressions and flips are frequent.
const zValue = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(-3, -2.5, -2, -1.99, -1, -0.5, -0.49, 0, 0.3, 0.5, 0.51, 1, 1.99, 2, 2.2, 3),
  },
  { weight: 3, arbitrary: fc.double({ min: -5, max: 5, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
);
const row = fc.record({
  z: zValue,
  // Mostly calm with isolated spikes, so that a window is excluded while its neighbours are not.
  deltaZ: fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: -0.05, max: 0.05, noNaN: true }) },
    { weight: 2, arbitrary: fc.constantFrom(0, 0.12, -0.9, 1.5) },
    { weight: 1, arbitrary: fc.double({ min: -0.4, max: 0.4, noNaN: true }) },
    { weight: 1, arbitrary: fc.constant(Number.NaN) },
  ),
  valid: fc.integer({ min: 0, max: 9 }).map((v) => v > 0),
});
// Invalid stretches come in runs, as after a data gap.
const series = fc
  .array(fc.tuple(row, fc.integer({ min: 1, max: 4 })), { maxLength: 80, size: 'max' })
  .map((chunks) => chunks.flatMap(([r, repeat]) => Array.from({ length: r.valid ? 1 : repeat }, () => r)));
const naiveParams = fc.record({
  zEntry: fc.constantFrom(1, 2, 2.5),
  zExit: fc.constantFrom(0, 0.5, 1),
  M: fc.integer({ min: 1, max: 12 }),
  K: fc.integer({ min: 1, max: 6 }),
  thetaSpeed: fc.constantFrom(0.05, 0.12, 0.2, 0.3),
});

describe('buildAi1Events against the naive pseudo-code', () => {
  it('agrees exactly on rows and counts, NaN and invalid stretches included', () => {
    fc.assert(
      fc.property(series, naiveParams, (rows, p) => {
        // SPEC §2: a valid row has every feature defined, so a NaN z or delta_z makes the row invalid.
        const valid = rows.map((r) => r.valid && !Number.isNaN(r.z) && !Number.isNaN(r.deltaZ));
        const z = rows.map((r) => r.z);
        const deltaZ = rows.map((r) => r.deltaZ);
        const expected = naiveAi1(z, deltaZ, valid, p);
        const got = buildAi1Events(
          makeInputs(z, { deltaZ, valid: valid.map(Number) }),
          makeParams({
            zEntry: p.zEntry,
            zExit: p.zExit,
            maxHoldingBars: p.M,
            speedLookbackBars: p.K,
            thetaSpeed: p.thetaSpeed,
          }),
        );
        const gotEvents = Array.from(got.t0, (t0, i) => [t0, got.t1[i]!, got.direction[i]!, got.y[i]!]);
        expect(gotEvents).toEqual(expected.events);
        expect(got.counts).toEqual(expected.counts);
        const c = got.counts;
        expect(c.events + c.censored + c.suppressed + c.speedExcluded).toBe(c.candidates);
      }),
      { seed: 20240531, numRuns: 2000 },
    );
  });
});
