// Shared paths and a default option set for the csv adapter tests.
import { REAL_DATA_DIR } from '../../helpers/sharedData.js';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { CsvReadOptions } from '../../../src/adapters/csv/index.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/csv/', import.meta.url));
export const REAL = `${REAL_DATA_DIR}/`;

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

export function options(overrides: Partial<CsvReadOptions> = {}): CsvReadOptions {
  return { symbol: 'EURUSD', timeframe: '1h', ingestRunId: 'run-test', ...overrides };
}

export const utc = (iso: string): number => Date.parse(`${iso}Z`);
