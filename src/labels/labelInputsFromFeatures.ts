// Label inputs taken from a computed feature table (the signal z per features_policy signal_z).
import type { PairFeatures } from '../features/computePairFeatures.js';
import { F } from '../features/featureNames.js';
import type { LabelInputs } from './labelInputs.js';

export function labelInputsFromFeatures(f: PairFeatures, signalZ: 'raw' | 'ema'): LabelInputs {
  const col = (k: number) => f.columns[k]!;
  return {
    ts: f.ts,
    valid: f.valid,
    z: col(signalZ === 'ema' ? F.z_ema : F.z),
    deltaZ: col(F.delta_z),
    rA: col(F.r_A),
    rB: col(F.r_B),
    beta: col(F.beta),
    corrStability: col(F.corr_stability),
    volRatioSpread: col(F.vol_ratio_spread),
    dzSpeed: col(F.dz_speed),
  };
}
