// The price-scale guard: its pure rules, then guardPrices against a real store.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBarStore, type DuckDbBarStore } from '../../../src/adapters/duckdb/index.js';
import { loadConfig } from '../../../src/config/loadConfig.js';
import type { PtConfig } from '../../../src/config/schemas/index.js';
import { guardPrices } from '../../../src/data/ingest/guardPrices.js';
import { isImplausibleJump } from '../../../src/data/plausibleMove.js';
import { compareOverlap, freshBars, nearestPowerOfTen } from '../../../src/data/ingest/priceGuard.js';
import type { CanonicalBar } from '../../../src/model/bar.js';
import type { BarBatch } from '../../../src/model/barBatch.js';
import type { TableColumn } from '../../../src/ports/tableWriter.js';
import { makeTempDir, removeDir } from '../../helpers/barStoreFiles.js';
import { repoRoot } from '../../helpers/runPt.js';

const config = loadConfig(join(repoRoot, 'config'));
const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 2);

function bar(symbol: string, i: number, close: number, seq = i): CanonicalBar {
  return {
    ts_utc: T0 + i * H,
    symbol,
    timeframe: '1h',
    open: close,
    high: close * 1.001,
    low: close * 0.999,
    close,
    volume: null,
    quality_flag: 'ok',
    source_id: 'test',
    ingest_run_id: 'run',
    metadata: { ingest_seq: seq },
  };
}

const series = (symbol: string, from: number, to: number, level: (i: number) => number) =>
  Array.from({ length: to - from }, (_, k) => bar(symbol, from + k, level(from + k)));

describe('price guard rules', () => {
  it('a 5x move either way is implausible, less is not', () => {
    expect(isImplausibleJump(499, 100)).toBe(false);
    expect(isImplausibleJump(500, 100)).toBe(true);
    expect(isImplausibleJump(20.01, 100)).toBe(false);
    expect(isImplausibleJump(20, 100)).toBe(true);
    expect(nearestPowerOfTen(9.7)).toBe(10);
    expect(nearestPowerOfTen(0.0104)).toBeCloseTo(0.01, 15);
  });

  it('freshBars sorts by ts and keeps the later of two rows with one ts', () => {
    const f = freshBars([bar('X', 2, 3), bar('X', 0, 1), bar('X', 2, 4)]);
    expect(Array.from(f.ts)).toEqual([T0, T0 + 2 * H]);
    expect(Array.from(f.close)).toEqual([1, 4]);
  });

  it('freshBars uses the columns of an ascending batch as they are, and sorts one that is not', () => {
    const col = (...v: number[]) => Float64Array.from(v);
    const batch = (ts: Float64Array, close: Float64Array) =>
      ({ length: ts.length, ts, open: close, high: close, low: close, close, volume: close }) as unknown as BarBatch;
    const up = batch(col(1, 2, 3), col(10, 20, 30));
    expect(freshBars(up).close).toBe(up.close);
    const mixed = freshBars(batch(col(3, 1, 3), col(30, 10, 31)));
    expect(Array.from(mixed.ts)).toEqual([1, 3]);
    expect(Array.from(mixed.close)).toEqual([10, 31]);
  });

  it('compareOverlap counts overlap, moves beyond tolerance and any change', () => {
    const stored = freshBars(series('X', 0, 10, () => 100));
    const fresh = freshBars([
      bar('X', 3, 100), // same
      bar('X', 4, 100.1), // changed, within 0.3 %
      bar('X', 5, 101), // beyond
      bar('X', 20, 100), // not stored
    ]);
    const s = compareOverlap(fresh, stored, 0.003);
    expect(s.overlap).toBe(3);
    expect(s.beyondTolerance).toBe(1);
    expect(s.changed).toEqual([
      [1, 4],
      [2, 5],
    ]);
    expect(s.medianRatio).toBeCloseTo(1.001, 12);
  });
});

describe('guardPrices against a stored history', () => {
  let dir: string | undefined;
  let store: DuckDbBarStore | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir) await removeDir(dir);
    store = undefined;
    dir = undefined;
  });
  const open = async () => {
    dir = await makeTempDir('pt-guard-');
    store = await openBarStore(dir);
    return store;
  };
  const noOverride = { forceRevise: false, allowPriceJump: false };

  it('refuses a backfill 10x below the first stored bar (the stored bar after the new ones)', async () => {
    const s = await open();
    await s.upsert(
      'GOLDX',
      '1h',
      series('GOLDX', 100, 200, () => 2000),
      'test',
    );
    await expect(
      guardPrices(s, config, 'GOLDX', '1h', freshBars(series('GOLDX', 0, 100, () => 200)), noOverride),
    ).rejects.toThrow(/DATA_PRICE_SCALE|new prices are 0\.100× the stored close of 2024-01-06T04:00/);
    await expect(
      guardPrices(s, config, 'GOLDX', '1h', freshBars(series('GOLDX', 0, 100, () => 1990)), noOverride),
    ).resolves.toEqual({ revised: 0 });
  });

  it('the range test looks at the first and median close: one wild bar inside a good file is left to DQ', async () => {
    const s = await open();
    const bars = series('XAUUSD', 0, 50, () => 2000);
    bars[20] = bar('XAUUSD', 20, 1e308);
    await expect(guardPrices(s, config, 'XAUUSD', '1h', freshBars(bars), noOverride)).resolves.toEqual({ revised: 0 });
    bars[0] = bar('XAUUSD', 0, 200000);
    await expect(guardPrices(s, config, 'XAUUSD', '1h', freshBars(bars), noOverride)).rejects.toMatchObject({
      id: 'DATA_PRICE_RANGE',
    });
  });

  it('a small revision within max_revise_share goes through and is audited before the upsert', async () => {
    const s = await open();
    await s.upsert(
      'GOLDX',
      '1h',
      series('GOLDX', 0, 100, () => 2000),
      'test',
    );
    const next = series('GOLDX', 0, 100, () => 2000);
    next[7] = bar('GOLDX', 7, 2050);
    const audits: TableColumn[][] = [];
    const out = await guardPrices(s, config as PtConfig, 'GOLDX', '1h', freshBars(next), {
      ...noOverride,
      writeRevisionAudit: async (_sym, _tf, cols) => {
        audits.push(cols);
        return '/audit/path.parquet';
      },
    });
    expect(out).toEqual({ revised: 1, auditPath: '/audit/path.parquet' });
    const cols = Object.fromEntries(audits[0]!.map((c) => [c.name, Array.from(c.values as ArrayLike<unknown>)]));
    expect(cols.ts_utc).toEqual([T0 + 7 * H]);
    expect(cols.old_close).toEqual([2000]);
    expect(cols.new_close).toEqual([2050]);
    expect(cols.old_quality_flag).toEqual(['ok']);
  });
});
