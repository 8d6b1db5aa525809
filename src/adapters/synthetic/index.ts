// The synthetic adapter's factory.
export { SyntheticProvider, type SyntheticOptions } from './syntheticProvider.js';
export { specFor, simulateBasePath, SYNTHETIC_EPOCH_MS, SYNTHETIC_BREAK_MS } from './simulatePair.js';
