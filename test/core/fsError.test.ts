// fsErrorFrom on real errno errors from node:fs, and on DuckDB-style text.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fsErrorFrom } from '../../src/core/fsError.js';
import { PtError } from '../../src/core/ptError.js';

const dir = mkdtempSync(join(tmpdir(), 'pt-fserror-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const caught = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

function errno(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: x, ${syscall} '${path}'`), { code, errno: -1, syscall, path });
}

describe('fsErrorFrom', () => {
  it('a missing file (a real ENOENT) is CORE_FS_MISSING with its path', async () => {
    const path = join(dir, 'nope.json');
    const e = fsErrorFrom(await caught(readFile(path)));
    expect(e?.id).toBe('CORE_FS_MISSING');
    expect(e?.message).toBe(`open ${path}: no such file or directory (ENOENT)`);
    expect(e?.details).toMatchObject({ path, code: 'ENOENT', syscall: 'open' });
  });

  it('a path through a file (a real ENOTDIR) is CORE_FS_MISSING', async () => {
    writeFileSync(join(dir, 'file'), '');
    const e = fsErrorFrom(await caught(mkdir(join(dir, 'file', 'sub'))));
    expect(e?.id).toBe('CORE_FS_MISSING');
  });

  it('maps permission, read-only, full disk and quota codes', () => {
    const ids = ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EIO', 'EMFILE'].map(
      (code) => fsErrorFrom(errno(code, 'open', '/x/y'))?.id,
    );
    expect(ids).toEqual([
      'CORE_FS_PERM',
      'CORE_FS_PERM',
      'CORE_FS_PERM',
      'CORE_FS_NOSPACE',
      'CORE_FS_NOSPACE',
      'CORE_FS_IOFAIL',
      'CORE_FS_IOFAIL',
    ]);
  });

  it('names the final path of a temp file, and the temp file beside it', () => {
    const e = fsErrorFrom(errno('EACCES', 'open', '/out/.feat.csv.tmp-8797'));
    expect(e?.message).toBe('open /out/feat.csv: permission denied (EACCES on /out/.feat.csv.tmp-8797)');
  });

  it('uses the caller’s words and path when given', () => {
    const e = fsErrorFrom(errno('ENOSPC', 'write', '/out/.f.csv.tmp-1'), 'cannot write /out/f.csv', {
      path: '/out/f.csv',
      source: 'features',
    });
    expect(e?.message).toBe('cannot write /out/f.csv: no space left on device (ENOSPC on /out/.f.csv.tmp-1)');
    expect(e?.source).toBe('features');
    expect(e?.severity).toBe('CRITICAL');
  });

  it('reads DuckDB’s errno text only when asked, with the file it names', () => {
    const duck = new Error('IO Error: Could not write file "/o/.a.parquet.tmp-3": No space left on device');
    expect(fsErrorFrom(duck)).toBeUndefined();
    const e = fsErrorFrom(duck, 'bar store: upsert', { matchMessage: true });
    expect(e?.id).toBe('CORE_FS_NOSPACE');
    expect(e?.message).toBe('bar store: upsert /o/a.parquet: no space left on device (ENOSPC on /o/.a.parquet.tmp-3)');
    const bare = new Error('IO Error: Permission denied');
    expect(fsErrorFrom(bare, 'cannot write /o/b.parquet', { matchMessage: true })?.message).toBe(
      'cannot write /o/b.parquet: permission denied (EACCES): IO Error: Permission denied',
    );
  });

  it('is undefined for what is not an errno error (a bug stays a bug)', () => {
    expect(fsErrorFrom(new TypeError('x is undefined'))).toBeUndefined();
    expect(fsErrorFrom(new PtError('CORE_CLI_USAGE', 'bad'))).toBeUndefined();
    expect(fsErrorFrom('ENOSPC')).toBeUndefined();
  });
});
