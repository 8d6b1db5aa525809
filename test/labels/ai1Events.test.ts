// SPEC §3.1 on hand-made z series: suppression, opposite close, speed exclusion, censoring, timeout.
import { describe, expect, it } from 'vitest';
import { buildAi1Events, type Ai1Result } from '../../src/labels/ai1Events.js';
import { LONG_SPREAD, SHORT_SPREAD, spreadSideName } from '../../src/model/spreadSide.js';
import { makeInputs, makeParams } from './labelFixtures.js';

/** Events as [t0, t1, direction, y] tuples. */
function rows(result: Ai1Result): number[][] {
  return Array.from(result.t0, (t0, i) => [t0, result.t1[i]!, result.direction[i]!, result.y[i]!]);
}

const params = makeParams({ maxHoldingBars: 4, speedLookbackBars: 3, thetaSpeed: 0.5 });

describe('buildAi1Events', () => {
  it('suppresses same-direction candidates while the event is active, up to and including its end bar', () => {
    // t=1 reverts at t=4 (|0.3| <= 0.5): y=1, t1=4; t=2,3 suppressed; t=5 starts a new event.
    const r = buildAi1Events(makeInputs([0, 2.5, 2.2, 2.1, 0.3, 2.4, 1, 0.1, 0]), params);
    expect(rows(r)).toEqual([
      [1, 4, SHORT_SPREAD, 1],
      [5, 7, SHORT_SPREAD, 1],
    ]);
    expect(r.counts).toEqual({ candidates: 4, events: 2, positives: 2, censored: 0, suppressed: 2, speedExcluded: 0 });

    // Timeout at t0+M=4: the end bar itself still suppresses (`t > end` frees it), t=5 does not.
    const timeout = buildAi1Events(makeInputs([2.5, 1, 1, 1, 2.3, 2.3, 1, 1, 1, 1]), params);
    expect(rows(timeout)).toEqual([
      [0, 4, SHORT_SPREAD, 0],
      [5, 9, SHORT_SPREAD, 0],
    ]);
    expect(timeout.counts.suppressed).toBe(1);
  });

  it('an opposite-direction candidate closes the active event, whose row keeps its own M-bar label', () => {
    // t=1 SHORT: its window z2..z5 = 1, -2.4, -1, -1 never reaches 0.5 → y=0, t1=5 even though t=3 closes it.
    // t=3 LONG starts: z4..z7 = -1, -1, -1, 0.3 → hit at j=4, y=1, t1=7.
    const r = buildAi1Events(makeInputs([0, 2.5, 1, -2.4, -1, -1, -1, 0.3, 0, 0]), params);
    expect(rows(r)).toEqual([
      [1, 5, SHORT_SPREAD, 0],
      [3, 7, LONG_SPREAD, 1],
    ]);
    expect(r.counts).toMatchObject({ candidates: 2, events: 2, suppressed: 0 });

    // The new event is the active one: a later SHORT candidate closes it in turn and is not suppressed.
    const flip = buildAi1Events(makeInputs([2.5, -2.5, 2.5, 1, 1, 1, 1, 1]), params);
    expect(rows(flip)).toEqual([
      [0, 4, SHORT_SPREAD, 0],
      [1, 5, LONG_SPREAD, 0],
      [2, 6, SHORT_SPREAD, 0],
    ]);
    expect(flip.counts.suppressed).toBe(0);
  });

  it('an opposite candidate that is speed-excluded still closes the active event and starts none', () => {
    // M=6. t=3 (LONG) is excluded (mean(0, 0, 1.8) = 0.6); the SHORT event of t=1 (end 7) is closed,
    // so the SHORT candidate at t=6 starts a new event instead of being suppressed.
    const deltaZ = [0, 0, 0, 1.8, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const r = buildAi1Events(makeInputs([0, 2.5, 1, -2.4, 1, 1, 2.2, 1, 1, 1, 1, 1, 1], { deltaZ }), {
      ...params,
      maxHoldingBars: 6,
    });
    expect(rows(r)).toEqual([
      [1, 7, SHORT_SPREAD, 0],
      [6, 12, SHORT_SPREAD, 0],
    ]);
    expect(r.counts).toMatchObject({ candidates: 3, speedExcluded: 1, suppressed: 0, events: 2 });
  });

  it('speed exclusion: mean |delta_z| over the K bars ending at t strictly above theta_speed', () => {
    // K=3, θ=0.5. t=4: mean(0.6, 0.6, 0.6) = 0.6 > 0.5 → excluded. t=5: mean(0.6, 0.6, 0) = 0.4 → event.
    const deltaZ = [0, 0, 0.6, -0.6, 0.6, 0, 0, 0, 0, 0];
    const r = buildAi1Events(makeInputs([0, 0, 0, 0, 2.5, 2.6, 1, 0.2, 0, 0], { deltaZ }), params);
    expect(rows(r)).toEqual([[5, 7, SHORT_SPREAD, 1]]);
    expect(r.counts).toMatchObject({ candidates: 2, speedExcluded: 1, events: 1 });

    // A mean exactly at θ is kept (0.5 is exact in binary).
    const equal = buildAi1Events(makeInputs([0, 0, 2.5, 0], { deltaZ: [0.5, 0.5, 0.5, 0] }), params);
    expect(equal.counts.speedExcluded).toBe(0);
    expect(equal.counts.events).toBe(1);
  });

  it('speed window starting before row 0 or holding an undefined delta_z gives no exclusion', () => {
    // t=1 with K=3 needs rows -1..1; t=6 has a NaN delta_z at the invalid row 5.
    const deltaZ = [9, 9, 0, 0, 9, Number.NaN, 9, 0, 0, 0, 0, 0];
    const valid = [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1];
    const r = buildAi1Events(makeInputs([0, 2.5, 0.1, 0, 0, 0, -2.5, 0, 0, 0, 0, 0], { deltaZ, valid }), params);
    expect(rows(r)).toEqual([
      [1, 2, SHORT_SPREAD, 1],
      [6, 7, LONG_SPREAD, 1],
    ]);
    expect(r.counts.speedExcluded).toBe(0);

    // An invalid row's delta_z is still read as it is when defined: rows 3..5 all 0.9 → excluded.
    const readAsIs = buildAi1Events(
      makeInputs([0, 0, 0, 0, 0, 2.5, 0], { deltaZ: [0, 0, 0, 0.9, 0.9, 0.9, 0], valid: [1, 1, 1, 0, 0, 1, 1] }),
      params,
    );
    expect(readAsIs.counts.speedExcluded).toBe(1);
  });

  it('an unfinished window without a hit is censored: no row, but it stays active and suppresses', () => {
    // n=5, t=1: t+M = 5 > last bar 4, no hit → censored; t=4 (same direction) is suppressed.
    const r = buildAi1Events(makeInputs([0, 2.5, 1, 1, 2.2]), params);
    expect(rows(r)).toEqual([]);
    expect(r.counts).toEqual({ candidates: 2, events: 0, positives: 0, censored: 1, suppressed: 1, speedExcluded: 0 });

    // With one more bar, t+M = last bar: a full window, y=0.
    const full = buildAi1Events(makeInputs([0, 2.5, 1, 1, 2.2, 1]), params);
    expect(rows(full)).toEqual([[1, 5, SHORT_SPREAD, 0]]);
    expect(full.counts.censored).toBe(0);

    // A hit inside the data is a label even when the window would run past the end.
    const hit = buildAi1Events(makeInputs([0, 0, -2.5, -0.4]), params);
    expect(rows(hit)).toEqual([[2, 3, LONG_SPREAD, 1]]);

    // A censored event is still closed by an opposite candidate (which itself is censored here).
    const closed = buildAi1Events(makeInputs([0, 2.5, 1, -2.5, 1]), params);
    expect(closed.counts).toMatchObject({ candidates: 2, censored: 2, suppressed: 0, events: 0 });
  });

  it('no hit within M bars: y=0 and t1 = t0 + M; a hit at exactly j=M is y=1 with t1 = t0 + M', () => {
    const timeout = buildAi1Events(makeInputs([2.5, 1, 1, 1, 1, 0.1, 0]), params);
    expect(rows(timeout)).toEqual([[0, 4, SHORT_SPREAD, 0]]);

    // |z| = z_exit exactly counts as reverted.
    const atM = buildAi1Events(makeInputs([-2.5, -1, -1, -1, -0.5, 0, 0]), params);
    expect(rows(atM)).toEqual([[0, 4, LONG_SPREAD, 1]]);
    expect(atM.counts.positives).toBe(1);
  });

  it('only valid rows start events; the hit search reads z of rows t+1..t+M as they are', () => {
    // Row 0 (invalid) would be a candidate; row 1 is the first valid one.
    const valid = [0, 1, 1, 0, 1, 1, 1, 1];
    const r = buildAi1Events(makeInputs([2.5, 2.5, 1, 0.2, 1, 1, 1, 1], { valid }), params);
    // Row 3 is invalid but its defined z = 0.2 ends the event (literal reading).
    expect(rows(r)).toEqual([[1, 3, SHORT_SPREAD, 1]]);
    expect(r.counts.candidates).toBe(1);

    // An undefined z never reverts: the NaN at row 2 does not end the event.
    const nan = buildAi1Events(makeInputs([2.5, 1, Number.NaN, 1, 1, 1], { valid: [1, 1, 0, 1, 1, 1] }), params);
    expect(rows(nan)).toEqual([[0, 4, SHORT_SPREAD, 0]]);

    // An invalid candidate does not suppress: row 2 starts an event although row 1 (invalid) is a candidate.
    const invalidCandidate = buildAi1Events(makeInputs([0, 2.5, 2.5, 0, 0], { valid: [1, 0, 1, 1, 1] }), params);
    expect(rows(invalidCandidate)).toEqual([[2, 3, SHORT_SPREAD, 1]]);
  });

  it('direction is the SpreadSide: SHORT_SPREAD (−1) for z > 0, LONG_SPREAD (+1) for z < 0', () => {
    expect(SHORT_SPREAD).toBe(-1);
    expect(LONG_SPREAD).toBe(1);
    const r = buildAi1Events(makeInputs([0, 3, 0, -3, 0]), params);
    expect(Array.from(r.direction, (d) => spreadSideName(d))).toEqual(['SHORT_SPREAD', 'LONG_SPREAD']);
    expect(spreadSideName(0)).toBe('FLAT');
  });

  it('rejects columns of different lengths and out-of-range parameters', () => {
    const inputs = makeInputs([0, 1, 2]);
    expect(() => buildAi1Events({ ...inputs, z: new Float64Array(2) }, params)).toThrow(/z has 2 rows/);
    expect(() => buildAi1Events(inputs, { ...params, maxHoldingBars: 0 })).toThrow(/maxHoldingBars/);
    expect(buildAi1Events(makeInputs([]), params).counts.events).toBe(0);
  });
});
