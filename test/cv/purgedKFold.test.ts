// Purged K-fold (SPEC §4): a hand-made case with exact index sets, fewer folds, and properties on random events.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countRoles, FOLD_ROLE, kFoldBlocks, purgedKFold, type PurgedKFoldOptions } from '../../src/cv/index.js';
import { barStart, cvCase, naiveBar, set, sorted } from './cvFixtures.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const bar = (i: number): number => T0 + i * HOUR;
const timeline20 = Float64Array.from({ length: 20 }, (_, i) => bar(i));
// (t0 bar, t1 bar) of 13 events, deliberately not in t0 order.
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
const opts: PurgedKFoldOptions = { k: 2, purgeBars: 2, embargoBars: 2, minBlockLenBars: 5, validationFraction: 0.25 };
const arr = (a: Uint32Array): number[] => Array.from(a);

describe('purgedKFold, hand-made case', () => {
  const { folds, warnings } = purgedKFold(samples, timeline20, opts);

  it('splits 20 bars into blocks [0, 9] and [10, 19]', () => {
    expect(warnings).toEqual([]);
    expect(folds.map((f) => f.block)).toEqual([
      { start: bar(0), end: bar(9), startBar: 0, endBar: 9 },
      { start: bar(10), end: bar(19), startBar: 10, endBar: 19 },
    ]);
  });

  it('fold 1 (first block): bars 10–11 embargoed, validation is the earliest candidate after the block and embargoes bars 13–14', () => {
    const f = folds[0]!;
    expect(arr(f.test)).toEqual([0, 1, 2, 3, 4, 11, 12]);
    // Candidates after the block: 7 (12–12), 8 (14–16), 9 (15–18), 10 (17–19); the first 25% (1 event) is
    // #7 at bar 12; its embargo covers bars 13–14: #8 (t0 14) leaves, #9 and #10 train.
    expect(arr(f.valid)).toEqual([7]);
    expect(arr(f.train)).toEqual([9, 10]);
    expect(f.reasons).toEqual({ purged: 0, embargoed: 2, validationPurged: 0, validationEmbargoed: 1 });
    expect(f.validSpan).toEqual({ start: bar(12), end: bar(12), startBar: 12, endBar: 12 });
    expect(Array.from(f.roles)).toEqual([3, 3, 3, 3, 3, 5, 5, 2, 7, 1, 1, 3, 3]);
  });

  it('fold 2: events reaching bar 8 are purged, validation is the latest candidate before the block', () => {
    const f = folds[1]!;
    expect(arr(f.test)).toEqual([5, 6, 7, 8, 9, 10]);
    // Purge window [bar 8, bar 19]: #2 (t1 8), #3 (9), #4 (12), #11 (10) meet it; #0, #1, #12 do not.
    // Candidates #12 (bar 1), #0 (bar 0), #1 (bar 4): validation = #1 (bar 4), window from bar 2:
    // #0 (t1 2) is purged, #12 (t1 1) stays.
    expect(arr(f.valid)).toEqual([1]);
    expect(arr(f.train)).toEqual([12]);
    expect(f.reasons).toEqual({ purged: 4, embargoed: 0, validationPurged: 1, validationEmbargoed: 0 });
    expect(f.validSpan).toEqual({ start: bar(4), end: bar(4), startBar: 4, endBar: 4 });
    expect(countRoles(f.roles)).toEqual({
      train: 1,
      valid: 1,
      test: 6,
      purged: 4,
      embargoed: 0,
      valid_purged: 1,
      valid_embargoed: 0,
    });
  });

  it('assigns a t0 between two bars to the earlier bar', () => {
    const between = {
      t0: Float64Array.from([bar(9) + HOUR / 2, bar(10)]),
      t1: Float64Array.from([bar(9) + HOUR / 2, bar(10)]),
    };
    const r = purgedKFold(between, timeline20, { ...opts, embargoBars: 0 });
    expect(arr(r.folds[0]!.test)).toEqual([0]);
    expect(arr(r.folds[1]!.test)).toEqual([1]);
  });

  it('rejects bad samples and options with RangeErrors', () => {
    const one = (t0: number, t1: number) => ({ t0: Float64Array.of(t0), t1: Float64Array.of(t1) });
    expect(() => purgedKFold(one(bar(3), bar(2)), timeline20, opts)).toThrow(/ends before it starts/);
    expect(() => purgedKFold(one(bar(-1), bar(2)), timeline20, opts)).toThrow(/outside the timeline/);
    expect(() => purgedKFold(one(Number.NaN, bar(2)), timeline20, opts)).toThrow(/non-finite/);
    expect(() => purgedKFold(one(bar(1), bar(2)), Float64Array.of(2, 1), opts)).toThrow(/strictly increasing/);
    expect(() => purgedKFold(samples, timeline20, { ...opts, validationFraction: 1 })).toThrow(/validationFraction/);
    expect(() => purgedKFold(samples, timeline20, { ...opts, purgeBars: -1 })).toThrow(/purgeBars/);
  });
});

