// An aligned synthetic pair (SYNA/SYNB) for feature and label tests, straight from the synthetic adapter.
import { SyntheticProvider } from '../../src/adapters/synthetic/index.js';
import type { AlignedPair, CanonicalBar } from '../../src/model/bar.js';

function columns(bars: CanonicalBar[]) {
  return {
    symbol: bars[0]!.symbol,
    open: Float64Array.from(bars, (b) => b.open),
    high: Float64Array.from(bars, (b) => b.high),
    low: Float64Array.from(bars, (b) => b.low),
    close: Float64Array.from(bars, (b) => b.close),
    volume: new Float64Array(bars.length).fill(Number.NaN),
    quality: new Uint8Array(bars.length),
  };
}

export async function syntheticPair(
  fromMs = Date.UTC(2022, 0, 1),
  toMs = Date.UTC(2025, 0, 1),
  a = 'SYNA',
  b = 'SYNB',
): Promise<AlignedPair> {
  const p = new SyntheticProvider({ ingestRunId: 'test' });
  const [ba, bb] = await Promise.all([
    p.fetchTimeSeries(a, '1h', fromMs, toMs),
    p.fetchTimeSeries(b, '1h', fromMs, toMs),
  ]);
  if (ba.length !== bb.length) throw new Error('synthetic legs are not aligned');
  return {
    pairId: `${a}_${b}`,
    timeframe: '1h',
    length: ba.length,
    ts: Float64Array.from(ba, (x) => x.ts_utc),
    a: columns(ba),
    b: columns(bb),
    droppedA: 0,
    droppedB: 0,
  };
}
