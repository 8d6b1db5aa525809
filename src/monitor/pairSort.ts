// The pairs view's sort columns (`s` cycles them) and its text filter (`/`).
import type { PairState } from './monitorState.js';

export const PAIR_SORTS = ['pair', '|z|', 'prob', 'risk', 'age'] as const;
export type PairSort = (typeof PAIR_SORTS)[number];

export function nextSort(s: PairSort): PairSort {
  return PAIR_SORTS[(PAIR_SORTS.indexOf(s) + 1) % PAIR_SORTS.length]!;
}

/** Largest first for |z|, prob and risk; youngest signal first for age; missing values last; ties by pair id. */
export function sortPairs(pairs: readonly PairState[], by: PairSort): PairState[] {
  const key = (p: PairState): number | undefined =>
    by === '|z|'
      ? p.z === undefined
        ? undefined
        : -Math.abs(p.z)
      : by === 'prob'
        ? p.returnProb === undefined
          ? undefined
          : -p.returnProb
        : by === 'risk'
          ? p.riskScore === undefined
            ? undefined
            : -p.riskScore
          : by === 'age'
            ? p.signalAgeSeconds
            : 0;
  return [...pairs].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (ka === undefined) return 1;
      if (kb === undefined) return -1;
      return ka - kb;
    }
    return a.pairId < b.pairId ? -1 : a.pairId > b.pairId ? 1 : 0;
  });
}

/** Case-insensitive substring of the pair id. */
export function filterPairs(pairs: readonly PairState[], text: string): PairState[] {
  const t = text.trim().toUpperCase();
  return t === '' ? [...pairs] : pairs.filter((p) => p.pairId.toUpperCase().includes(t));
}
