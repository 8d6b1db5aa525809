// A deep copy of an aligned pair, so stress functions never write into their input.
import type { AlignedPair } from '../../model/bar.js';

type Leg = AlignedPair['a'];

function cloneLeg(leg: Leg): Leg {
  return {
    symbol: leg.symbol,
    open: leg.open.slice(),
    high: leg.high.slice(),
    low: leg.low.slice(),
    close: leg.close.slice(),
    volume: leg.volume.slice(),
    quality: leg.quality.slice(),
  };
}

export function clonePair(pair: AlignedPair): AlignedPair {
  return { ...pair, ts: pair.ts.slice(), a: cloneLeg(pair.a), b: cloneLeg(pair.b) };
}
