// The one bound on how far a price can move between two bars: 5x either way is a broken print or a
// wrong price scale, never an FX or metals market. The ingest guard and DQ both use it.

/** A move by this factor or more (either way) is implausible. */
export const MAX_PLAUSIBLE_FACTOR = 5;

/** True when going from `from` to `to` is a move no market makes between two bars (NaN counts as one). */
export function isImplausibleJump(to: number, from: number): boolean {
  const r = to / from;
  return !(r < MAX_PLAUSIBLE_FACTOR && r > 1 / MAX_PLAUSIBLE_FACTOR);
}
