// JSON Schema of the canonical bar; every adapter validates its output with it before returning.
import { Ajv } from 'ajv';
import { PtError } from '../core/ptError.js';
import { QUALITY_FLAGS, type CanonicalBar } from './bar.js';

/** ts_utc is epoch milliseconds UTC in memory (TIMESTAMP_MS in Parquet, RFC 3339 in JSON exports). */
export const CANONICAL_BAR_SCHEMA = {
  $id: 'https://pt.local/schemas/canonical_bar.v1.json',
  type: 'object',
  required: [
    'ts_utc',
    'symbol',
    'timeframe',
    'open',
    'high',
    'low',
    'close',
    'volume',
    'quality_flag',
    'source_id',
    'ingest_run_id',
    'metadata',
  ],
  additionalProperties: false,
  properties: {
    ts_utc: { type: 'integer', minimum: 0, description: 'bar open time, UTC epoch ms' },
    symbol: { type: 'string', pattern: '^[A-Z0-9]+$' },
    timeframe: { enum: ['15m', '1h', '4h'] },
    open: { type: 'number', exclusiveMinimum: 0 },
    high: { type: 'number', exclusiveMinimum: 0 },
    low: { type: 'number', exclusiveMinimum: 0 },
    close: { type: 'number', exclusiveMinimum: 0 },
    volume: { type: ['number', 'null'], minimum: 0 },
    quality_flag: { enum: [...QUALITY_FLAGS] },
    source_id: { type: 'string', minLength: 1 },
    ingest_run_id: { type: 'string', minLength: 1 },
    metadata: {
      type: 'object',
      required: ['ingest_seq'],
      additionalProperties: true,
      properties: {
        symbol_source: { type: 'string' },
        source_latency_ms: { type: ['number', 'null'] },
        provider_version: { type: 'string' },
        ingest_seq: { type: 'number' },
        checksum: { type: 'string' },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: false, strict: false }).compile(CANONICAL_BAR_SCHEMA);

/**
 * Throws DATA_SCHEMA_BAR naming the first bar that breaks the schema or OHLC consistency
 * (high >= max(open, close), low <= min(open, close)).
 */
export function assertCanonicalBars(bars: readonly CanonicalBar[], source: string): void {
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i]!;
    if (!validate(bar as unknown)) {
      const e = validate.errors?.[0];
      throw new PtError(
        'DATA_SCHEMA_BAR',
        `${source}: bar ${i} (${bar.symbol} ${bar.ts_utc}) breaks the canonical schema: ${e?.instancePath || '(bar)'} ${e?.message ?? ''}`.trim(),
        { source, details: { index: i } },
      );
    }
    if (bar.high < Math.max(bar.open, bar.close) || bar.low > Math.min(bar.open, bar.close)) {
      throw new PtError(
        'DATA_SCHEMA_BAR',
        `${source}: bar ${i} (${bar.symbol} ${new Date(bar.ts_utc).toISOString()}) has inconsistent OHLC`,
        { source, details: { index: i } },
      );
    }
  }
}
