// Temp files of dead writers are removed by any writer passing through their folder (probe case 62).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeParquetTable } from '../../src/adapters/duckdb/tableParquetWriter.js';
import { writeFileAtomic } from '../../src/core/durableFs.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A folder with a temp file of a dead process, one of a live other process and one of this process. */
function folderWithTemps(): { dir: string; dead: string; live: string; own: string; stop: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pt-temps-'));
  dirs.push(dir);
  const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  const names = {
    dead: `.X.parquet.tmp-${deadPid}`,
    live: `.Y.parquet.tmp-${other.pid}`,
    own: `.Z.parquet.tmp-${process.pid}`,
  };
  for (const n of Object.values(names)) writeFileSync(join(dir, n), 'partial');
  return { dir, ...names, stop: () => other.kill('SIGKILL') };
}

describe('stale temp files', () => {
  it('writeFileAtomic (a features __meta.json, a report) removes those of dead writers in its folder', async () => {
    const f = folderWithTemps();
    try {
      await writeFileAtomic(join(f.dir, '__meta.json'), '{}\n');
      expect(readdirSync(f.dir).sort()).toEqual([f.live, f.own, '__meta.json'].sort());
    } finally {
      f.stop();
    }
  });

  it('a Parquet table written into a features folder removes them too', async () => {
    const f = folderWithTemps();
    try {
      await writeParquetTable(join(f.dir, 'part.parquet'), [{ name: 'x', kind: 'double', values: [1, 2] }]);
      expect(readdirSync(f.dir).sort()).toEqual([f.live, f.own, 'part.parquet'].sort());
    } finally {
      f.stop();
    }
  });
});
