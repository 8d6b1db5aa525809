// The USD value of one unit of a leg's quote currency, checked so a missing rate can never become 1.0.
import { PtError } from '../core/ptError.js';
import type { Leg } from '../config/schemas/index.js';

/**
 * USD per one unit of the leg's quote currency (SPEC §7: P&L is in USD; a leg quoted in another
 * currency converts at that bar's rate, and a missing rate is a validation error).
 *
 * - `quote_ccy === 'USD'` (XAUUSD, EURUSD …): the rate is 1 by definition, so `rate` may be omitted;
 *   a rate other than 1 is refused, because it means the caller confused the legs.
 * - any other quote (EURJPY, USDCHF, EURGBP …): the caller must pass the rate, e.g. for JPY
 *   `1 / USDJPY` (USDJPY = 150 → 1/150). Undefined, NaN, ±Infinity, 0 or a negative rate throws
 *   `DATA_INPUT_MISSING` — the catalog has no dedicated "missing FX rate" id yet; this is the closest.
 */
export function usdPerQuote(leg: Pick<Leg, 'canonical_symbol' | 'quote_ccy'>, rate?: number): number {
  if (leg.quote_ccy === 'USD') {
    if (rate === undefined || rate === 1) return 1;
    throw new PtError(
      'DATA_INPUT_MISSING',
      `${leg.canonical_symbol} is quoted in USD; its USD rate must be 1, got ${rate}`,
      {
        source: 'decision',
        details: { symbol: leg.canonical_symbol, quote_ccy: leg.quote_ccy, rate },
      },
    );
  }
  if (rate === undefined || !Number.isFinite(rate) || rate <= 0) {
    throw new PtError(
      'DATA_INPUT_MISSING',
      `no USD conversion rate for ${leg.canonical_symbol} (quote ${leg.quote_ccy}): got ${String(rate)}`,
      {
        source: 'decision',
        details: {
          symbol: leg.canonical_symbol,
          quote_ccy: leg.quote_ccy,
          rate: rate === undefined ? null : String(rate),
        },
      },
    );
  }
  return rate;
}
