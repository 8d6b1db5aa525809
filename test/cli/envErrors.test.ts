// Environment failures through the real CLI (probe #55, #56, #59, #92): a full disk and a read-only
// file system give CORE_FS_NOSPACE / CORE_FS_PERM naming the path the user gave, never
// CORE_INTERNAL_BUG, and no temp file is left behind.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticIngestArgs } from '../helpers/ingestArgs.js';
import { runPt, repoRoot } from '../helpers/runPt.js';
import { requireSmallFs } from '../helpers/smallFs.js';

const configDir = join(repoRoot, 'config');
const work = mkdtempSync(join(tmpdir(), 'pt-cli-env-'));
const store = join(work, 'data');
const pt = (args: string[], env: NodeJS.ProcessEnv = {}) => runPt(['-c', configDir, ...args], env, work);

/** Every name under `dir` (recursively) that is a pt temp file. */
function temps(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((n) => /(^|\/)\.[^/]*\.tmp-\d+$/.test(n));
}

// 300 KB: the features CSV of three months (about 700 KB) cannot fit.
const full = requireSmallFs(300);
// Large enough for a copy of the store, then remounted read-only.
const readOnly = requireSmallFs(20 * 1024);

beforeAll(() => {
  const r = pt(syntheticIngestArgs('SYNA,SYNB', '2023-01-01', '2023-04-01', '--data-dir', store));
  expect(r.code, r.stderr).toBe(0);
  if (readOnly) {
    cpSync(store, join(readOnly.dir, 'data'), { recursive: true });
    mkdirSync(join(readOnly.dir, 'out'));
    readOnly.remountReadOnly();
  }
});

afterAll(() => {
  full?.unmount();
  readOnly?.unmount();
  rmSync(work, { recursive: true, force: true });
});

describe.runIf(full)('a full disk', () => {
  it('#59 features --out on a full file system: CORE_FS_NOSPACE naming the file, no temp file left', () => {
    const out = join(full!.dir, 'feat.csv');
    const r = pt(['features', '--pair', 'SYNA_SYNB', '--timeframe', '1h', '--data-dir', store, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`ERROR CORE_FS_NOSPACE: cannot write ${out}: no space left on device (ENOSPC)`);
    expect(existsSync(out)).toBe(false);
    expect(temps(full!.dir)).toEqual([]);
  });

  it('#58 ingest into a store on a full file system: CORE_FS_NOSPACE naming the partition, no temp file', () => {
    const data = join(full!.dir, 'data');
    const r = pt(syntheticIngestArgs('SYNA', '2020-01-01', '2023-01-01', '--data-dir', data));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^ERROR CORE_FS_NOSPACE: bar store: upsert \S+\/SYNA\/\d{4}\/\d{4}-\d{2}\/SYNA_\d{4}-\d{2}\.parquet: no space left/,
    );
    expect(temps(full!.dir)).toEqual([]);
  });
});

describe.runIf(readOnly)('a read-only file system', () => {
  const ro = () => readOnly!.dir;

  it('#92 features --out into it: CORE_FS_PERM naming the file', () => {
    const out = join(ro(), 'out', 'f.csv');
    const r = pt(['features', '--pair', 'SYNA_SYNB', '--timeframe', '1h', '--data-dir', store, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^ERROR CORE_FS_PERM: cannot write ${out}: read-only file system`));
  });

  it('#92 label --out-events and bt run --out into it: CORE_FS_PERM naming the path', () => {
    const events = join(ro(), 'out', 'e.csv');
    const l = pt(['label', '--pair', 'SYNA_SYNB', '--timeframe', '1h', '--data-dir', store, '--out-events', events]);
    expect(l.code).toBe(1);
    expect(l.stderr).toMatch(new RegExp(`^ERROR CORE_FS_PERM: cannot write ${events}: read-only file system`));
    const btOut = join(ro(), 'out', 'bt');
    const b = pt(['bt', 'run', '--pairs', 'SYNA_SYNB', '--rule-only', '--data-dir', store, '--out', btOut]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/^ERROR CORE_FS_PERM: /);
    expect(b.stderr.split('\n')[0]).toContain(btOut);
  });

  it('#56 dq on a read-only store: CORE_FS_PERM naming the quarantine file', () => {
    const data = join(ro(), 'data');
    const r = pt([
      'dq',
      '--symbols',
      'SYNA,SYNB',
      '--timeframe',
      '1h',
      '--data-dir',
      data,
      '--report',
      join(work, 'dq.json'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^ERROR CORE_FS_PERM: cannot write ${join(data, 'canonical/1h/__quarantine.json')}: read-only`),
    );
  });

  it('#55 ingest into a read-only store keeps the environment id (not DATA_STORAGE_IOFAIL)', () => {
    const data = join(ro(), 'data');
    const r = pt(syntheticIngestArgs('SYNA', '2023-01-01', '2023-05-01', '--data-dir', data));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ERROR CORE_FS_PERM: bar store: upsert .*: read-only file system/);
    expect(r.stderr.split('\n')[0]).toContain(join(data, 'canonical/1h/SYNA'));
  });
});
