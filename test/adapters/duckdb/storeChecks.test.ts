// The store's hand-written bar check and metadata serialiser against the schema and the general form.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertStorableBars, assertStorableBatch } from '../../../src/adapters/duckdb/assertStorableBars.js';
import { barsAsBatch } from '../../../src/adapters/duckdb/barsAsBatch.js';
import { serializeMetadata } from '../../../src/adapters/duckdb/metadataJson.js';
import { batchByMonth } from '../../../src/adapters/duckdb/upsertMerge.js';
import { isPtError } from '../../../src/core/ptError.js';
import type { BarMetadata, CanonicalBar } from '../../../src/model/bar.js';
import { assertCanonicalBars } from '../../../src/model/barSchema.js';
import { HOUR, makeBar } from '../../helpers/barFixtures.mjs';

const KNOWN = ['symbol_source', 'source_latency_ms', 'provider_version', 'ingest_seq', 'checksum'];

/** The general form, written out independently: known keys in order, then the rest sorted, nested objects sorted. */
function model(metadata: Record<string, unknown>): string {
  const stable = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(stable);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, stable((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  const out: Record<string, unknown> = {};
  for (const k of KNOWN) if (k in metadata) out[k] = stable(metadata[k]);
  for (const k of Object.keys(metadata)
    .filter((x) => !KNOWN.includes(x))
    .sort())
    out[k] = stable(metadata[k]);
  return JSON.stringify(out);
}

function schemaVerdict(check: () => void): string {
  try {
    check();
    return 'ok';
  } catch (e) {
    return isPtError(e) ? e.id : `other: ${String(e)}`;
  }
}

describe('serializeMetadata', () => {
  it('gives the general form for known keys in any order, odd values and extra keys', () => {
    const value = fc.oneof(
      fc.string(),
      fc.double(),
      fc.integer(),
      fc.constant(null),
      fc.constant(undefined),
      fc.boolean(),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 3 }),
    );
    const key = fc.oneof(fc.constantFrom(...KNOWN), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 7 }), (entries) => {
        const metadata: Record<string, unknown> = {};
        for (const [k, v] of entries) metadata[k] = v;
        expect(serializeMetadata(metadata as unknown as BarMetadata)).toBe(model(metadata));
      }),
      { numRuns: 2000 },
    );
    const csv = {
      checksum: 'd0963dcde9860c09',
      ingest_seq: 2042,
      provider_version: 'csv-1',
      symbol_source: 'A "quoted" \\ name.csv',
    };
    expect(serializeMetadata(csv)).toBe(model(csv));
    expect(serializeMetadata({} as BarMetadata)).toBe('{}');
  });
});

