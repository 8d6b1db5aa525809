// The one direction convention of pt (SPEC §3.1): which way a pair holds its spread and each leg's side.

/**
 * Position in the spread `S = p_A − β·p_B`, in units of leg A: +1 LONG_SPREAD (bought: long A),
 * −1 SHORT_SPREAD (sold: short A), 0 FLAT. Labels, sizing, P&L and signal.json all use it, so a
 * position's P&L per unit notional of A is `side · (r_A − β_entry · r_B)`.
 */
export type SpreadSide = -1 | 0 | 1;
export const LONG_SPREAD = 1 as const;
export const SHORT_SPREAD = -1 as const;
export const FLAT = 0 as const;

export type SpreadSideName = 'LONG_SPREAD' | 'SHORT_SPREAD' | 'FLAT';

/** SPEC §3.1: `d = sign(z)`; a rich spread (z > 0) is sold, a cheap one (z < 0) bought. NaN or 0 → FLAT. */
export function spreadSideForZ(z: number): SpreadSide {
  return z > 0 ? SHORT_SPREAD : z < 0 ? LONG_SPREAD : FLAT;
}

export function spreadSideName(side: number): SpreadSideName {
  return side === LONG_SPREAD ? 'LONG_SPREAD' : side === SHORT_SPREAD ? 'SHORT_SPREAD' : 'FLAT';
}

/** The side stored as a name back to its number; throws on anything else. */
export function spreadSideFromName(name: string): SpreadSide {
  if (name === 'LONG_SPREAD') return LONG_SPREAD;
  if (name === 'SHORT_SPREAD') return SHORT_SPREAD;
  if (name === 'FLAT') return FLAT;
  throw new RangeError(`invalid spread side ${JSON.stringify(name)}`);
}

/** Sign of leg A's position: the spread side itself (+1 bought, −1 sold). */
export function legASign(side: SpreadSide): SpreadSide {
  return side;
}

/**
 * Sign of leg B's position: `−side · sign(β)`. Buying the spread with β > 0 sells B; with β < 0
 * (e.g. AUDUSD/USDCAD) it **buys** B, since `−β·p_B` then carries B with a positive weight.
 * β = 0 or NaN holds no B (sizing refuses such a β before it gets here).
 */
export function legBSign(side: SpreadSide, beta: number): SpreadSide {
  if (side === FLAT || !(beta !== 0) || Number.isNaN(beta)) return FLAT;
  return (beta > 0 ? -side : side) as SpreadSide;
}
