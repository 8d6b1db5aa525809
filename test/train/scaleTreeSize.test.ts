// The tree-size rule: min_data_in_leaf and num_leaves shrink with the training rows, never above the
// configured values, and stay the configured values on AI2-sized sets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scaleTreeSize } from '../../src/train/scaleTreeSize.js';

const configured = { minDataInLeaf: 50, numLeaves: 31 };

describe('scaleTreeSize', () => {
  it('hand-computed cases', () => {
    // ⌊96/50⌋ = 1 → 5; ⌊96/10⌋ = 9
    expect(scaleTreeSize(96, configured)).toEqual({ minDataInLeaf: 5, numLeaves: 9 });
    // ⌊190/50⌋ = 3 → 5; ⌊190/10⌋ = 19
    expect(scaleTreeSize(190, configured)).toEqual({ minDataInLeaf: 5, numLeaves: 19 });
    // ⌊2019/50⌋ = 40; ⌊2019/80⌋ = 25
    expect(scaleTreeSize(2019, configured)).toEqual({ minDataInLeaf: 40, numLeaves: 25 });
    // tiny: 12 rows → 5 and ⌊12/10⌋ = 1 → 2
    expect(scaleTreeSize(12, configured)).toEqual({ minDataInLeaf: 5, numLeaves: 2 });
    // a smaller configured value wins
    expect(scaleTreeSize(190, { minDataInLeaf: 3, numLeaves: 4 })).toEqual({ minDataInLeaf: 3, numLeaves: 4 });
  });

  it('AI2-sized training sets (≥ 3100 rows with 50/31) keep the configured values', () => {
    for (const n of [3100, 14_000, 28_530, 100_000]) expect(scaleTreeSize(n, configured)).toEqual(configured);
    expect(scaleTreeSize(3099, configured).numLeaves).toBe(30);
  });

  it('never exceeds the configured values, keeps ≥ 2 leaves, and grows with the rows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 2, max: 255 }),
        (n, minData, leaves) => {
          const c = { minDataInLeaf: minData, numLeaves: leaves };
          const s = scaleTreeSize(n, c);
          const t = scaleTreeSize(n + 500, c);
          return (
            s.minDataInLeaf <= minData &&
            s.minDataInLeaf >= Math.min(minData, 5) &&
            s.numLeaves <= leaves &&
            s.numLeaves >= 2 &&
            t.minDataInLeaf >= s.minDataInLeaf
          );
        },
      ),
    );
  });
});
