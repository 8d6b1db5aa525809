// JSON Schema of account.json (what the EA or pt paper writes for pt live); mt5/schemas/account.schema.json is this object.
import { Ajv } from 'ajv';

/**
 * `positions` maps pair_id to the broker's net position of that pair: its spread side and the
 * signed lots of each leg (+ bought, − sold, SPEC §3.1), with the tickets that make it up, and
 * optionally its cumulative P&L (`pnl_usd`). A pair that holds nothing may be left out, or listed
 * FLAT to carry its P&L. Times are ISO-8601 UTC with a `Z`.
 */
export const ACCOUNT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://pt.local/schemas/account.v1.json',
  title: 'account.json v1',
  type: 'object',
  required: ['schema_version', 'ts', 'equity', 'balance', 'positions'],
  additionalProperties: false,
  properties: {
    schema_version: { const: 'v1' },
    ts: {
      type: 'string',
      pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$',
      description: 'when the writer took the snapshot, UTC',
    },
    equity: { type: 'number' },
    balance: { type: 'number' },
    margin: { type: 'number', minimum: 0 },
    positions: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z0-9._-]+$' },
      additionalProperties: {
        type: 'object',
        required: ['side', 'lots_A', 'lots_B', 'tickets'],
        additionalProperties: false,
        properties: {
          side: { enum: ['LONG_SPREAD', 'SHORT_SPREAD', 'FLAT'] },
          lots_A: { type: 'number', description: 'net lots of leg A: + bought, − sold' },
          lots_B: { type: 'number', description: 'net lots of leg B: + bought, − sold' },
          pnl_usd: {
            type: 'number',
            description:
              "the pair's cumulative P&L in USD (closed deals and floating profit, swaps and commissions included) since the EA began trading it; the per-pair drawdown level's mark",
          },
          tickets: { type: 'array', uniqueItems: true, items: { type: 'integer', minimum: 0 } },
        },
      },
    },
    alerts: {
      type: 'array',
      description:
        'what the writer could not do for a pair: naked_leg (a leg left without its partner: critical), second_leg_failed / entry_failed (an entry given up, its first leg closed), incomplete (a target not reached yet), no_margin (an entry refused for free margin), entry_expired (an entry not made before its open expired, given up); pt live logs each, CRITICAL when critical',
      items: {
        type: 'object',
        required: ['pair_id', 'alert', 'critical'],
        additionalProperties: false,
        properties: {
          pair_id: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' },
          alert: {
            enum: ['naked_leg', 'second_leg_failed', 'entry_failed', 'incomplete', 'no_margin', 'entry_expired'],
          },
          critical: { type: 'boolean' },
          lots_A: { type: 'number', description: 'net lots of leg A the pair holds now' },
          lots_B: { type: 'number', description: 'net lots of leg B the pair holds now' },
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: false, strict: true }).compile(ACCOUNT_SCHEMA);

/** The first way `value` breaks the account schema (`/positions/X/side must be equal to …`), or undefined. */
export function accountSchemaViolation(value: unknown): string | undefined {
  if (validate(value)) return undefined;
  const e = validate.errors?.[0];
  if (!e) return 'invalid';
  const p = e.params as Record<string, unknown>;
  const where =
    e.keyword === 'required'
      ? `${e.instancePath}/${String(p.missingProperty)}`
      : e.keyword === 'additionalProperties'
        ? `${e.instancePath}/${String(p.additionalProperty)}`
        : e.instancePath || '(file)';
  return `${where} ${e.message ?? 'invalid'}`;
}
