// Binary log-loss claims: the booster's fused loss-and-gradients pass equals the two separate passes bit for bit.
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/rng.js';
import { BinaryLogloss, binaryLossAndGradients, binaryLoglossOf } from '../../../src/ml/gbdt/binaryLogloss.js';

describe('binaryLossAndGradients', () => {
  const rng = new SeededRng(11);
  const n = 2000;
  // Margins of both signs, zeros of both signs and saturated ones, where exp(−s) and exp(−|s|) part ways.
  const scores = Float64Array.from({ length: n }, (_, i) =>
    i % 50 === 0 ? 0 : i % 50 === 1 ? -0 : i % 50 === 2 ? 800 * (rng.next() - 0.5) : 6 * rng.gaussian(),
  );
  const labels = Uint8Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
  const weights = Float64Array.from({ length: n }, () => (rng.next() < 0.1 ? 0 : 3 * rng.next()));

  it.each([
    ['without weights', undefined],
    ['with weights', weights],
  ])('returns binaryLoglossOf and writes gradients() exactly (%s)', (_, w) => {
    const grad = new Float64Array(n);
    const hess = new Float64Array(n);
    new BinaryLogloss(labels, w).gradients(scores, grad, hess);
    const fusedGrad = new Float64Array(n);
    const fusedHess = new Float64Array(n);
    expect(binaryLossAndGradients(scores, labels, w, fusedGrad, fusedHess)).toBe(binaryLoglossOf(scores, labels, w));
    expect([...fusedGrad]).toEqual([...grad]);
    expect([...fusedHess]).toEqual([...hess]);
  });
});
