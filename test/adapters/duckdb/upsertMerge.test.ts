// The pure upsert rules against a naive model, over random inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barsAsBatch } from '../../../src/adapters/duckdb/barsAsBatch.js';
import { batchByMonth, mergeMonth, type StoredRow } from '../../../src/adapters/duckdb/upsertMerge.js';
import { serializeMetadata } from '../../../src/adapters/duckdb/metadataJson.js';
import { QUALITY_FLAGS, type CanonicalBar } from '../../../src/model/bar.js';
import { HOUR, makeBar } from '../../helpers/barFixtures.mjs';
import { storedRow } from '../../helpers/barStoreFiles.js';

const BASE = Date.UTC(2022, 0, 28);

describe('upsert rules', () => {
  it('matches a naive latest_wins + keep-identical model', () => {
    const barArb = fc.record({
      h: fc.integer({ min: 0, max: 24 * 8 }),
      version: fc.integer({ min: 0, max: 1 }),
      seq: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(barArb, { maxLength: 60 }), fc.array(barArb, { maxLength: 60 }), (storedSpec, inputSpec) => {
        // Stored state: one row per key, from a first upsert.
        const storedBars = new Map<number, CanonicalBar>();
        for (const s of storedSpec)
          storedBars.set(BASE + s.h * HOUR, makeBar('EURUSD', BASE + s.h * HOUR, { version: s.version, seq: s.seq }));
        const input = inputSpec.map((s) => makeBar('EURUSD', BASE + s.h * HOUR, { version: s.version, seq: s.seq }));

        // Naive model.
        const winner = new Map<number, CanonicalBar>();
        for (const b of input) {
          const cur = winner.get(b.ts_utc);
          if (!cur || b.metadata.ingest_seq >= cur.metadata.ingest_seq) winner.set(b.ts_utc, b);
        }
        const expected = new Map(storedBars);
        let inserted = 0;
        let updated = 0;
        let deduped = input.length - winner.size;
        for (const [ts, b] of winner) {
          const s = storedBars.get(ts);
          if (!s) {
            inserted++;
            expected.set(ts, b);
          } else if (s.close === b.close) deduped++;
          else {
            updated++;
            expected.set(ts, { ...b, quality_flag: 'revised' });
          }
        }

        const storedRows = new Map<string, StoredRow[]>();
        const storedBatch = barsAsBatch([...storedBars.values()], 'EURUSD', '1h');
        for (const b of batchByMonth(storedBatch))
          storedRows.set(
            b.month,
            Array.from(b.rows, (k) => storedRow(storedBatch.bar(k))),
          );
        type Row = [number, number, string, string];
        let got: Row[] = [];
        let counts = { inserted: 0, updated: 0, deduped: 0 };
        const months = new Set([...storedRows.keys()]);
        const batch = barsAsBatch(input, 'EURUSD', '1h');
        const batches = batchByMonth(batch);
        for (const b of batches) months.add(b.month);
        const asRow = (r: StoredRow): Row => [r.ts, r.close, r.quality, r.metadata];
        for (const month of [...months].sort()) {
          const b = batches.find((x) => x.month === month);
          const stored = storedRows.get(month) ?? [];
          if (!b) {
            got = got.concat(stored.map(asRow));
            continue;
          }
          const m = mergeMonth(stored, batch, b.rows);
          got = got.concat(
            Array.from(
              m.rows,
              (k, j): Row =>
                k < 0
                  ? asRow(stored[-1 - k]!)
                  : [
                      batch.ts[k]!,
                      batch.close[k]!,
                      m.revised?.[j] === 1 ? 'revised' : QUALITY_FLAGS[batch.quality[k]!]!,
                      batch.metadataJson(k),
                    ],
            ),
          );
          counts = {
            inserted: counts.inserted + m.inserted,
            updated: counts.updated + m.updated,
            deduped: counts.deduped + m.deduped + b.inputDuplicates,
          };
        }
        expect(counts).toEqual({ inserted, updated, deduped });
        const want = [...expected.values()].sort((a, b) => a.ts_utc - b.ts_utc);
        expect(got).toEqual(want.map((b) => [b.ts_utc, b.close, b.quality_flag, serializeMetadata(b.metadata)]));
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('serialises metadata keys in a fixed order whatever the input order', () => {
    const a = serializeMetadata({ checksum: 'c', ingest_seq: 1, extra: { b: 1, a: 2 }, symbol_source: 's' } as never);
    const b = serializeMetadata({ extra: { a: 2, b: 1 }, symbol_source: 's', ingest_seq: 1, checksum: 'c' } as never);
    expect(a).toBe(b);
    expect(a).toBe('{"symbol_source":"s","ingest_seq":1,"checksum":"c","extra":{"a":2,"b":1}}');
  });
});
