// The price-scale guard's pure rules: a wrong --price-scale (the usual MT5 mistake) moves every
// price by a power of ten, which no market does between two bars; a re-import that rewrites much
// of the stored history is as suspicious.
import type { BarColumns, CanonicalBar } from '../../model/bar.js';
import { isBarBatch, type BarBatch } from '../../model/barBatch.js';

/** New bars as ts-ascending columns, one row per ts (the later row of a duplicate wins). */
export type FreshBars = Omit<BarColumns, 'symbol' | 'timeframe' | 'quality'>;

export function freshBars(bars: readonly CanonicalBar[] | BarBatch): FreshBars {
  const n = bars.length;
  // Sources hand over ascending bars without duplicates: a batch's own columns then serve as they are.
  if (isBarBatch(bars)) {
    let ascending = true;
    for (let i = 1; i < n && ascending; i++) ascending = bars.ts[i]! > bars.ts[i - 1]!;
    if (ascending)
      return {
        length: n,
        ts: bars.ts,
        open: bars.open,
        high: bars.high,
        low: bars.low,
        close: bars.close,
        volume: bars.volume,
      };
  }
  const ts = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  if (isBarBatch(bars)) {
    ts.set(bars.ts);
    open.set(bars.open);
    high.set(bars.high);
    low.set(bars.low);
    close.set(bars.close);
    volume.set(bars.volume);
  } else {
    bars.forEach((b, i) => {
      ts[i] = b.ts_utc;
      open[i] = b.open;
      high[i] = b.high;
      low[i] = b.low;
      close[i] = b.close;
      volume[i] = b.volume ?? NaN;
    });
  }
  // Stable sort of row indexes by ts; of equal ts the last one is kept.
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => ts[x]! - ts[y]! || x - y);
  const keep: number[] = [];
  for (let k = 0; k < order.length; k++) {
    if (k + 1 < order.length && ts[order[k + 1]!] === ts[order[k]!]) continue;
    keep.push(order[k]!);
  }
  const pick = (src: Float64Array) => Float64Array.from(keep, (i) => src[i]!);
  return {
    length: keep.length,
    ts: pick(ts),
    open: pick(open),
    high: pick(high),
    low: pick(low),
    close: pick(close),
    volume: pick(volume),
  };
}

/** The power of ten nearest to `factor` (10 for 9.7, 0.01 for 0.0104). */
export function nearestPowerOfTen(factor: number): number {
  return 10 ** Math.round(Math.log10(factor));
}

export function median(values: Float64Array): number {
  if (values.length === 0) return NaN;
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** How the new bars meet the stored bars at the same ts. */
export interface OverlapStats {
  /** New bars whose ts is stored already. */
  overlap: number;
  /** Median of new close / stored close over the overlap (NaN when none). */
  medianRatio: number;
  /** Overlapping bars whose open, high, low or close moves by more than the tolerance (relative). */
  beyondTolerance: number;
  /** Overlap rows whose prices or volume change at all (these values would be overwritten): [fresh index, stored index]. */
  changed: Array<[number, number]>;
}

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

function sameVolume(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** Compares the new bars with the stored ones at equal ts (both ascending, one row per ts). */
export function compareOverlap(fresh: FreshBars, stored: FreshBars, tolerance: number): OverlapStats {
  const ratios: number[] = [];
  const changed: Array<[number, number]> = [];
  let beyond = 0;
  let j = 0;
  for (let i = 0; i < fresh.length; i++) {
    const t = fresh.ts[i]!;
    while (j < stored.length && stored.ts[j]! < t) j++;
    if (j >= stored.length) break;
    if (stored.ts[j] !== t) continue;
    ratios.push(fresh.close[i]! / stored.close[j]!);
    const moved = Math.max(
      relDiff(fresh.open[i]!, stored.open[j]!),
      relDiff(fresh.high[i]!, stored.high[j]!),
      relDiff(fresh.low[i]!, stored.low[j]!),
      relDiff(fresh.close[i]!, stored.close[j]!),
    );
    if (moved > tolerance) beyond++;
    if (
      fresh.open[i] !== stored.open[j] ||
      fresh.high[i] !== stored.high[j] ||
      fresh.low[i] !== stored.low[j] ||
      fresh.close[i] !== stored.close[j] ||
      !sameVolume(fresh.volume[i]!, stored.volume[j]!)
    )
      changed.push([i, j]);
  }
  return {
    overlap: ratios.length,
    medianRatio: median(Float64Array.from(ratios)),
    beyondTolerance: beyond,
    changed,
  };
}
