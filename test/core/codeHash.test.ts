// Reproducibility stamps: code_hash names the code that ran, data_hash the bars a run used.
import { describe, expect, it } from 'vitest';
import { codeHash } from '../../src/core/codeHash.js';
import { barContentHash } from '../../src/data/barContentHash.js';
import { syntheticPair } from '../helpers/syntheticPair.js';

describe('code_hash', () => {
  it('is the git commit of a clean checkout or a hash of the sources, never a constant version string', () => {
    const h = codeHash();
    expect(h).toMatch(/^(git:[0-9a-f]{40}|build:[0-9a-f]{16})$/);
    expect(codeHash()).toBe(h);
  });
});

describe('data_hash', () => {
  it('the same bars give the same hash; one changed close, or one changed flag, changes it', async () => {
    const a = await syntheticPair(Date.UTC(2024, 0, 1), Date.UTC(2024, 2, 1));
    const b = await syntheticPair(Date.UTC(2024, 0, 1), Date.UTC(2024, 2, 1));
    expect(barContentHash([a])).toBe(barContentHash([b]));
    b.b.close[500] = b.b.close[500]! * (1 + 1e-12);
    expect(barContentHash([b])).not.toBe(barContentHash([a]));
    const c = await syntheticPair(Date.UTC(2024, 0, 1), Date.UTC(2024, 2, 1));
    c.a.quality[10] = 1;
    expect(barContentHash([c])).not.toBe(barContentHash([a]));
  });
});