describe('fewer folds', () => {
  it('uses floor(bars / minBlockLenBars) folds with a warning when K blocks would be too short', () => {
    const r = purgedKFold(samples, timeline20, { ...opts, k: 5, minBlockLenBars: 5 }); // 20/5 = 4 < 5
    expect(r.folds).toHaveLength(4);
    expect(r.folds.map((f) => [f.block.startBar, f.block.endBar])).toEqual([
      [0, 4],
      [5, 9],
      [10, 14],
      [15, 19],
    ]);
    expect(r.warnings[0]).toMatch(/^CV_FEWER_FOLDS: .*using k=4/);
  });

  it('gives no folds (warning) when even two blocks do not fit', () => {
    const r = purgedKFold(samples, timeline20, { ...opts, minBlockLenBars: 11 });
    expect(r.folds).toEqual([]);
    expect(r.warnings[0]).toMatch(/^CV_TOO_SHORT/);
  });

  it('makes blocks whose lengths differ by at most one and cover every bar', () => {
    expect(kFoldBlocks(23, 5, 1).blocks.map((b) => b.endBar - b.startBar + 1)).toEqual([4, 5, 4, 5, 5]);
    expect(kFoldBlocks(1200, 5, 240)).toEqual({
      blocks: [0, 240, 480, 720, 960].map((s) => ({ startBar: s, endBar: s + 239 })),
      warnings: [],
    });
  });
});

const cvOpts = fc.record({
  k: fc.integer({ min: 2, max: 6 }),
  purgeBars: fc.integer({ min: 0, max: 8 }),
  embargoBars: fc.integer({ min: 0, max: 8 }),
  minBlockLenBars: fc.integer({ min: 1, max: 12 }),
  validationFraction: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
});

