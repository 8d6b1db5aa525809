// pt live --replay: the shard's pairs from the Parquet store through the DQ rules (the bars pt bt run
// reads), on one merged timeline, served bar by bar into LiveBar objects.
import type { PairSpec, PtConfig } from '../../config/schemas/index.js';
import type { Timeframe } from '../../core/time.js';
import { usdPerQuote } from '../../decision/usdPerQuote.js';
import type { AlignedPair } from '../../model/bar.js';
import type { BarStore } from '../../ports/barStore.js';
import type { ConversionRate } from '../../backtest/backtestTypes.js';
import { mergeTimelines, type MergedTimeline } from '../../backtest/mergeTimelines.js';
import { conversionFromStore, filledColumn, loadPairs } from '../../backtest/prepareBacktest.js';
import type { LiveBar } from '../livePair.js';

export interface ReplayData {
  specs: PairSpec[];
  pairs: AlignedPair[];
  filled: Uint8Array[];
  timeline: MergedTimeline;
  conversionRate: ConversionRate;
}

/** Every stored bar of the pairs up to `toMs` (exclusive): replays warm up on the history before --from. */
export async function loadReplay(
  config: PtConfig,
  store: BarStore,
  dataDir: string,
  specs: PairSpec[],
  timeframe: Timeframe,
  toMs?: number,
): Promise<ReplayData> {
  const loaded = await loadPairs(config, store, dataDir, specs, timeframe, undefined, toMs, true);
  const conversionRate = await conversionFromStore(config, store, specs, timeframe, undefined, toMs);
  const pairs = loaded.map((l) => l.pair);
  return {
    specs: loaded.map((l) => l.spec),
    pairs,
    filled: pairs.map(filledColumn),
    timeline: mergeTimelines(pairs.map((p) => p.ts)),
    conversionRate,
  };
}

/** Bar i of pair j into `out`. */
export function fillReplayBar(d: ReplayData, j: number, i: number, out: LiveBar): LiveBar {
  const p = d.pairs[j]!;
  const spec = d.specs[j]!;
  const ts = p.ts[i]!;
  out.tsMs = ts;
  out.openA = p.a.open[i]!;
  out.highA = p.a.high[i]!;
  out.lowA = p.a.low[i]!;
  out.closeA = p.a.close[i]!;
  out.openB = p.b.open[i]!;
  out.highB = p.b.high[i]!;
  out.lowB = p.b.low[i]!;
  out.closeB = p.b.close[i]!;
  out.filled = d.filled[j]![i] === 1;
  out.usdPerQuoteA =
    spec.leg_A.quote_ccy === 'USD' ? 1 : usdPerQuote(spec.leg_A, d.conversionRate(spec.leg_A.canonical_symbol, ts));
  out.usdPerQuoteB =
    spec.leg_B.quote_ccy === 'USD' ? 1 : usdPerQuote(spec.leg_B, d.conversionRate(spec.leg_B.canonical_symbol, ts));
  return out;
}
