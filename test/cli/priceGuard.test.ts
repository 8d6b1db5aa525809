// The probe's wrong --price-scale cases (issue 13, probe #29–#32) on the bundled XAUUSD sample: each
// is refused, and the good history stays byte for byte; a real revision is capped and audited.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPt, repoRoot } from '../helpers/runPt.js';
import { isParquet, snapshotFiles } from '../helpers/barStoreFiles.js';

const configDir = join(repoRoot, 'config');
// A working folder of its own: a refused ingest records its alert in <cwd>/data/ops/alerts.jsonl.
const cwd = mkdtempSync(join(tmpdir(), 'pt-priceguard-cwd-'));
const pt = (args: string[]) => runPt(['-c', configDir, ...args], {}, cwd);
const lines = gunzipSync(readFileSync(join(repoRoot, 'data/sample/XAUUSDh1.csv.gz')))
  .toString('utf8')
  .split('\n');
const header = lines[0]!;
// 2019-03 .. about 2019-08, then the next ~1000 bars.
const early = lines.slice(1, 3001);
const later = lines.slice(3001, 4001);
let inDir: string;
const csv = (name: string, rows: string[]) => {
  const p = join(inDir, name);
  writeFileSync(p, `${header}\n${rows.join('\n')}\n`);
  return p;
};
const ingest = (path: string, dataDir: string, ...extra: string[]) =>
  pt([
    'ingest',
    '--source',
    'csv',
    '--path',
    path,
    '--symbols',
    'XAUUSD',
    '--timeframe',
    '1h',
    '--tz',
    'EET',
    '--data-dir',
    dataDir,
    ...extra,
  ]);

async function goodStore(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pt-guard-'));
  const r = ingest(csv('early.csv', early), dir, '--price-scale', '100');
  expect(r.stderr).not.toMatch(/ERROR/);
  expect(r.code).toBe(0);
  return dir;
}

async function closes(dataDir: string, sql = ''): Promise<number[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const res = await conn.runAndReadAll(
    `SELECT close FROM read_parquet('${dataDir}/canonical/1h/XAUUSD/*/*/*.parquet') ${sql} ORDER BY ts_utc`,
  );
  const out = res.getRows().map((r) => Number(r[0]));
  conn.closeSync();
  db.closeSync();
  return out;
}

beforeAll(() => {
  inDir = mkdtempSync(join(tmpdir(), 'pt-guard-in-'));
});

