// Property: buildAi1Events equals a plain re-reading of the SPEC §3.1 pseudo-code on random series.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAi1Events } from '../../src/labels/ai1Events.js';
import { makeInputs, makeParams } from './labelFixtures.js';

interface NaiveParams { zEntry: number; zExit: number; M: number; K: number; thetaSpeed: number }

/** The pseudo-code of SPEC §3.1 line by line, with objects and arrays, sharing no code with src/. */
function naiveAi1(z: number[], deltaZ: number[], valid: boolean[], p: NaiveParams) {
  const events: number[][] = [];
  const counts = { candidates: 0, events: 0, positives: 0, censored: 0, suppressed: 0, speedExcluded: 0 };
  const lastBar = z.length - 1;
  let active: { t0: number; d: number; end: number } | null = null;
  for (let t = 0; t < z.length; t++) {
    if (!valid[t]) continue;
    if (active !== null && t > active.end) active = null;
    if (Math.abs(z[t]!) < p.zEntry) continue;
    counts.candidates += 1;
    const d = Math.sign(z[t]!);
    if (active !== null && active.d === d) { counts.suppressed += 1; continue; }
    if (active !== null && active.d !== d) active = null;
    const window: number[] = [];
    for (let i = t - p.K + 1; i <= t; i++) window.push(i >= 0 ? Math.abs(deltaZ[i]!) : Number.NaN);
    const mean = window.reduce((a, b) => a + b, 0) / p.K;
    if (mean > p.thetaSpeed) { counts.speedExcluded += 1; continue; }
    let hit: number | null = null;
    for (let j = 1; j <= p.M; j++) {
      if (t + j > lastBar) break;
      if (Math.abs(z[t + j]!) <= p.zExit) { hit = j; break; }
    }
    let y: number;
    let t1: number;
    let censored = false;
    if (hit !== null) { y = 1; t1 = t + hit; }
    else if (t + p.M <= lastBar) { y = 0; t1 = t + p.M; }
    else { censored = true; y = 0; t1 = t + p.M; }
    active = { t0: t, d, end: t1 };
    if (censored) { counts.censored += 1; continue; }
    events.push([t, t1, d, y]);
    counts.events += 1;
    counts.positives += y;
  }
  return { events, counts };
}

// z values crowd the thresholds so that candidates, hits, suppressions and flips are frequent.
const zValue = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(-3, -2.5, -2, -1.99, -1, -0.5, -0.49, 0, 0.3, 0.5, 0.51, 1, 1.99, 2, 2.2, 3) },
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
const series = fc.array(fc.tuple(row, fc.integer({ min: 1, max: 4 })), { maxLength: 80, size: 'max' }).map((chunks) =>
  chunks.flatMap(([r, repeat]) => Array.from({ length: r.valid ? 1 : repeat }, () => r)));
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
          makeParams({ zEntry: p.zEntry, zExit: p.zExit, maxHoldingBars: p.M, speedLookbackBars: p.K, thetaSpeed: p.thetaSpeed }),
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
