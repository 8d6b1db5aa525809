// The three rules that call a model degenerate, on hand-made cases at their boundaries.
import { describe, expect, it } from 'vitest';
import { countSplits, degenerateVerdict, describeDegenerate } from '../../src/ml/degenerateModel.js';
import type { Tree, TreeEnsemble } from '../../src/ml/treeEnsemble.js';

const leaf = (v: number): Tree => ({
  feature: Int32Array.of(-1),
  threshold: Float64Array.of(0),
  left: Int32Array.of(0),
  right: Int32Array.of(0),
  missingLeft: Uint8Array.of(0),
  value: Float64Array.of(v),
});
const stump: Tree = {
  feature: Int32Array.of(2, -1, -1),
  threshold: Float64Array.of(0.5, 0, 0),
  left: Int32Array.of(1, 0, 0),
  right: Int32Array.of(2, 0, 0),
  missingLeft: Uint8Array.of(1, 0, 0),
  value: Float64Array.of(0, -0.1, 0.1),
};
const ensemble = (trees: Tree[]): TreeEnsemble => ({
  objective: 'binary',
  featureNames: ['a', 'b', 'c'],
  baseScore: 0,
  trees,
});

describe('degenerate model rules', () => {
  it('counts branch nodes: none without trees or with single-leaf trees, one per stump', () => {
    expect(countSplits(ensemble([]))).toBe(0);
    expect(countSplits(ensemble([leaf(0.2), leaf(-0.1)]))).toBe(0);
    expect(countSplits(ensemble([leaf(0.2), stump, stump]))).toBe(2);
  });

  it('no_split when there is no split, whatever the scores', () => {
    expect(degenerateVerdict(0, [0.1, 0.5, 0.9], [0.1, 0.5, 0.9])).toEqual({ degenerate: true, reasons: ['no_split'] });
  });

  it('constant_predictions when raw max − min ≤ 1e-9, not above', () => {
    expect(degenerateVerdict(3, [0.2, 0.2 + 1e-10, 0.2]).reasons).toEqual(['constant_predictions']);
    expect(degenerateVerdict(3, [0, 1e-9]).reasons).toEqual(['constant_predictions']);
    expect(degenerateVerdict(3, [0, 2e-9])).toEqual({ degenerate: false, reasons: [] });
    // No evaluated rows: nothing varies.
    expect(degenerateVerdict(3, []).reasons).toEqual(['constant_predictions']);
  });

  it('calibrated_levels below 3 distinct calibrated values; without a table only the raw rules apply', () => {
    const raw = [0.1, 0.2, 0.3, 0.4];
    expect(degenerateVerdict(5, raw, [0.05, 0.05, 0.3, 0.3]).reasons).toEqual(['calibrated_levels']);
    expect(degenerateVerdict(5, raw, [0.05, 0.05, 0.3, 0.6]).degenerate).toBe(false);
    expect(degenerateVerdict(5, raw).degenerate).toBe(false);
    expect(degenerateVerdict(0, [0.3, 0.3], [0.3, 0.3])).toEqual({
      degenerate: true,
      reasons: ['no_split', 'constant_predictions', 'calibrated_levels'],
    });
  });

  it('says the reasons in words', () => {
    expect(describeDegenerate(['no_split', 'calibrated_levels'])).toBe(
      'no tree has a split, its calibrated scores take fewer than 3 values',
    );
  });
});
