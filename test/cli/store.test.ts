// pt store verify / repair, and corrupt store files met by the other commands (probe cases 51–54, 60–62).
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBarStore } from '../../src/adapters/duckdb/index.js';
import { isParquet, snapshotFiles } from '../helpers/barStoreFiles.js';
import { repoRoot, runPt } from '../helpers/runPt.js';

const configDir = join(repoRoot, 'config');
const range = ['--from', '2022-01-01', '--to', '2022-07-01'];
const pt = (...args: string[]) => runPt(['-c', configDir, ...args]);
const ingestArgs = (dataDir: string, symbols: string, ...more: string[]) => [
  'ingest',
  '--source',
  'synthetic',
  '--symbols',
  symbols,
  '--timeframe',
  '1h',
  ...range,
  '--data-dir',
  dataDir,
  ...more,
];

let root: string;
let clean: string;
let data: string;
const tf = () => join(data, 'canonical', '1h');
const part = (symbol: string, month: string) =>
  join(tf(), symbol, month.slice(0, 4), month, `${symbol}_${month}.parquet`);

async function bars(dataDir: string, symbol: string) {
  const store = await openBarStore(dataDir);
  try {
    return { rows: await store.readRows(symbol, '1h'), wm: await store.readWatermark(symbol, '1h') };
  } finally {
    await store.close();
  }
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pt-store-cli-'));
  clean = join(root, 'clean');
  data = join(root, 'data');
  expect(pt(...ingestArgs(clean, 'SYNA,SYNB')).code).toBe(0);
  cpSync(clean, data, { recursive: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('pt store verify and repair', () => {
  it('verifies a sound store with exit 0 and a summary', () => {
    const r = pt('store', 'verify', '--timeframe', '1h', '--data-dir', data);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      "store 1h OK: 2 symbols, 12 partitions (every row's checksum, symbol, grid and month), watermarks and quarantine file sound\n",
    );
  });

  it('reports each damaged file with its path, and the commands that meet them fail naming it', () => {
    copyFileSync(part('SYNB', '2022-03'), part('SYNA', '2022-03'));
    truncateSync(part('SYNA', '2022-05'), 2000);
    writeFileSync(join(tf(), 'SYNB', '__meta.json'), '{"last_ts": 15\n');
    writeFileSync(join(tf(), '__quarantine.json'), 'garbage{\n');
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(tf(), 'SYNA', '2022', '2022-01', `.SYNA_2022-01.parquet.tmp-${deadPid}`), 'x');

    const v = pt('store', 'verify', '--timeframe', '1h', '--data-dir', data);
    expect(v.code).toBe(1);
    const lines = v.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      new RegExp(
        `^${part('SYNA', '2022-03')}: \\d+ rows of another symbol than SYNA, e.g. SYNB \\(first 2022-03-01T00:00Z\\)$`,
      ),
    );
    expect(lines[1]).toMatch(new RegExp(`^${part('SYNA', '2022-05')}: unreadable: `));
    expect(lines[2]).toMatch(
      new RegExp(
        `^${join(tf(), 'SYNB', '__meta.json')}: not valid JSON \\(.*\\); rebuild it with pt store repair --symbols SYNB --timeframe 1h`,
      ),
    );
    expect(lines[3]).toMatch(
      new RegExp(
        `^${join(tf(), '__quarantine.json')}: is not valid JSON \\(.*\\); pt store repair --timeframe 1h rebuilds it empty, then run pt dq --timeframe 1h again$`,
      ),
    );
    expect(v.stderr).toBe(
      'ERROR DATA_STORAGE_CORRUPT: store 1h: 4 problems in 2 symbols, 12 partitions; run pt store repair --timeframe 1h --symbols SYNA,SYNB\n',
    );

    // #53/#54: a read of the damaged symbol fails with the file and the repair.
    const f = pt(
      'features',
      '--pair',
      'SYNA_SYNB',
      '--timeframe',
      '1h',
      '--data-dir',
      data,
      '--out',
      join(root, 'f.csv'),
    );
    expect(f.code).toBe(1);
    expect(f.stderr).toContain(`ERROR DATA_STORAGE_CORRUPT: ${part('SYNA', '2022-03')}: `);
    expect(f.stderr).toContain('run pt store repair --symbols SYNA --timeframe 1h');
    // #61: the quarantine file, with its path and the way out.
    const dq = pt(
      'dq',
      '--symbols',
      'SYNB',
      '--timeframe',
      '1h',
      '--data-dir',
      data,
      '--report',
      join(root, 'dq.json'),
    );
    expect(dq.code).toBe(1);
    expect(dq.stderr).toMatch(
      new RegExp(`^ERROR DATA_STORAGE_CORRUPT: quarantine file ${join(tf(), '__quarantine.json')} is not valid JSON`),
    );
    // #60: a plain ingest stops at the corrupt watermark, naming it; --full rebuilds it and goes on.
    const plain = pt(...ingestArgs(data, 'SYNB'));
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain(`${join(tf(), 'SYNB', '__meta.json')}: not valid JSON`);
    const full = pt(...ingestArgs(data, 'SYNB', '--full'));
    expect(full.code, full.stderr).toBe(0);
    expect(full.stderr).toContain(`WARNING ${join(tf(), 'SYNB', '__meta.json')} was corrupt (not valid JSON`);
  });

  it('repairs: bad months moved to data/quarantine (kept), watermark set back, quarantine file emptied, dead temps gone; a plain ingest refills them byte for byte', async () => {
    const swapped = readFileSync(part('SYNA', '2022-03'));
    const r = pt('store', 'repair', '--timeframe', '1h', '--data-dir', data);
    expect(r.code, r.stderr).toBe(0);
    const moved3 = join(data, 'quarantine', '1h', 'SYNA', '2022', '2022-03', 'SYNA_2022-03.parquet');
    expect(r.stdout).toContain(`${part('SYNA', '2022-03')}: moved to ${moved3} (`);
    expect(r.stdout).toContain(
      `${join(tf(), 'SYNA', '__meta.json')}: set back before 2022-03, so the next ingest refills it: last_ts now 2022-02-28T`,
    );
    expect(r.stdout).toMatch(
      /store repair 1h: 12 partitions checked, 2 moved to quarantine, 1 watermarks rewritten, quarantine file reset, 1 temp files of dead writers removed; a plain pt ingest of SYNA refills the months moved out\n$/,
    );
    expect(r.stderr).toContain('was corrupt and is now empty: run pt dq --timeframe 1h again');
    expect(readFileSync(moved3).equals(swapped)).toBe(true);
    expect(existsSync(join(data, 'quarantine', '1h', 'SYNA', '2022', '2022-05', 'SYNA_2022-05.parquet'))).toBe(true);
    expect(pt('store', 'verify', '--timeframe', '1h', '--data-dir', data).code).toBe(0);

    // The same command as the first ingest (the run id, and so every byte, follows from it).
    const refill = pt(...ingestArgs(data, 'SYNA,SYNB'));
    expect(refill.code, refill.stderr).toBe(0);
    const want = await snapshotFiles(join(clean, 'canonical', '1h', 'SYNA'), isParquet);
    const got = await snapshotFiles(join(tf(), 'SYNA'), isParquet);
    expect([...got.keys()]).toEqual([...want.keys()]);
    for (const [k, v] of want) expect(got.get(k)!.sha256, k).toBe(v.sha256);
    expect((await bars(data, 'SYNA')).wm!.last_ts).toBe((await bars(clean, 'SYNA')).wm!.last_ts);
  });

  it('repairs from a source: the bad month is moved out, re-ingested, and the watermark follows the data again', async () => {
    copyFileSync(part('SYNB', '2022-04'), part('SYNA', '2022-04'));
    const r = pt(
      'store',
      'repair',
      '--symbols',
      'SYNA',
      '--timeframe',
      '1h',
      '--source',
      'synthetic',
      '--data-dir',
      data,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${part('SYNA', '2022-04')}: moved to `);
    expect(r.stdout).toMatch(/SYNA 1h: \d+ rows fetched, \d+ new/);
    expect(r.stdout).toContain('1 moved to quarantine and re-ingested from synthetic');
    expect(pt('store', 'verify', '--timeframe', '1h', '--data-dir', data).code).toBe(0);
    const got = await bars(data, 'SYNA');
    const want = await bars(clean, 'SYNA');
    expect(got.rows.map((b) => [b.ts_utc, b.close])).toEqual(want.rows.map((b) => [b.ts_utc, b.close]));
    expect(got.wm!.last_ts).toBe(want.wm!.last_ts);
    // Two copies of the same month in quarantine are both kept.
    expect(existsSync(join(data, 'quarantine', '1h', 'SYNA', '2022', '2022-04', 'SYNA_2022-04.parquet'))).toBe(true);
  });

  it('refuses a data dir that does not exist', () => {
    const r = pt('store', 'verify', '--timeframe', '1h', '--data-dir', join(root, 'nope'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^ERROR CORE_FS_MISSING: --data-dir .*nope does not exist/);
    expect(existsSync(join(root, 'nope'))).toBe(false);
  });
});
