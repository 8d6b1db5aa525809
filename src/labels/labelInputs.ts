// The feature columns of one pair that the labels read (SPEC §2 names in the comments).
/** Columns of one pair, one entry per bar of the aligned series; all of the same length. */
export interface LabelInputs {
  /** Bar open times, UTC ms, ascending. */
  ts: Float64Array;
  /** Nonzero when every feature of the row is defined (SPEC §2 "valid"). */
  valid: Uint8Array;
  /** The signal z: `z`, or `z_ema` when `signal_z: ema` (the caller picks). */
  z: Float64Array;
  /** `delta_z = z_t - z_{t-1}`. */
  deltaZ: Float64Array;
  /** `r_A`: log return of leg A. */
  rA: Float64Array;
  /** `r_B`: log return of leg B. */
  rB: Float64Array;
  /** `beta`: the smoothed hedge ratio. */
  beta: Float64Array;
  /** `corr_stability`. */
  corrStability: Float64Array;
  /** `vol_ratio_spread`. */
  volRatioSpread: Float64Array;
  /** `dz_speed`. */
  dzSpeed: Float64Array;
}

const COLUMNS = ['valid', 'z', 'deltaZ', 'rA', 'rB', 'beta', 'corrStability', 'volRatioSpread', 'dzSpeed'] as const;

/** Number of rows, after checking that every column has the length of `ts`. */
export function checkLabelInputs(inputs: LabelInputs): number {
  const n = inputs.ts.length;
  for (const name of COLUMNS) {
    if (inputs[name].length !== n)
      throw new RangeError(`label input ${name} has ${inputs[name].length} rows, ts has ${n}`);
  }
  return n;
}
