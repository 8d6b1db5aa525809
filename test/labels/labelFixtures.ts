// Builders of LabelInputs / LabelParams for the label tests.
import type { LabelInputs } from '../../src/labels/labelInputs.js';
import type { LabelParams } from '../../src/labels/labelParams.js';

export type ColumnValues = ArrayLike<number>;

/** Inputs of `z.length` rows: every row valid, every other column 0 (beta 1) unless given. */
export function makeInputs(
  z: ColumnValues,
  columns: Partial<Record<Exclude<keyof LabelInputs, 'ts' | 'z'>, ColumnValues>> = {},
): LabelInputs {
  const n = z.length;
  const column = (values: ColumnValues | undefined, fill: number): Float64Array => {
    if (values === undefined) return new Float64Array(n).fill(fill);
    if (values.length !== n) throw new Error(`fixture column has ${values.length} rows, z has ${n}`);
    return Float64Array.from(values as ArrayLike<number>);
  };
  return {
    ts: Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 3_600_000),
    valid:
      columns.valid === undefined ? new Uint8Array(n).fill(1) : Uint8Array.from(columns.valid as ArrayLike<number>),
    z: Float64Array.from(z),
    deltaZ: column(columns.deltaZ, 0),
    rA: column(columns.rA, 0),
    rB: column(columns.rB, 0),
    beta: column(columns.beta, 1),
    corrStability: column(columns.corrStability, 0),
    volRatioSpread: column(columns.volRatioSpread, 1),
    dzSpeed: column(columns.dzSpeed, 0),
  };
}

/** Defaults of config/core_policy.yaml except the windows, which tests set small. */
export function makeParams(overrides: Partial<LabelParams> = {}): LabelParams {
  return {
    zEntry: 2,
    zExit: 0.5,
    maxHoldingBars: 4,
    speedLookbackBars: 3,
    thetaSpeed: 0.5,
    thresholds: { corrVar: 0.025, volRatio: 1.8, dzSpeed: 0.12, ddRecent: 0.07 },
    ddWindowBars: 4,
    riskHorizonBars: 2,
    classWeightRatioMax: 5,
    ...overrides,
  };
}
