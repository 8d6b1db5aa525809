// JSON Schema of the shard's signal.json (SPEC §8), the one mt5/schemas/signal.schema.json holds, and its compiled check.
import { Ajv } from 'ajv';

/** ISO-8601 UTC with a Z, as `Date.prototype.toISOString` writes it (milliseconds optional). */
const ISO_UTC = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$';
const SIDE = { enum: ['LONG_SPREAD', 'SHORT_SPREAD', 'FLAT'] };
/** NaN scores and features (undefined at this bar) are written as null. */
const NUMBER_OR_NULL = { type: ['number', 'null'] };

/**
 * signal.json v1. Beyond SPEC §8's field list it states the rules the EA relies on: a FLAT target has
 * no legs and any other target exactly two (leg A, then leg B) with positive lots; only an `open`
 * expires. Pair ids unique in a file is checked by the writer (JSON Schema cannot say it of a key).
 */
export const SIGNAL_FILE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://pt.local/schemas/signal.v1.json',
  title: 'pt signal.json v1 (SPEC §8)',
  type: 'object',
  required: ['schema_version', 'shard', 'seq', 'generated_at', 'model_version', 'stale', 'ops', 'signals'],
  additionalProperties: false,
  properties: {
    schema_version: { const: 'v1' },
    shard: { type: 'integer', minimum: 0 },
    seq: {
      type: 'integer',
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'strictly increasing across restarts',
    },
    generated_at: { type: 'string', pattern: ISO_UTC },
    model_version: { type: 'string', minLength: 1 },
    stale: { type: 'boolean', description: 'newest bar older than freshness_budget_seconds: no new entries' },
    ops: {
      type: 'object',
      required: ['global_halt', 'leverage_scale'],
      additionalProperties: false,
      properties: {
        global_halt: { type: 'boolean' },
        leverage_scale: { type: 'number', minimum: 0 },
      },
    },
    signals: { type: 'array', items: { $ref: '#/definitions/signal' } },
  },
  definitions: {
    leg: {
      type: 'object',
      required: ['symbol', 'broker_symbol', 'side', 'lots'],
      additionalProperties: false,
      properties: {
        symbol: { type: 'string', pattern: '^[A-Z0-9]+$' },
        broker_symbol: { type: 'string', minLength: 1 },
        side: { enum: ['BUY', 'SELL'] },
        lots: { type: 'number', exclusiveMinimum: 0 },
      },
    },
    target: {
      type: 'object',
      required: ['side', 'legs'],
      additionalProperties: false,
      properties: {
        side: SIDE,
        legs: { type: 'array', items: { $ref: '#/definitions/leg' } },
      },
      if: { required: ['side'], properties: { side: { const: 'FLAT' } } },
      then: { properties: { legs: { maxItems: 0 } } },
      else: { properties: { legs: { minItems: 2, maxItems: 2 } } },
    },
    signal: {
      type: 'object',
      required: [
        'signal_id',
        'pair_id',
        'bar_ts',
        'action',
        'side',
        'target',
        'z',
        'beta',
        'return_prob',
        'risk_score',
        'position_scale',
        'reason',
        'expires_at',
      ],
      additionalProperties: false,
      properties: {
        signal_id: { type: 'string', pattern: '^[0-9a-f]{24}$' },
        pair_id: { type: 'string', pattern: '^[A-Z0-9]+_[A-Z0-9]+$' },
        bar_ts: { type: 'string', pattern: ISO_UTC, description: 'bar open time' },
        action: { enum: ['open', 'close', 'hold', 'flatten'] },
        side: SIDE,
        target: { $ref: '#/definitions/target' },
        z: NUMBER_OR_NULL,
        beta: NUMBER_OR_NULL,
        return_prob: NUMBER_OR_NULL,
        risk_score: NUMBER_OR_NULL,
        position_scale: { type: 'number', minimum: 0 },
        reason: { type: 'string' },
        expires_at: { type: ['string', 'null'], pattern: ISO_UTC },
      },
      // Nested, so that an unknown action is reported as such rather than as a wrong expires_at.
      if: { required: ['action'], properties: { action: { const: 'open' } } },
      then: { properties: { expires_at: { type: 'string' } } },
      else: {
        if: { required: ['action'], properties: { action: { enum: ['close', 'hold', 'flatten'] } } },
        then: { properties: { expires_at: { type: 'null' } } },
      },
    },
  },
} as const;

// strictNumbers: a NaN or Infinity in memory would be written as null, where the schema wants a number.
const validate = new Ajv({ allErrors: false, strict: false, strictNumbers: true }).compile(SIGNAL_FILE_SCHEMA);

/** The first place `file` breaks the schema (`/signals/0/action must be equal to one of …`), or undefined when it holds. */
export function signalFileViolation(file: unknown): string | undefined {
  if (validate(file)) return undefined;
  const e = validate.errors?.[0];
  if (!e) return '(file) breaks the schema';
  const detail = e.params && 'allowedValues' in e.params ? ` ${JSON.stringify(e.params.allowedValues)}` : '';
  return `${e.instancePath || '(file)'} ${e.message ?? 'is invalid'}${detail}`.trim();
}
