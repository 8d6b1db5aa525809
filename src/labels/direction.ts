// Event directions of AI1 and the baseline rule (SPEC §3.1: d = sign(z_t)).
/** z > 0: the spread is rich, sell A and buy B. */
export const SHORT_SPREAD = 1 as const;
/** z < 0: the spread is cheap, buy A and sell B. */
export const LONG_SPREAD = -1 as const;

export type Direction = typeof SHORT_SPREAD | typeof LONG_SPREAD;
export type DirectionName = 'SHORT_SPREAD' | 'LONG_SPREAD';

/** `DIRECTION_NAMES[d]` for d = +1 / -1. */
export const DIRECTION_NAMES: Readonly<Record<Direction, DirectionName>> = {
  [SHORT_SPREAD]: 'SHORT_SPREAD',
  [LONG_SPREAD]: 'LONG_SPREAD',
};

/** The name of a stored direction value; throws on anything but +1 / -1. */
export function directionName(direction: number): DirectionName {
  if (direction === SHORT_SPREAD || direction === LONG_SPREAD) return DIRECTION_NAMES[direction];
  throw new RangeError(`invalid direction ${direction}`);
}