describe('price-scale guard (pt ingest)', () => {
  it('refuses an append imported with a 10x wrong --price-scale; the store is unchanged byte for byte', async () => {
    const dir = await goodStore();
    const before = await snapshotFiles(join(dir, 'canonical'), () => true);
    const r = ingest(csv('later.csv', later), dir, '--price-scale', '1000');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /ERROR DATA_PRICE_SCALE: .*XAUUSD: new prices are 0\.100× the stored close of .*a factor of 1\/10: a wrong --price-scale/,
    );
    expect(await snapshotFiles(join(dir, 'canonical'), () => true)).toEqual(before);
    // The refusal is an alert under its own id (CRITICAL), recorded in the working folder's ops_dir.
    const alerts = readFileSync(join(cwd, 'data', 'ops', 'alerts.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(JSON.parse(alerts.at(-1)!)).toMatchObject({
      error_id: 'DATA_PRICE_SCALE',
      severity: 'CRITICAL',
      source: 'ingest csv',
      details: { symbol: 'XAUUSD', timeframe: '1h' },
    });
    // The right scale goes through; a file that also holds the stored rows says they were not imported.
    const right = ingest(csv('all.csv', [...early, ...later]), dir, '--price-scale', '100');
    expect(right.code).toBe(0);
    expect(right.stdout).toMatch(
      /XAUUSD 1h: 1000 rows fetched, 1000 new.*outsideRange 3000; rows at or before the watermark \S+ were not imported \(--full merges them\)/,
    );
  });

  it('refuses --full with the wrong scale over a good store (probe #31): no bar is rewritten', async () => {
    const dir = await goodStore();
    const before = await snapshotFiles(join(dir, 'canonical'), isParquet);
    const r = ingest(csv('early.csv', early), dir, '--price-scale', '1000', '--full');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/DATA_PRICE_SCALE: .*0\.100× the 3000 stored bars they overlap/);
    expect(await snapshotFiles(join(dir, 'canonical'), isParquet)).toEqual(before);
  });

  it('refuses a first import without --price-scale (probe #29): gold at 129,506 is outside universe.yaml price_ranges', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-guard-'));
    const r = ingest(csv('early.csv', early), dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /DATA_PRICE_RANGE: .*XAUUSD: the first new close 129519 .* outside the plausible range \[300, 20000\]/,
    );
    expect(readdirSync(dir)).not.toContain('canonical');
  });

  it('a first import 10x too small (probe #30) is refused by the range too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-guard-'));
    const r = ingest(csv('early.csv', early), dir, '--price-scale', '1000');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/DATA_PRICE_RANGE/);
  });

  it('--allow-price-jump lets a deliberate jump through on a symbol without a range', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-guard-'));
    const go = (path: string, scale: string, ...extra: string[]) =>
      pt([
        'ingest',
        '--source',
        'csv',
        '--path',
        path,
        '--symbols',
        'GOLDX',
        '--timeframe',
        '1h',
        '--tz',
        'EET',
        '--price-scale',
        scale,
        '--data-dir',
        dir,
        ...extra,
      ]);
    expect(go(csv('early.csv', early), '100').code).toBe(0);
    const refused = go(csv('later.csv', later), '10');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /DATA_PRICE_SCALE: .*GOLDX: new prices are 10\.0× .*a factor of 10: a wrong --price-scale/,
    );
    const allowed = go(csv('later.csv', later), '10', '--allow-price-jump');
    expect(allowed.stderr).not.toMatch(/ERROR/);
    expect(allowed.code).toBe(0);
  });

  it('--allow-price-jump does not lift the range guard', async () => {
    const dir = await goodStore();
    // A made-up market that really moved 10x: ranges would refuse it, so use a config-free symbol.
    const r = pt([
      'ingest',
      '--source',
      'csv',
      '--path',
      csv('later.csv', later),
      '--symbols',
      'XAUUSD',
      '--timeframe',
      '1h',
      '--tz',
      'EET',
      '--price-scale',
      '1000',
      '--allow-price-jump',
      '--data-dir',
      dir,
    ]);
    // The range still holds (first close ~128 < 300): the two guards are separate.
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/DATA_PRICE_RANGE/);
  });

  it('a re-import that revises more than max_revise_share is refused; --force-revise applies it and keeps the old values', async () => {
    const dir = await goodStore();
    const before = await snapshotFiles(join(dir, 'canonical'), isParquet);
    const stored = await closes(dir);
    // Every 10th bar moved by 1 % (beyond the 0.3 % tolerance): 10 % of the overlap.
    const revised = early.map((line, i) => {
      if (i % 10 !== 0) return line;
      const f = line.split(',');
      const bump = (v: string) => String(Math.round(Number(v) * 1.01));
      return [f[0], bump(f[1]!), bump(f[2]!), bump(f[3]!), bump(f[4]!), f[5]].join(',');
    });
    const path = csv('revised.csv', revised);
    const refused = ingest(path, dir, '--price-scale', '100', '--full');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/DATA_REVISE_LIMIT: .*XAUUSD: this import would change 300 of the 3000 stored bars/);
    expect(await snapshotFiles(join(dir, 'canonical'), isParquet)).toEqual(before);

    const forced = ingest(path, dir, '--price-scale', '100', '--full', '--force-revise');
    expect(forced.stderr).not.toMatch(/ERROR/);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(
      /300 updated.*overwritten values kept in .*audit\/revised\/1h\/XAUUSD\/XAUUSD_\d{8}T\d{9}Z\.parquet/,
    );
    const auditDir = join(dir, 'audit/revised/1h/XAUUSD');
    const [auditFile] = readdirSync(auditDir);
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const audit = (
      await conn.runAndReadAll(
        `SELECT old_close, new_close FROM read_parquet('${join(auditDir, auditFile!)}') ORDER BY ts_utc`,
      )
    ).getRows();
    conn.closeSync();
    db.closeSync();
    expect(audit).toHaveLength(300);
    // The old values are the stored ones, the new ones are now in the store.
    const after = await closes(dir);
    for (let k = 0; k < 300; k++) {
      expect(Number(audit[k]![0])).toBe(stored[k * 10]);
      expect(Number(audit[k]![1])).toBe(after[k * 10]);
    }
  });
});
