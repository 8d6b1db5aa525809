// Batch features of one aligned pair: a loop over PairFeatureState (the streaming code), nothing else.
import { PtError } from '../core/ptError.js';
import type { AlignedPair } from '../model/bar.js';
import { FEATURE_COUNT } from './featureNames.js';
import type { FeatureParams } from './featureParams.js';
import { PairFeatureState } from './pairFeatureState.js';

export interface PairFeatures {
  pairId: string;
  length: number;
  ts: Float64Array;
  /** One column per FEATURE_NAMES entry, NaN where undefined. */
  columns: Float64Array[];
  /** 1 where every feature is defined. */
  valid: Uint8Array;
  /** Index of the first valid row (-1 when none). */
  firstValid: number;
}

/** Computes every SPEC §2 feature; throws CORE_FEATURES_WARMUP when no row becomes valid. */
export function computePairFeatures(
  pair: AlignedPair,
  params: FeatureParams,
  state = new PairFeatureState(params),
): PairFeatures {
  const n = pair.length;
  const columns = Array.from({ length: FEATURE_COUNT }, () => new Float64Array(n));
  const valid = new Uint8Array(n);
  const row = new Float64Array(FEATURE_COUNT);
  let firstValid = -1;
  for (let t = 0; t < n; t++) {
    const ok = state.update(
      pair.ts[t]!,
      pair.a.high[t]!,
      pair.a.low[t]!,
      pair.a.close[t]!,
      pair.b.high[t]!,
      pair.b.low[t]!,
      pair.b.close[t]!,
      row,
    );
    for (let k = 0; k < FEATURE_COUNT; k++) columns[k]![t] = row[k]!;
    if (ok) {
      valid[t] = 1;
      if (firstValid < 0) firstValid = t;
    }
  }
  if (firstValid < 0) {
    throw new PtError(
      'CORE_FEATURES_WARMUP',
      `${pair.pairId}: ${n} aligned bars never complete the feature windows (about ${warmupHint(params)} bars are needed before the first valid row)`,
      { source: 'features', details: { bars: n } },
    );
  }
  return { pairId: pair.pairId, length: n, ts: pair.ts, columns, valid, firstValid };
}

function warmupHint(p: FeatureParams): number {
  return p.betaWindow + Math.max(p.zWindow, p.stabilityWindow, p.halfLifeWindow, p.rhoWindow) + p.slopeWindow;
}
