// Walk-forward (SPEC §4): a hand-made case with exact index sets, a partial last step, and properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FOLD_ROLE, walkForward } from '../../src/cv/index.js';
import { barStart, cvCase, set, sorted } from './cvFixtures.js';

const bar = (i: number): number => 1000 + 10 * i;
const events: [number, number][] = [
  [0, 2],
  [4, 7],
  [5, 8],
  [7, 9],
  [9, 12],
  [10, 11],
  [11, 13],
  [12, 12],
  [14, 16],
  [15, 18],
  [17, 19],
  [6, 10],
  [1, 1],
];
const samples = { t0: Float64Array.from(events, ([a]) => bar(a)), t1: Float64Array.from(events, ([, b]) => bar(b)) };
const timeline = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => bar(i));
const arr = (a: Uint32Array): number[] => Array.from(a);
// Validation: the latest 25% of a step's past, purged 2 bars before it.
const fit = { validationFraction: 0.25, purgeBars: 2 };

describe('walkForward, hand-made case', () => {
  // 2 bars a day, 4 days of minimum train (8 bars), steps of 3 days (6 bars): tests [8, 13], [14, 19].
  const { steps, warnings } = walkForward(samples, timeline(20), {
    barsPerDay: 2,
    minTrainDays: 4,
    stepDays: 3,
    ...fit,
  });

  it('steps start after minTrainDays × barsPerDay bars and advance by stepDays × barsPerDay', () => {
    expect(warnings).toEqual([]);
    expect(steps.map((s) => [s.testStartBar, s.testEndBar, s.testStart, s.testEnd, s.partial])).toEqual([
      [8, 13, bar(8), bar(13), false],
      [14, 19, bar(14), bar(19), false],
    ]);
  });

  it('the past is the events that end before the test start, split into train and a purged latest validation; the others are purged', () => {
    const [a, b] = steps;
    // Before bar 8: #0 (0–2), #12 (1–1), #1 (4–7) end in time; #2 (5–8), #11 (6–10), #3 (7–9) do not.
    // Validation = the latest 25% of those 3 (1 event): #1 at bar 4; its purge window from bar 2 drops #0.
    expect(arr(a!.valid)).toEqual([1]);
    expect(arr(a!.train)).toEqual([12]);
    expect(a!.validationPurged).toBe(1);
    expect(a!.purged).toBe(3);
    expect(arr(a!.test)).toEqual([4, 5, 6, 7]);
    expect(a!.validSpan).toEqual({ start: bar(4), end: bar(4), startBar: 4, endBar: 4 });
    // Before bar 14 every event has ended by bar 13: 10 events, validation the latest 3 (bars 10–12),
    // whose purge window from bar 8 drops #2 (t1 8), #3 (9), #4 (12) and #11 (10).
    expect(arr(b!.valid)).toEqual([5, 6, 7]);
    expect(arr(b!.train)).toEqual([0, 1, 12]);
    expect(b!.validationPurged).toBe(4);
    expect(b!.purged).toBe(0);
    expect(arr(b!.test)).toEqual([8, 9, 10]);
    expect(Array.from(b!.roles)).toEqual([1, 1, 6, 6, 6, 2, 2, 2, 3, 3, 3, 6, 1]);
  });

  it('keeps a shorter last step, marked partial', () => {
    const r = walkForward(samples, timeline(18), { barsPerDay: 2, minTrainDays: 4, stepDays: 3, ...fit });
    expect(r.steps.map((s) => [s.testStartBar, s.testEndBar, s.partial])).toEqual([
      [8, 13, false],
      [14, 17, true],
    ]);
    expect(arr(r.steps[1]!.test)).toEqual([8, 9, 10]);
  });

  it('gives no steps (warning) when the minimum train covers the timeline, and rejects bad options', () => {
    const r = walkForward(samples, timeline(20), { barsPerDay: 2, minTrainDays: 10, stepDays: 3, ...fit });
    expect(r.steps).toEqual([]);
    expect(r.warnings[0]).toMatch(/^WF_TOO_SHORT/);
    expect(() => walkForward(samples, timeline(20), { barsPerDay: 0, minTrainDays: 1, stepDays: 1, ...fit })).toThrow(
      /barsPerDay/,
    );
    expect(() => walkForward(samples, timeline(20), { barsPerDay: 2, minTrainDays: 1.5, stepDays: 1, ...fit })).toThrow(
      /minTrainDays/,
    );
  });
});

describe('walkForward properties on random events', () => {
  it('train never has t1 ≥ the test start, train and purged are exactly the earlier events, tests partition the later ones', () => {
    const wfOpts = fc.record({
      barsPerDay: fc.integer({ min: 1, max: 4 }),
      minTrainDays: fc.integer({ min: 1, max: 10 }),
      stepDays: fc.integer({ min: 1, max: 6 }),
      validationFraction: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
      purgeBars: fc.integer({ min: 0, max: 6 }),
    });
    fc.assert(
      fc.property(cvCase, wfOpts, ({ timeline: tl, samples: s }, o) => {
        const { steps } = walkForward(s, tl, o);
        const minTrain = o.minTrainDays * o.barsPerDay;
        const step = o.stepDays * o.barsPerDay;
        expect(steps.length).toBe(minTrain >= tl.length ? 0 : Math.ceil((tl.length - minTrain) / step));
        const n = s.t0.length;
        const testCount = new Uint8Array(n);
        steps.forEach((st, j) => {
          expect(st.testStartBar).toBe(minTrain + j * step);
          expect(st.testStart).toBe(tl[st.testStartBar]);
          const past = set(
            Uint32Array.from(
              Array.from(st.roles.keys()).filter((i) =>
                ([FOLD_ROLE.train, FOLD_ROLE.valid, FOLD_ROLE.validPurged] as number[]).includes(st.roles[i]!),
              ),
            ),
          );
          const test = set(st.test);
          // Validation is the latest part of the past: every train event starts before it and ends before its purge window.
          if (st.valid.length > 0) {
            const vs = Math.min(...Array.from(st.valid, (i) => s.t0[i]!));
            const vsBar = tl.findIndex((t, b) => t <= vs && (b + 1 === tl.length || tl[b + 1]! > vs));
            for (const i of st.train) {
              expect(s.t0[i]!).toBeLessThan(tl[vsBar]!);
              expect(s.t1[i]!).toBeLessThan(barStart(tl, vsBar - o.purgeBars));
            }
          } else expect(past.size).toBeLessThan(2);
          expect(st.train.length + st.valid.length + st.validationPurged).toBe(past.size);
          expect(sorted(st.train) && sorted(st.valid) && sorted(st.test)).toBe(true);
          let purged = 0;
          for (let i = 0; i < n; i++) {
            const before = s.t0[i]! < st.testStart;
            expect(past.has(i)).toBe(before && s.t1[i]! < st.testStart);
            if (before && s.t1[i]! >= st.testStart) purged++;
            const inStep = s.t0[i]! >= st.testStart && s.t0[i]! < barStart(tl, st.testEndBar + 1);
            expect(test.has(i)).toBe(inStep);
            if (inStep) testCount[i]!++;
          }
          for (const i of st.train) expect(s.t1[i]!).toBeLessThan(st.testStart);
          expect(st.purged).toBe(purged);
        });
        // Every event from the first test start on is tested exactly once; earlier ones never.
        for (let i = 0; i < n; i++) expect(testCount[i]).toBe(steps.length > 0 && s.t0[i]! >= tl[minTrain]! ? 1 : 0);
      }),
      { numRuns: 400 },
    );
  });
});
