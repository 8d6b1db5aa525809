// Checksums hashed on the worker thread are the same text as barChecksum's, for any numbers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barChecksum } from '../../src/model/barChecksum.js';
import { checksumsHex, checksumsHexOnWorker, type ChecksumColumns } from '../../src/model/checksumWorker.js';

function columns(rows: Array<[number, number, number, number, number, number | null]>): ChecksumColumns {
  const col = (k: number) => Float64Array.from(rows, (r) => (r[k] === null ? NaN : r[k]!));
  return { ts: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
}

describe('checksums on the worker thread', () => {
  it('equal barChecksum bar by bar, whatever the numbers look like', async () => {
    const price = fc.oneof(
      fc.double({ min: 1e-9, max: 1e22, noNaN: true }),
      fc.integer({ min: 1, max: 2_000_000 }).map((p) => p / 100_000),
      fc.constantFrom(0.1, 1e21, 5e-7, 103428.00000000001, 1547.59, 2 ** 53),
    );
    const row = fc.tuple(
      fc.integer({ min: 0, max: 4_102_444_800_000 }),
      price,
      price,
      price,
      price,
      fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 1e9 }), fc.double({ min: 0, max: 1e6, noNaN: true })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 200 }), async (rows) => {
        const c = columns(rows);
        const want = rows.map((r) => barChecksum(...r)).join('');
        expect(checksumsHex(c)).toBe(want);
        expect(await checksumsHexOnWorker(c)).toBe(want);
      }),
      { numRuns: 60 },
    );
  });
});
