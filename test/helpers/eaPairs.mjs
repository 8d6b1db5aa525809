// The pairs, magics and broker volumes the shared EA sequences and the random EA parity sequences run with
// (plain ESM: test/fixtures/mt5/buildSequences.mjs runs without a TS loader).

/** pairs.csv: pair_id → magic. */
export const PAIRS = { XAUUSD_XAGUSD: 880101, EURUSD_GBPUSD: 880102 };
/** Per broker_symbol: SYMBOL_VOLUME_MIN/STEP/MAX. */
export const VOLUMES = {
  XAUUSD: { min: 0.01, step: 0.01, max: 100 },
  XAGUSD: { min: 0.01, step: 0.01, max: 100 },
  EURUSD: { min: 0.01, step: 0.01, max: 50 },
  GBPUSD: { min: 0.1, step: 0.1, max: 50 },
};
/** pair → its legs' broker symbols; AUDUSD_NZDUSD is not in pairs.csv. */
export const LEGS = {
  XAUUSD_XAGUSD: ['XAUUSD', 'XAGUSD'],
  EURUSD_GBPUSD: ['EURUSD', 'GBPUSD'],
  AUDUSD_NZDUSD: ['AUDUSD', 'NZDUSD'],
};
