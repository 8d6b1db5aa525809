// pt paper's prices: the store's bars through the backtest's own loading (DQ rules, quarantine, USD
// conversion from the store's FX series), so paper fills at the closes a backtest of the bars fills at.
import type { PairSpec, PtConfig } from '../config/schemas/index.js';
import type { Timeframe } from '../core/time.js';
import type { ConversionRate } from '../backtest/backtestTypes.js';
import { conversionFromStore, filledColumn, loadPairs } from '../backtest/prepareBacktest.js';
import type { OpenBarStore } from '../ports/barStore.js';
import type { PairPrices } from './paperLedger.js';

export interface LoadedPrices {
  prices: Map<string, PairPrices>;
  conversionRate: ConversionRate;
}

/**
 * Each pair's closes from the store's first bar to `toMs` (exclusive; all when undefined): from the
 * first bar, as `pt bt run` without --from, because the DQ rules read a window of bars around each one.
 */
export async function loadPaperPrices(
  config: PtConfig,
  openBarStore: OpenBarStore,
  dataDir: string,
  specs: PairSpec[],
  timeframe: Timeframe,
  toMs?: number,
): Promise<LoadedPrices> {
  const store = await openBarStore(dataDir);
  try {
    const loaded = await loadPairs(config, store, dataDir, specs, timeframe, undefined, toMs);
    const conversionRate = await conversionFromStore(config, store, specs, timeframe, undefined, toMs);
    const prices = new Map<string, PairPrices>();
    for (const { spec, pair } of loaded)
      prices.set(spec.pair_id, { ts: pair.ts, closeA: pair.a.close, closeB: pair.b.close, filled: filledColumn(pair) });
    return { prices, conversionRate };
  } finally {
    await store.close();
  }
}
