// Seeded stand-in predictions for a pair's bars: uniform scores with about 10 % of the bars left
// without one (NaN), as walk-forward OOS folds leave gaps.
import type { SeededRng } from '../../src/core/rng.js';

export function randomPredictions(rng: SeededRng, n: number): { prob: Float64Array; risk: Float64Array } {
  const prob = new Float64Array(n);
  const risk = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    prob[i] = rng.next() < 0.1 ? Number.NaN : rng.next();
    risk[i] = rng.next() < 0.1 ? Number.NaN : rng.next();
  }
  return { prob, risk };
}
