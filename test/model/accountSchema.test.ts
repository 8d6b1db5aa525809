// mt5/schemas/account.schema.json (for the EA's authors) is exactly the schema pt validates account.json with.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_SCHEMA, accountSchemaViolation } from '../../src/model/accountSchema.js';
import { repoRoot } from '../helpers/runPt.js';

describe('the account.json schema', () => {
  it('mt5/schemas/account.schema.json is ACCOUNT_SCHEMA', () => {
    const onDisk = readFileSync(join(repoRoot, 'mt5/schemas/account.schema.json'), 'utf8');
    expect(onDisk).toBe(`${JSON.stringify(ACCOUNT_SCHEMA, null, 2)}\n`);
  });

  it('accepts the smallest account and names the first violation otherwise', () => {
    const smallest = { schema_version: 'v1', ts: '2026-01-05T00:00:00Z', equity: 0, balance: 0, positions: {} };
    expect(accountSchemaViolation(smallest)).toBeUndefined();
    expect(accountSchemaViolation({ ...smallest, margin: -1 })).toMatch(/^\/margin /);
    expect(accountSchemaViolation({ ...smallest, positions: { 'bad id!': {} } })).toMatch(/^\/positions /);
    expect(accountSchemaViolation(null)).toMatch(/^\(file\) /);
  });
});
