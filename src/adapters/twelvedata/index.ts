// Entry point of the `twelvedata` adapter.
import type { PtConfig } from '../../config/schemas/index.js';
import { twelveDataSettings } from './config.js';
import { TwelveDataProvider, type TwelveDataDeps } from './twelveDataProvider.js';

export { TwelveDataProvider, type RetryNotice, type TwelveDataDeps } from './twelveDataProvider.js';
export {
  twelveDataSettings,
  resolveApiKey,
  redactSecrets,
  TWELVEDATA_SOURCE_ID,
  type TwelveDataSettings,
} from './config.js';
export { toProviderSymbol, fromProviderSymbol, parseTimeSeries, TD_INTERVAL } from './parse.js';
export { TwelveDataPriceStream } from './priceStream.js';
export { BarAggregator } from './barAggregator.js';
export {
  TwelveDataLegFeed,
  createTwelveDataLegFeed,
  TD_FEED_DEFAULTS,
  type TwelveDataLegFeedOptions,
  type TwelveDataLegFeedCounts,
} from './twelveDataLegFeed.js';

/**
 * The TwelveData provider from the loaded config. The key is read from the variable named by
 * `api_key_ref` when a request or stream needs it (CORE_ENV_MISSING if unset), so building
 * the provider never fails for a missing key.
 */
export function createTwelveDataProvider(config: PtConfig, deps: TwelveDataDeps = {}): TwelveDataProvider {
  return new TwelveDataProvider(twelveDataSettings(config), config, deps);
}
