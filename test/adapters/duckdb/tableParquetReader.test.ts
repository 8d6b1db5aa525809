// A table written with writeParquetTable reads back column for column; a missing file or column is one error.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readParquetTable, writeParquetTable } from '../../../src/adapters/duckdb/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pt-table-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readParquetTable', () => {
  it('round-trips timestamps (ms), doubles with NaN and text', async () => {
    const path = join(dir, 't.parquet');
    const ts = Float64Array.from([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1, 1), Date.UTC(2024, 0, 1, 2)]);
    await writeParquetTable(path, [
      { name: 'ts_t0', kind: 'timestamp', values: ts },
      { name: 'score', kind: 'double', values: Float64Array.from([0.25, Number.NaN, 1 / 3]) },
      { name: 'pair_id', kind: 'varchar', values: ['A_B', 'C_D', 'A_B'] },
    ]);
    const r = await readParquetTable(path, { ts_t0: 'timestamp', score: 'double', pair_id: 'varchar' });
    expect(Array.from(r.ts_t0 as Float64Array)).toEqual(Array.from(ts));
    expect(Array.from(r.score as Float64Array)).toEqual([0.25, Number.NaN, 1 / 3]);
    expect(r.pair_id).toEqual(['A_B', 'C_D', 'A_B']);
  });

  it('names the file or column it cannot read', async () => {
    await expect(readParquetTable(join(dir, 'none.parquet'), { a: 'double' })).rejects.toThrow(
      /DATA_STORAGE_IOFAIL|cannot read .*none\.parquet/,
    );
    const path = join(dir, 'u.parquet');
    await writeParquetTable(path, [{ name: 'a', kind: 'double', values: Float64Array.of(1) }]);
    await expect(readParquetTable(path, { b: 'double' })).rejects.toThrow(/cannot read .*u\.parquet/);
  });
});
