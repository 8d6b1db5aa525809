// Failed writes on a real small file system: the environment id names the final path, the old
// content stays, and no temp file survives (probe #59, #92).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/core/durableFs.js';
import { isPtError, type PtError } from '../../src/core/ptError.js';
import { writeCsvTable } from '../../src/adapters/files/tableCsvWriter.js';
import { writeParquetTable } from '../../src/adapters/duckdb/tableParquetWriter.js';
import type { TableColumn } from '../../src/ports/tableWriter.js';
import { writeModelVersion } from '../../src/ml/registry/index.js';
import { fakeArtefacts, makeKeyPair } from '../ml/registry/registryFixtures.js';
import { requireSmallFs } from '../helpers/smallFs.js';

async function failure(p: Promise<unknown>): Promise<PtError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(isPtError(e), String(e)).toBe(true);
  return e as PtError;
}

/** A table that does not compress: `rows` random doubles. */
function noiseTable(rows: number): TableColumn[] {
  const values = new Float64Array(rows);
  for (let i = 0; i < rows; i++) values[i] = Math.random();
  return [
    {
      name: 'ts_utc',
      kind: 'timestamp',
      values: Float64Array.from(values, (_, i) => Date.UTC(2024, 0, 1) + i * 3.6e6),
    },
    { name: 'x', kind: 'double', values },
  ];
}

const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.includes('.tmp-'));

const full = requireSmallFs(300);
const readOnly = requireSmallFs(300);
afterAll(() => {
  full?.unmount();
  readOnly?.unmount();
});

describe.runIf(full)('a full disk (300 KB file system)', () => {
  const dir = full!.dir;

  it('writeFileAtomic: CORE_FS_NOSPACE naming the final path, the old content kept, no temp file', async () => {
    const path = join(dir, 'report.json');
    writeFileSync(path, 'old\n');
    const e = await failure(writeFileAtomic(path, 'x'.repeat(1024 * 1024)));
    expect(e.id).toBe('CORE_FS_NOSPACE');
    expect(e.message).toContain(`cannot write ${path}: no space left on device`);
    expect(e.details.path).toBe(path);
    expect(readFileSync(path, 'utf8')).toBe('old\n');
    expect(leftovers(dir)).toEqual([]);
  });

  it('the CSV table writer: CORE_FS_NOSPACE, no temp file', async () => {
    const path = join(dir, 'feat.csv');
    const e = await failure(writeCsvTable(path, noiseTable(40_000)));
    expect(e.id).toBe('CORE_FS_NOSPACE');
    expect(e.message).toContain(path);
    expect(leftovers(dir)).toEqual([]);
  });

  it('the Parquet table writer (DuckDB): CORE_FS_NOSPACE, no temp file', async () => {
    const path = join(dir, 'feat.parquet');
    const e = await failure(writeParquetTable(path, noiseTable(100_000)));
    expect(e.id).toBe('CORE_FS_NOSPACE');
    expect(e.message).toContain(`cannot write ${path}`);
    expect(leftovers(dir)).toEqual([]);
  });
});

describe.runIf(full)('a full disk under a model version', () => {
  it('writeModelVersion: CORE_FS_NOSPACE naming the version folder, its temp folder removed', async () => {
    const dir = full!.dir;
    const filler = join(dir, 'filler');
    try {
      writeFileSync(filler, Buffer.alloc(1024 * 1024));
    } catch {
      // ENOSPC: the file system is now full, which is what this test needs.
    }
    const root = join(dir, 'models');
    mkdirSync(root);
    const keys = { signingKey: makeKeyPair().privateKey, env: {}, localKeyDir: join(dir, 'keys') };
    try {
      const e = await failure(writeModelVersion(root, fakeArtefacts(), { keys }));
      expect(e.id, `${e.message}\n${(e.cause as Error | undefined)?.stack ?? ''}`).toBe('CORE_FS_NOSPACE');
      expect(e.message).toMatch(new RegExp(`^cannot write model version ${root}/\\d{8}_\\d{4}_[0-9a-f]{7}: `));
      expect(readdirSync(root), e.message).toEqual([]);
    } finally {
      rmSync(filler, { force: true });
    }
    expect(existsSync(filler)).toBe(false);
  });
});

describe.runIf(readOnly)('a read-only file system', () => {
  it('every writer fails with CORE_FS_PERM naming the final path', async () => {
    const dir = readOnly!.dir;
    readOnly!.remountReadOnly();
    for (const [path, write] of [
      [join(dir, 'a.json'), (p: string) => writeFileAtomic(p, '{}')],
      [join(dir, 'f.csv'), (p: string) => writeCsvTable(p, noiseTable(10))],
      [join(dir, 'sub', 'f.csv'), (p: string) => writeCsvTable(p, noiseTable(10))],
      [join(dir, 'f.parquet'), (p: string) => writeParquetTable(p, noiseTable(10))],
    ] as const) {
      const e = await failure(write(path));
      expect(e.id, e.message).toBe('CORE_FS_PERM');
      expect(e.message).toContain(`cannot write ${path}: read-only file system`);
    }
  });
});

describe('a write that fails after its temp file exists (no mount needed)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pt-write-fail-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writeFileAtomic over a folder removes its temp file and names the path', async () => {
    const path = join(dir, 'taken');
    mkdirSync(join(path, 'inside'), { recursive: true });
    const e = await failure(writeFileAtomic(path, 'data'));
    expect(e.id).toBe('CORE_FS_IOFAIL');
    expect(e.message).toContain(`cannot write ${path}`);
    expect(leftovers(dir)).toEqual([]);
  });

  it('the Parquet writer over a folder removes its temp file', async () => {
    const path = join(dir, 'taken.parquet');
    mkdirSync(join(path, 'inside'), { recursive: true });
    const e = await failure(writeParquetTable(path, noiseTable(10)));
    expect(e.message).toContain(path);
    expect(leftovers(dir)).toEqual([]);
  });
});
