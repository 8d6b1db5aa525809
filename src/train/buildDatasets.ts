// Training rows from a group of pairs: AI1 rows are events (features at t0), AI2 rows are valid bars
// with a y2. Each row keeps its [t0, t1] interval on the group's UTC timeline for purging (SPEC §4).
import type { PairFeatures } from '../features/computePairFeatures.js';
import type { Ai1Result, Ai2Result } from '../labels/index.js';
import { MODEL_FEATURE_INDEX } from './modelFeatures.js';

export interface PairLabels {
  pairId: string;
  features: PairFeatures;
  ai1: Ai1Result;
  ai2: Ai2Result;
  /** H of SPEC §3.2: the bars y2 looks ahead. */
  riskHorizonBars: number;
}

export interface Dataset {
  /** Model-feature columns (MODEL_FEATURES order), raw (unscaled). */
  X: Float64Array[];
  y: Uint8Array;
  /** Start and end (UTC ms) of the information each label used. */
  t0: Float64Array;
  t1: Float64Array;
  pair: Uint16Array;
  /** Bar index of the row within its pair. */
  bar: Uint32Array;
  /** AI1 only: the event's SpreadSide, +1 LONG_SPREAD, −1 SHORT_SPREAD. */
  direction?: Int8Array;
}

function allocate(n: number, withDirection: boolean): Dataset {
  return {
    X: MODEL_FEATURE_INDEX.map(() => new Float64Array(n)),
    y: new Uint8Array(n),
    t0: new Float64Array(n),
    t1: new Float64Array(n),
    pair: new Uint16Array(n),
    bar: new Uint32Array(n),
    ...(withDirection ? { direction: new Int8Array(n) } : {}),
  };
}

function put(
  d: Dataset,
  row: number,
  p: PairLabels,
  pairIndex: number,
  bar: number,
  y: number,
  t0: number,
  t1: number,
): void {
  MODEL_FEATURE_INDEX.forEach((k, j) => {
    d.X[j]![row] = p.features.columns[k]![bar]!;
  });
  d.y[row] = y;
  d.t0[row] = t0;
  d.t1[row] = t1;
  d.pair[row] = pairIndex;
  d.bar[row] = bar;
}

export function buildAi1Dataset(pairs: PairLabels[]): Dataset {
  const d = allocate(
    pairs.reduce((a, p) => a + p.ai1.t0.length, 0),
    true,
  );
  let row = 0;
  pairs.forEach((p, pi) => {
    for (let e = 0; e < p.ai1.t0.length; e++) {
      const bar = p.ai1.t0[e]!;
      put(d, row, p, pi, bar, p.ai1.y[e]!, p.features.ts[bar]!, p.features.ts[p.ai1.t1[e]!]!);
      d.direction![row] = p.ai1.direction[e]!;
      row++;
    }
  });
  return d;
}

export function buildAi2Dataset(pairs: PairLabels[]): Dataset {
  let n = 0;
  for (const p of pairs) for (let t = 0; t < p.features.length; t++) if (!Number.isNaN(p.ai2.y2[t]!)) n++;
  const d = allocate(n, false);
  let row = 0;
  pairs.forEach((p, pi) => {
    const ts = p.features.ts;
    for (let t = 0; t < p.features.length; t++) {
      const y2 = p.ai2.y2[t]!;
      if (Number.isNaN(y2)) continue;
      put(d, row++, p, pi, t, y2, ts[t]!, ts[Math.min(p.features.length - 1, t + Math.max(0, p.riskHorizonBars))]!);
    }
  });
  return d;
}

/** Sorted unique bar times of the group's valid rows: the axis purge, embargo and blocks count on. */
export function groupTimeline(pairs: PairLabels[]): Float64Array {
  const set = new Set<number>();
  for (const p of pairs)
    for (let t = 0; t < p.features.length; t++) if (p.features.valid[t]) set.add(p.features.ts[t]!);
  return Float64Array.from([...set].sort((a, b) => a - b));
}
