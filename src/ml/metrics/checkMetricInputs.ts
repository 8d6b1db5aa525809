// Input checks shared by the metrics: NaN scores, labels other than 0/1 and bad weights are RangeErrors.

/** Throws a RangeError unless every score is a number (±Infinity allowed, NaN not). */
export function checkScores(scores: ArrayLike<number>, name = 'score'): void {
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i]!)) throw new RangeError(`${name} at ${i} is NaN`);
  }
}

/** Throws a RangeError unless every probability is in [0, 1]. */
export function checkProbabilities(probs: ArrayLike<number>): void {
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`probability ${p} at ${i} is not in [0, 1]`);
  }
}

/** Throws a RangeError unless every label is 0 or 1 (NaN included in the rejection). */
export function checkLabels(labels: ArrayLike<number>, n: number, name = 'label'): void {
  if (labels.length !== n) throw new RangeError(`${name}s have length ${labels.length}, expected ${n}`);
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (y !== 0 && y !== 1) throw new RangeError(`${name} ${y} at ${i} is not 0 or 1`);
  }
}

/** Throws a RangeError unless weights (when given) have length n and are finite and ≥ 0. */
export function checkWeights(weights: ArrayLike<number> | undefined, n: number): void {
  if (weights === undefined) return;
  if (weights.length !== n) throw new RangeError(`weights have length ${weights.length}, expected ${n}`);
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (!(w >= 0 && w < Infinity)) throw new RangeError(`weight ${w} at ${i} is not finite and >= 0`);
  }
}

/** Indices 0..n-1 sorted by `scores` (ascending, or descending when `descending`), ties by index. */
export function sortedIndex(scores: ArrayLike<number>, descending = false): Uint32Array {
  const idx = new Uint32Array(scores.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  const sign = descending ? -1 : 1;
  idx.sort((a, b) => {
    const sa = scores[a]!;
    const sb = scores[b]!;
    return sa === sb ? a - b : sa < sb ? -sign : sign;
  });
  return idx;
}