describe('assertStorableBars', () => {
  it('accepts and refuses the same bars as the canonical schema', () => {
    const base = makeBar('EURUSD', Date.UTC(2022, 0, 3), { seq: 1 });
    const variants: Array<[string, unknown]> = [
      ['base', base],
      ['fractional ts', { ...base, ts_utc: base.ts_utc + 0.5 }],
      ['negative ts', { ...base, ts_utc: -HOUR }],
      ['NaN ts', { ...base, ts_utc: NaN }],
      ['string ts', { ...base, ts_utc: String(base.ts_utc) }],
      ['zero open', { ...base, open: 0 }],
      ['NaN close', { ...base, close: NaN }],
      ['null volume', { ...base, volume: null }],
      ['negative volume', { ...base, volume: -1 }],
      ['NaN volume', { ...base, volume: NaN }],
      ['missing volume', (({ volume: _v, ...rest }) => rest)(base)],
      ['unknown flag', { ...base, quality_flag: 'weird' }],
      ['revised flag', { ...base, quality_flag: 'revised' }],
      ['empty source', { ...base, source_id: '' }],
      ['numeric run id', { ...base, ingest_run_id: 7 }],
      ['null metadata', { ...base, metadata: null }],
      ['array metadata', { ...base, metadata: [] }],
      ['no ingest_seq', { ...base, metadata: { checksum: 'x' } }],
      ['string ingest_seq', { ...base, metadata: { ingest_seq: '1' } }],
      ['numeric checksum', { ...base, metadata: { ingest_seq: 1, checksum: 5 } }],
      ['null latency', { ...base, metadata: { ingest_seq: 1, source_latency_ms: null } }],
      ['string latency', { ...base, metadata: { ingest_seq: 1, source_latency_ms: '5' } }],
      ['extra metadata key', { ...base, metadata: { ingest_seq: 1, extra: { a: 1 } } }],
      ['extra bar key', { ...base, extra: 1 }],
      ['high below close', { ...base, high: base.close / 2 }],
      ['low above open', { ...base, low: base.open * 2, high: base.open * 3 }],
    ];
    for (const [name, bar] of variants) {
      const want = schemaVerdict(() => assertCanonicalBars([bar as CanonicalBar], 'test'));
      const got = schemaVerdict(() => assertStorableBars([bar as CanonicalBar], 'EURUSD', '1h'));
      expect(got, name).toBe(want);
    }
    expect(schemaVerdict(() => assertStorableBars([base], 'USDJPY', '1h'))).toBe('DATA_SCHEMA_BAR');
    expect(schemaVerdict(() => assertStorableBars([base], 'EURUSD', '4h'))).toBe('DATA_SCHEMA_BAR');
  });

  it('gives the same verdicts and messages for a batch (columns) as for the bars', () => {
    const base = makeBar('EURUSD', Date.UTC(2022, 0, 3), { seq: 1 });
    // What a batch can hold: numbers in columns (a null volume is NaN there), strings from methods.
    const variants: Array<[string, CanonicalBar]> = [
      ['base', base],
      ['fractional ts', { ...base, ts_utc: base.ts_utc + 0.5 }],
      ['negative ts', { ...base, ts_utc: -HOUR }],
      ['NaN ts', { ...base, ts_utc: NaN }],
      ['zero open', { ...base, open: 0 }],
      ['negative high', { ...base, high: -1 }],
      ['NaN low', { ...base, low: NaN }],
      ['NaN close', { ...base, close: NaN }],
      ['null volume', { ...base, volume: null }],
      ['zero volume', { ...base, volume: 0 }],
      ['negative volume', { ...base, volume: -1 }],
      ['revised flag', { ...base, quality_flag: 'revised' }],
      ['empty source', { ...base, source_id: '' }],
      ['empty run id', { ...base, ingest_run_id: '' }],
      ['high below close', { ...base, high: base.close / 2 }],
      ['low above open', { ...base, low: base.open * 2, high: base.open * 3 }],
    ];
    const outcome = (check: () => void): string => {
      try {
        check();
        return 'ok';
      } catch (e) {
        return isPtError(e) ? `${e.id} ${e.message}` : `other: ${String(e)}`;
      }
    };
    for (const [name, bar] of variants) {
      const want = outcome(() => assertStorableBars([base, bar], 'EURUSD', '1h'));
      const got = outcome(() => assertStorableBatch(barsAsBatch([base, bar], 'EURUSD', '1h'), 'EURUSD', '1h'));
      expect(got, name).toBe(want);
    }
    const batch = barsAsBatch([base], 'EURUSD', '1h');
    expect(schemaVerdict(() => assertStorableBatch(batch, 'USDJPY', '1h'))).toBe('DATA_SCHEMA_BAR');
    expect(schemaVerdict(() => assertStorableBatch(batch, 'EURUSD', '4h'))).toBe('DATA_SCHEMA_BAR');
  });
});

describe('batchByMonth', () => {
  it('gives the same batches for ascending input as for the same bars shuffled', () => {
    const bars: CanonicalBar[] = [];
    for (let k = 0; k < 24 * 70; k++) bars.push(makeBar('EURUSD', Date.UTC(2022, 0, 28) + k * HOUR, { seq: k }));
    const shuffled = [...bars].reverse();
    const view = (input: CanonicalBar[]) => {
      const batch = barsAsBatch(input, 'EURUSD', '1h');
      return batchByMonth(batch).map((b) => ({
        month: b.month,
        bars: Array.from(b.rows, (k) => batch.bar(k)),
        inputDuplicates: b.inputDuplicates,
      }));
    };
    expect(view(bars)).toEqual(view(shuffled));
    expect(view(bars).map((b) => b.month)).toEqual(['2022-01', '2022-02', '2022-03', '2022-04']);
  });
});
