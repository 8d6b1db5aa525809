// Inner join of two sorted legs on ts (SPEC §1.4 pair alignment), counting what each leg loses.
import type { AlignedPair, BarColumns } from '../model/bar.js';

type Leg = AlignedPair['a'];

function pick(src: BarColumns, idx: Int32Array, n: number): Leg {
  const take = (col: Float64Array): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = col[idx[i]!]!;
    return out;
  };
  const quality = new Uint8Array(n);
  for (let i = 0; i < n; i++) quality[i] = src.quality[idx[i]!]!;
  return {
    symbol: src.symbol,
    open: take(src.open),
    high: take(src.high),
    low: take(src.low),
    close: take(src.close),
    volume: take(src.volume),
    quality,
  };
}

/** Both legs must be ascending without duplicate ts (what readBars returns). */
export function alignColumns(a: BarColumns, b: BarColumns): AlignedPair {
  const max = Math.min(a.length, b.length);
  const ia = new Int32Array(max);
  const ib = new Int32Array(max);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ta = a.ts[i]!;
    const tb = b.ts[j]!;
    if (ta === tb) {
      ia[n] = i++;
      ib[n++] = j++;
    } else if (ta < tb) i++;
    else j++;
  }
  const ts = new Float64Array(n);
  for (let k = 0; k < n; k++) ts[k] = a.ts[ia[k]!]!;
  return {
    pairId: `${a.symbol}_${b.symbol}`,
    timeframe: a.timeframe,
    length: n,
    ts,
    a: pick(a, ia, n),
    b: pick(b, ib, n),
    droppedA: a.length - n,
    droppedB: b.length - n,
  };
}
