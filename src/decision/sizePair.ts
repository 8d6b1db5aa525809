// SPEC §7 sizing of both legs of a pair: notional → rounded lots, min-notional growth, ±1% beta ratio.
import { PtError } from '../core/ptError.js';
import type { PairSpec } from '../config/schemas/index.js';
import { usdPerQuote } from './usdPerQuote.js';

export interface SizePairInput {
  pair: PairSpec;
  /** Close of leg A and leg B in their quote currencies. */
  priceA: number;
  priceB: number;
  /** Hedge ratio of the pair; only |beta| is used. */
  beta: number;
  /** signals_policy.pair_notional_usd. */
  pairNotionalUsd: number;
  /** Both scales are required so a forgotten one never silently sizes at full risk. */
  positionScale: number;
  leverageScale: number;
  /** USD per unit of each leg's quote currency; may be omitted only for a USD-quoted leg (see usdPerQuote). */
  usdPerQuoteA?: number;
  usdPerQuoteB?: number;
}

export type SizeSkipReason = 'invalid_beta' | 'ratio_out_of_tolerance';

export type SizePairResult =
  | { ok: true; lotsA: number; lotsB: number; notionalA: number; notionalB: number; ratio: number }
  | { ok: false; reason: SizeSkipReason };

/** SPEC §7: the rounded N_B/N_A must be within ±1% of |beta|. */
export const RATIO_TOLERANCE = 0.01;
/** The re-adjustment looks at leg-A lot counts within ±10% of the first rounding (at least ±2 steps). */
export const SEARCH_FRACTION = 0.1;
export const SEARCH_MIN_STEPS = 2;
// Float noise guard: 0.29999999999999999 steps must count as 0.3, and a ratio exactly at +1% passes.
const EPS = 1e-9;

/**
 * Sizes both legs (SPEC §7). All arithmetic is in whole `lot_step` counts so lots never carry float
 * noise; `usd per step` of a leg = price × contract_size × usdPerQuote × lot_step.
 *
 * 1. Targets: N_A = pairNotionalUsd × positionScale × leverageScale, N_B = |beta| × N_A (USD).
 * 2. Min-notional growth: if either target is below `constraints.min_notional_usd`, both targets are
 *    multiplied by the same factor max(min/N_A, min/N_B), so the growth keeps the beta ratio exactly.
 * 3. Lots = target / usd-per-lot, rounded to the NEAREST `lot_step` (ties up): nearest, not down,
 *    because rounding down would bias every position small and the ratio check below repairs the
 *    imbalance either way. Each leg is then raised to at least `min_lot` and, if rounding took it
 *    under `min_notional_usd`, to the fewest steps that reach it.
 * 4. Ratio: if |N_B/N_A ÷ |beta| − 1| ≤ 1% with those lots, they are returned unchanged. Otherwise leg-A
 *    counts within ±max(2 steps, 10%) of step 3's (never under its floor) are tried, each with the
 *    two leg-B counts around |beta|·N_A (floor and ceil, never under B's floor). Among combinations within
 *    ±1%, the one whose leg A moves least from step 3 wins, then the smaller ratio error, then the
 *    smaller size. The search is bounded so a fit is never bought by a much larger position than
 *    asked for; no fit → `{ ok: false, reason: 'ratio_out_of_tolerance' }`.
 *
 * A beta that is 0 or not finite cannot be hedged and returns `invalid_beta`. Prices, notional or
 * scales that are not finite and positive, and missing quote rates, throw: they are bad inputs,
 * not trading outcomes. `tick_size` plays no part: sizing is in lots, not prices.
 */
