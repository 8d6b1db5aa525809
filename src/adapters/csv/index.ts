// Public surface of the csv adapter: file reading, listing, name inference and the provider.
export { readCsvBars, readCsvBatch, parseCsvBars, parseCsvBatch } from './readCsvBars.js';
export { listCsvFiles, listCsvFilesAsync } from './listCsvFiles.js';
export {
  inferSymbolFromFileName,
  inferTimeframeFromFileName,
  describeFileNameTimeframe,
  timeframeToken,
} from './inferSymbolFromFileName.js';
export { createCsvProvider, type CsvProviderOptions } from './createCsvProvider.js';
export { barChecksum } from '../../model/barChecksum.js';
export { CSV_SOURCE_ID, CSV_PROVIDER_VERSION } from './buildCsvBars.js';
export { ZoneClock } from '../../core/zoneClock.js';
export type {
  CsvBatchResult,
  CsvReadOptions,
  CsvReadResult,
  CsvReadStats,
  DroppedOpenBar,
  LastBarPolicy,
  WrittenOffsets,
} from './csvTypes.js';
export { createWatchLegFeed, REVISION_WINDOW, type WatchLegFeedOptions } from './watchLegFeed.js';
