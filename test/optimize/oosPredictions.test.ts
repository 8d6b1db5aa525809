// OOS predictions onto bars, and the guard: no trial may see a prediction made by a model trained on
// that prediction's bar or later (BT_OPT_INSAMPLE).
import { describe, expect, it } from 'vitest';
import { PtError } from '../../src/core/ptError.js';
import { alignOosPredictions, type OosPredictionRows } from '../../src/optimize/oosPredictions.js';

const H = 3_600_000;
const T = Date.UTC(2024, 0, 1);
const pairs = [
  { pairId: 'A_B', ts: Float64Array.from([0, 1, 2, 3, 4, 5], (k) => T + k * H) },
  { pairId: 'C_D', ts: Float64Array.from([0, 1, 2, 4], (k) => T + k * H) },
];

function rows(over: Partial<OosPredictionRows> = {}): OosPredictionRows {
  return {
    tsT0: Float64Array.from([T + 2 * H, T + 4 * H, T + 3 * H, T + 9 * H]),
    pairId: ['A_B', 'A_B', 'C_D', 'A_B'],
    score: Float64Array.from([0.7, 0.2, 0.9, 0.5]),
    wfStep: Float64Array.from([0, 1, 0, 1]),
    trainEnd: Float64Array.from([T + H, T + 3 * H, T + H, T + 3 * H]),
    ...over,
  };
}

function ptErrorId(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof PtError ? e.id : `not a PtError: ${String(e)}`;
  }
  return 'no error';
}

describe('alignOosPredictions', () => {
  it('places each score at the bar of its ts_t0, NaN elsewhere; rows without a bar are counted', () => {
    const a = alignOosPredictions('ai1', rows(), pairs, 'oos_ai1.parquet');
    expect(Array.from(a.byPair.get('A_B')!)).toEqual([NaN, NaN, 0.7, NaN, 0.2, NaN]);
    // C_D has no bar at T+3h (DQ removed it): that row and A_B's T+9h row are not placed.
    expect(Array.from(a.byPair.get('C_D')!)).toEqual([NaN, NaN, NaN, NaN]);
    expect(a.unplaced).toBe(2);
  });

  it('refuses a prediction whose model was trained on labels reaching its bar (train_end ≥ ts_t0)', () => {
    expect(() => alignOosPredictions('ai1', rows(), pairs, 'x')).not.toThrow();
    const leak = rows({ trainEnd: Float64Array.from([T + H, T + 4 * H, T + H, T + 3 * H]) });
    expect(ptErrorId(() => alignOosPredictions('ai1', leak, pairs, 'x'))).toBe('BT_OPT_INSAMPLE');
    const later = rows({ trainEnd: Float64Array.from([T + 5 * H, T + 3 * H, T + H, T + 3 * H]) });
    expect(ptErrorId(() => alignOosPredictions('ai2', later, pairs, 'x'))).toBe('BT_OPT_INSAMPLE');
  });

  it('refuses a table without walk-forward provenance (in-sample or unknown)', () => {
    const { wfStep: _s, trainEnd: _e, ...bare } = rows();
    expect(ptErrorId(() => alignOosPredictions('ai1', bare, pairs, 'x'))).toBe('BT_OPT_INSAMPLE');
  });

  it('refuses a bar predicted twice', () => {
    const twice = rows({
      tsT0: Float64Array.from([T + 2 * H, T + 2 * H, T + 3 * H, T + 9 * H]),
      trainEnd: Float64Array.from([T + H, T + H, T + H, T + 3 * H]),
    });
    expect(() => alignOosPredictions('ai1', twice, pairs, 'x')).toThrow(/predicted twice/);
  });
});