describe('purgedKFold properties on random events', () => {
  it('honours purge, embargo, test partition, validation placement (never after the block but for the first block, which has it after) and the reason counts', () => {
    fc.assert(
      fc.property(cvCase, cvOpts, ({ timeline, samples: s }, o) => {
        const { folds } = purgedKFold(s, timeline, o);
        const n = s.t0.length;
        const nBars = timeline.length;
        const expectedFolds =
          Math.floor(nBars / o.k) >= o.minBlockLenBars ? o.k : Math.floor(nBars / o.minBlockLenBars);
        expect(folds.length).toBe(expectedFolds >= 2 ? expectedFolds : 0);
        const testCount = new Uint8Array(n);
        let nextBlock = 0;
        for (const f of folds) {
          const { startBar, endBar, start, end } = f.block;
          // Blocks are contiguous, cover the timeline and are at least minBlockLenBars long.
          expect(startBar).toBe(nextBlock);
          expect(endBar - startBar + 1).toBeGreaterThanOrEqual(o.minBlockLenBars);
          nextBlock = endBar + 1;
          expect([start, end]).toEqual([timeline[startBar], timeline[endBar]]);
          for (const a of [f.train, f.valid, f.test]) expect(sorted(a)).toBe(true);
          const test = set(f.test);
          const purgeStart = barStart(timeline, startBar - o.purgeBars);
          const embargoStart = barStart(timeline, endBar + 1);
          const embargoEnd = barStart(timeline, endBar + 1 + o.embargoBars); // exclusive
          let purged = 0;
          let embargoed = 0;
          for (let i = 0; i < n; i++) {
            const t0 = s.t0[i]!;
            const t1 = s.t1[i]!;
            const inBlock = t0 >= start && t0 < barStart(timeline, endBar + 1);
            expect(test.has(i)).toBe(inBlock);
            if (inBlock) testCount[i]!++;
            else if (t0 <= end && t1 >= purgeStart) purged++;
            else if (t0 >= embargoStart && t0 < embargoEnd) embargoed++;
          }
          expect(f.reasons.purged).toBe(purged);
          expect(f.reasons.embargoed).toBe(embargoed);
          for (const i of [...f.train, ...f.valid]) {
            expect(test.has(i)).toBe(false);
            // No kept sample's [t0, t1] meets [block_start − purge, block_end] …
            expect(s.t0[i]! <= end && s.t1[i]! >= purgeStart).toBe(false);
            // … and no kept t0 lies in the embargo.
            expect(s.t0[i]! >= embargoStart && s.t0[i]! < embargoEnd).toBe(false);
          }
          // Validation lies before the block (after it for the first block) and is purged and embargoed
          // against train like a test block.
          const train = set(f.train);
          const valid = set(f.valid);
          for (const i of f.valid) expect(train.has(i)).toBe(false);
          const first = f === folds[0];
          const onSide = (i: number): boolean => {
            const b = naiveBar(timeline, s.t0[i]!);
            return first ? b > endBar : b < startBar;
          };
          for (const i of f.valid) expect(onSide(i)).toBe(true);
          const sideCount = [...f.train, ...f.valid].filter(onSide).length;
          let sideDropped = 0;
          for (let i = 0; i < n; i++)
            if ((f.roles[i] === FOLD_ROLE.validPurged || f.roles[i] === FOLD_ROLE.validEmbargoed) && onSide(i))
              sideDropped++;
          const pool = sideCount + sideDropped;
          if (f.valid.length > 0) {
            const vBars = Array.from(f.valid, (i) => naiveBar(timeline, s.t0[i]!));
            const vsBar = Math.min(...vBars);
            const veBar = Math.max(...vBars);
            expect(f.validSpan).toEqual({
              start: timeline[vsBar],
              end: timeline[veBar],
              startBar: vsBar,
              endBar: veBar,
            });
            const vPurgeStart = barStart(timeline, vsBar - o.purgeBars);
            let vPurged = 0;
            let vEmbargoed = 0;
            for (let i = 0; i < n; i++) {
              const b = naiveBar(timeline, s.t0[i]!);
              if (valid.has(i)) continue;
              // Every sample starting inside the validation span on its side is validation (a bar is never split).
              if (b >= vsBar && b <= veBar)
                expect([FOLD_ROLE.train, FOLD_ROLE.validPurged, FOLD_ROLE.validEmbargoed]).not.toContain(f.roles[i]);
              if (f.roles[i] === FOLD_ROLE.validPurged) vPurged++;
              if (f.roles[i] === FOLD_ROLE.validEmbargoed) vEmbargoed++;
            }
            for (const i of f.train) {
              const b = naiveBar(timeline, s.t0[i]!);
              expect(b < vsBar && s.t1[i]! >= vPurgeStart).toBe(false);
              expect(b > veBar && b <= veBar + o.embargoBars).toBe(false);
              expect(b >= vsBar && b <= veBar).toBe(false);
            }
            expect(f.reasons.validationPurged).toBe(vPurged);
            expect(f.reasons.validationEmbargoed).toBe(vEmbargoed);
            const nv = Math.min(Math.max(Math.round(o.validationFraction * pool), 1), pool - 1);
            expect(f.valid.length).toBeGreaterThanOrEqual(nv);
          } else {
            expect(pool).toBeLessThan(2);
            expect(f.validSpan).toBeUndefined();
          }
          const c = countRoles(f.roles);
          expect([c.train, c.valid, c.test, c.purged, c.embargoed, c.valid_purged, c.valid_embargoed]).toEqual([
            f.train.length,
            f.valid.length,
            f.test.length,
            f.reasons.purged,
            f.reasons.embargoed,
            f.reasons.validationPurged,
            f.reasons.validationEmbargoed,
          ]);
          // Every sample is in exactly one of test, train, valid or a reason.
          expect(
            f.test.length +
              f.train.length +
              f.valid.length +
              f.reasons.purged +
              f.reasons.embargoed +
              f.reasons.validationPurged +
              f.reasons.validationEmbargoed,
          ).toBe(n);
        }
        // The test sets partition the samples (every t0 lies in some block).
        if (folds.length > 0) {
          expect(nextBlock).toBe(nBars);
          expect(Array.from(testCount).every((c) => c === 1)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});
