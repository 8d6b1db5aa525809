// ATR of period n (SPEC §2 Wilder smoothing) of the true range of one leg's raw prices.
import { Wilder } from '../../features/wilder.js';

/**
 * True range: max(high − low, |high − prev close|, |low − prev close|), high − low on the first bar.
 * Returns Wilder(n) of it per bar, NaN until n bars were seen.
 */
export function trueRangeAtr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  const n = close.length;
  const out = new Float64Array(n);
  const w = new Wilder(period);
  for (let i = 0; i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const tr = i === 0 ? h - l : Math.max(h - l, Math.abs(h - close[i - 1]!), Math.abs(l - close[i - 1]!));
    out[i] = w.push(tr);
  }
  return out;
}
