// Random timelines and event samples for the CV property tests, and time-axis helpers.
import fc from 'fast-check';
import type { EventSamples } from '../../src/cv/index.js';

export interface CvCase {
  timeline: Float64Array;
  samples: EventSamples;
}

/** A timeline of 1–80 bars with irregular gaps (closed-market hours), and 0–60 events on it. */
export const cvCase: fc.Arbitrary<CvCase> = fc
  .record({
    base: fc.integer({ min: -1000, max: 1000 }),
    gaps: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 79 }),
    events: fc.array(
      fc.record({
        bar: fc.nat(),
        frac: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.99, noNaN: true })),
        dur: fc.integer({ min: 0, max: 40 }),
      }),
      { maxLength: 60 },
    ),
  })
  .map(({ base, gaps, events }) => {
    const timeline = new Float64Array(gaps.length + 1);
    timeline[0] = base;
    gaps.forEach((g, i) => (timeline[i + 1] = timeline[i]! + g));
    const t0 = new Float64Array(events.length);
    const t1 = new Float64Array(events.length);
    events.forEach((e, i) => {
      const b = e.bar % timeline.length;
      // A t0 between bars (frac > 0) belongs to the earlier bar; never past the last bar.
      const next = b + 1 < timeline.length ? timeline[b + 1]! : timeline[b]!;
      t0[i] = timeline[b]! + e.frac * (next - timeline[b]!);
      t1[i] = t0[i]! + e.dur;
    });
    return { timeline, samples: { t0, t1 } };
  });

/** Start time of bar `i`, +Infinity past the end (the end of the time range owned by bar i − 1). */
export const barStart = (timeline: Float64Array, i: number): number =>
  i >= timeline.length ? Infinity : timeline[Math.max(i, 0)]!;

/** Bar owning time t by a linear scan (the last bar at or before t). */
export const naiveBar = (timeline: Float64Array, t: number): number => {
  let b = -1;
  for (let i = 0; i < timeline.length; i++) if (timeline[i]! <= t) b = i;
  return b;
};

export const set = (a: Uint32Array): Set<number> => new Set(a);
export const sorted = (a: Uint32Array): boolean => a.every((v, i) => i === 0 || v > a[i - 1]!);
