// The stricter of two flag sets never lifts what either holds, and equal inputs give themselves back.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameOpsFlags, stricterOpsFlags } from '../../../src/ops/flags/stricterOpsFlags.js';
import { DEFAULT_OPS_FLAGS, type OpsFlags } from '../../../src/ports/liveBus.js';

const PAIRS = ['AAA_BBB', 'CCC_DDD', 'EEE_FFF'];
const pairs = fc.subarray(PAIRS);
const flagsArb: fc.Arbitrary<OpsFlags> = fc
  .record({
    globalHalt: fc.boolean(),
    hardHalt: fc.boolean(),
    haltedPairs: pairs,
    hardPairs: pairs,
    flattenPairs: pairs,
    graceful: pairs,
    leverageScale: fc.double({ min: 0, max: 1, noNaN: true }),
    canaryUntil: fc.dictionary(fc.constantFrom('portfolio', ...PAIRS), fc.integer({ min: 0, max: 2e12 })),
    canaryScale: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ graceful, ...f }) => ({
    ...f,
    globalHalt: f.globalHalt || f.hardHalt,
    gracefulPairs: graceful.filter((p) => f.flattenPairs.includes(p)),
  }));

describe('stricterOpsFlags', () => {
  it('keeps every halt, flatten and the lower scales of either side', () => {
    fc.assert(
      fc.property(flagsArb, flagsArb, (a, b) => {
        const s = stricterOpsFlags(a, b);
        for (const f of [a, b]) {
          if (f.globalHalt) expect(s.globalHalt).toBe(true);
          if (f.hardHalt) expect(s.hardHalt).toBe(true);
          for (const p of f.haltedPairs) expect(s.haltedPairs).toContain(p);
          for (const p of f.hardPairs) expect(s.hardPairs).toContain(p);
          for (const p of f.flattenPairs) expect(s.flattenPairs).toContain(p);
          // Immediate beats graceful: a pair flattened immediately by either is not graceful.
          for (const p of f.flattenPairs.filter((x) => !f.gracefulPairs.includes(x)))
            expect(s.gracefulPairs).not.toContain(p);
          for (const [scope, until] of Object.entries(f.canaryUntil))
            expect(s.canaryUntil[scope]).toBeGreaterThanOrEqual(until);
        }
        expect(s.leverageScale).toBe(Math.min(a.leverageScale, b.leverageScale));
        expect(s.canaryScale).toBe(Math.min(a.canaryScale, b.canaryScale));
        expect(sameOpsFlags(stricterOpsFlags(a, a), a)).toBe(true);
      }),
    );
  });

  it('a graceful flatten on one side only stays graceful', () => {
    const base: OpsFlags = { ...DEFAULT_OPS_FLAGS, flattenPairs: [], gracefulPairs: [] };
    const graceful = { ...base, flattenPairs: ['AAA_BBB'], gracefulPairs: ['AAA_BBB'] };
    expect(stricterOpsFlags(graceful, base).gracefulPairs).toEqual(['AAA_BBB']);
    expect(stricterOpsFlags(graceful, { ...base, flattenPairs: ['AAA_BBB'] }).gracefulPairs).toEqual([]);
  });
});