export function sizePair(input: SizePairInput): SizePairResult {
  const { pair } = input;
  const absBeta = Math.abs(input.beta);
  if (!Number.isFinite(absBeta) || absBeta === 0) return { ok: false, reason: 'invalid_beta' };
  for (const [name, v] of [
    ['priceA', input.priceA],
    ['priceB', input.priceB],
    ['pairNotionalUsd', input.pairNotionalUsd],
    ['positionScale', input.positionScale],
    ['leverageScale', input.leverageScale],
  ] as const) {
    if (!Number.isFinite(v) || v <= 0) {
      throw new PtError(
        'DATA_INPUT_MISSING',
        `sizePair ${pair.pair_id}: ${name} must be a finite positive number, got ${v}`,
        { source: 'decision' },
      );
    }
  }
  const legA = pair.leg_A;
  const legB = pair.leg_B;
  const stepUsdA = input.priceA * legA.contract_size * usdPerQuote(legA, input.usdPerQuoteA) * legA.lot_step;
  const stepUsdB = input.priceB * legB.contract_size * usdPerQuote(legB, input.usdPerQuoteB) * legB.lot_step;
  const minNotional = pair.constraints.min_notional_usd;

  // 1-2. targets, grown together so their ratio stays |beta|.
  let targetA = input.pairNotionalUsd * input.positionScale * input.leverageScale;
  let targetB = absBeta * targetA;
  const grow = Math.max(1, minNotional / targetA, minNotional / targetB);
  targetA *= grow;
  targetB *= grow;

  // 3. nearest step, then the floors (min_lot, min_notional).
  const floorA = Math.max(ceilSteps(legA.min_lot / legA.lot_step), ceilSteps(minNotional / stepUsdA));
  const floorB = Math.max(ceilSteps(legB.min_lot / legB.lot_step), ceilSteps(minNotional / stepUsdB));
  const kA0 = Math.max(floorA, nearestSteps(targetA / stepUsdA));
  const kB0 = Math.max(floorB, nearestSteps(targetB / stepUsdB));

  const ratioError = (kA: number, kB: number): number => Math.abs((kB * stepUsdB) / (kA * stepUsdA) / absBeta - 1);
  if (ratioError(kA0, kB0) <= RATIO_TOLERANCE + EPS) return result(kA0, kB0);

  // 4. bounded search around step 3's leg A.
  const reach = Math.max(SEARCH_MIN_STEPS, Math.ceil(kA0 * SEARCH_FRACTION));
  let best: { kA: number; kB: number; move: number; err: number } | undefined;
  for (let kA = Math.max(floorA, kA0 - reach); kA <= kA0 + reach; kA++) {
    const exactB = (absBeta * kA * stepUsdA) / stepUsdB;
    for (const kB of new Set([Math.max(floorB, Math.floor(exactB + EPS)), Math.max(floorB, Math.ceil(exactB - EPS))])) {
      const err = ratioError(kA, kB);
      if (err > RATIO_TOLERANCE + EPS) continue;
      const move = Math.abs(kA - kA0);
      if (
        !best ||
        move < best.move ||
        (move === best.move && (err < best.err - EPS || (Math.abs(err - best.err) <= EPS && kA < best.kA)))
      ) {
        best = { kA, kB, move, err };
      }
    }
  }
  return best ? result(best.kA, best.kB) : { ok: false, reason: 'ratio_out_of_tolerance' };

  function result(kA: number, kB: number): SizePairResult {
    const notionalA = kA * stepUsdA;
    const notionalB = kB * stepUsdB;
    return {
      ok: true,
      lotsA: stepsToLots(kA, legA.lot_step),
      lotsB: stepsToLots(kB, legB.lot_step),
      notionalA,
      notionalB,
      ratio: notionalB / notionalA,
    };
  }
}

function nearestSteps(x: number): number {
  return Math.floor(x + 0.5 + EPS);
}

function ceilSteps(x: number): number {
  return Math.ceil(x - EPS);
}

/** k × step printed with the step's own decimals, so 3 × 0.01 is 0.03 and not 0.030000000000000002. */
function stepsToLots(k: number, step: number): number {
  let decimals = 0;
  while (decimals < 10 && Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) > EPS) decimals++;
  return Number((k * step).toFixed(decimals));
}
