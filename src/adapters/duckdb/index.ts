// Public entry of the DuckDB/Parquet bar store.
export { openBarStore, type DuckDbBarStore } from './duckdbBarStore.js';
export { listCanonicalInventory, newestParquetTimestamp, type CanonicalSymbolInventory } from './canonicalInventory.js';
export { lockSymbol } from './storeLocks.js';
export { PARQUET_COPY_OPTIONS } from './partitionWriter.js';
export {
  repairBarStore,
  verifyBarStore,
  type MovedPartition,
  type RepairOptions,
  type RepairResult,
  type StoreProblem,
  type VerifyResult,
} from './storeMaintenance.js';
export { readParquetTable } from './tableParquetReader.js';
export { writeParquetTable } from './tableParquetWriter.js';
