// Lot sizes against a symbol's SYMBOL_VOLUME_MIN / STEP / MAX, as the EA rounds them (PtLots.mqh).

/** A symbol's volume limits as the broker states them. */
export interface VolumeSpec {
  min: number;
  step: number;
  max: number;
}

/** Slack on a step count, so 0.3 / 0.1 = 2.9999999999999996 counts as 3 steps and an exact half step rounds up. */
const STEP_EPS = 1e-7;

/** MQL5's NormalizeDouble(v, 8): half away from zero, as C's round. */
export function round8(v: number): number {
  const r = Math.round(Math.abs(v) * 1e8) / 1e8;
  return v < 0 ? -r : r;
}

/**
 * `lots` (> 0) rounded to the nearest step, half a step up; undefined when the result is 0, below min or
 * above max, or the spec is unusable (step ≤ 0): a leg that cannot be sized refuses its signal.
 */
export function roundLots(lots: number, spec: VolumeSpec): number | undefined {
  if (!(spec.step > 0) || !(lots > 0)) return undefined;
  const rounded = round8(Math.floor(lots / spec.step + 0.5 + STEP_EPS) * spec.step);
  if (rounded <= 0) return undefined;
  if (rounded < spec.min - spec.step * STEP_EPS) return undefined;
  if (rounded > spec.max + spec.step * STEP_EPS) return undefined;
  return rounded;
}

/** A signed lot difference rounded to whole steps (an order's size): 0 when under half a step. */
export function roundDelta(delta: number, step: number): number {
  if (!(step > 0)) return 0;
  const mag = round8(Math.floor(Math.abs(delta) / step + 0.5 + STEP_EPS) * step);
  return delta < 0 ? -mag : mag;
}
