import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticIngestArgs } from '../helpers/ingestArgs.js';
import { runPt, repoRoot } from '../helpers/runPt.js';
import { REAL_DATA_DIR } from '../helpers/sharedData.js';
import { isParquet, snapshotFiles } from '../helpers/barStoreFiles.js';

const configDir = join(repoRoot, 'config');
const real = REAL_DATA_DIR;
const fresh = () => mkdtempSync(join(tmpdir(), 'pt-cli-ingest-'));
const pt = (cwd: string, args: string[]) => runPt(['-c', configDir, ...args], {}, cwd);

describe('pt ingest', () => {
  it('synthetic: the same command twice adds nothing the second time, and changes no byte', async () => {
    const dir = fresh();
    // The range ends inside trading time (the FX New Year closure starts 17:00 New York on 31 Dec), so the
    // watermark reaches its end and the second run has nothing to ask for.
    const args = syntheticIngestArgs('SYNA,SYNB', '2022-01-01', '2024-12-31');
    const first = pt(dir, args);
    expect(first.stderr).not.toMatch(/ERROR/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/SYNA 1h: \d+ rows fetched, (\d+) new/);
    const firstNew = Number(/ingest synthetic 1h: (\d+) new/.exec(first.stdout)![1]);
    expect(firstNew).toBeGreaterThan(30_000);
    const before = await snapshotFiles(join(dir, 'data'), isParquet);
    expect(before.size).toBe(72);
    const second = pt(dir, args);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/ingest synthetic 1h: 0 new, 0 updated, 0 deduped/);
    expect(second.stdout).toContain('SYNA 1h: up to date');
    expect(await snapshotFiles(join(dir, 'data'), isParquet)).toEqual(before);
  });

  it('csv: re-importing the whole file (--full) leaves every Parquet file byte-identical and counts the duplicates', async () => {
    const dir = fresh();
    const args = [
      'ingest',
      '--source',
      'csv',
      '--path',
      join(real, 'thesnowguru-gmt', 'XAUUSD_H4.csv.gz'),
      '--symbols',
      'XAUUSD',
      '--timeframe',
      '4h',
      '--tz',
      'UTC',
    ];
    const first = pt(dir, args);
    expect(first.code).toBe(0);
    const inserted = Number(/(\d+) new/.exec(first.stdout)![1]);
    expect(inserted).toBeGreaterThan(26_000);
    const before = await snapshotFiles(join(dir, 'data'));
    const again = pt(dir, [...args, '--full']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`0 new, 0 updated, ${inserted} deduped`);
    expect(await snapshotFiles(join(dir, 'data'), isParquet)).toEqual(
      new Map([...before].filter(([k]) => k.endsWith('.parquet'))),
    );
  });

  it('csv in broker time with integer points: EET and --price-scale give UTC bars in price units; the broker-clock h4 file is refused', () => {
    const dir = fresh();
    const args = (file: string, tf: string) => [
      'ingest',
      '--source',
      'csv',
      '--path',
      join(real, 'ejtraderlabs-historical-data', file),
      '--symbols',
      'XAUUSD',
      '--timeframe',
      tf,
      '--tz',
      'EET',
      '--price-scale',
      '100',
    ];
    const r = pt(dir, args('XAUUSDh1.csv.gz', '1h'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/57600 new/);
    const wm = JSON.parse(readFileSync(join(dir, 'data/canonical/1h/XAUUSD/__meta.json'), 'utf8')) as {
      last_ts: number;
    };
    // Broker 2022-03-04 23:00 (EET, UTC+2 in March before the EU switch) is 21:00 UTC.
    expect(new Date(wm.last_ts).toISOString()).toBe('2022-03-04T21:00:00.000Z');
    // Its h4 bars open at 22/02/06… UTC in winter and 21/01/05… in summer: off pt's UTC 4h grid.
    const h4 = pt(dir, args('XAUUSDh4.csv.gz', '4h'));
    expect(h4.code).toBe(1);
    expect(h4.stdout + h4.stderr).toContain(
      'XAUUSDh4.csv.gz: 14400 of 14400 rows sit on whole hours off the 4h UTC grid (00/04/08/12/16/20 UTC)',
    );
    expect(h4.stdout + h4.stderr).toContain('pt resample --source-timeframe 1h --timeframe 4h');
    expect(existsSync(join(dir, 'data/canonical/4h/XAUUSD'))).toBe(false);
  });

  it('bad input: a clear one-line error naming file and line, and nothing written', () => {
    const dir = fresh();
    const bad = join(dir, 'EURUSD_H1.csv');
    writeFileSync(
      bad,
      'time,open,high,low,close\n2024-01-02 00:00,1.1,1.2,1.0,1.15\n2024-01-02 01:00,1.1,1.2,abc,1.15\n',
    );
    const r = pt(dir, ['ingest', '--source', 'csv', '--path', bad, '--symbols', 'EURUSD', '--timeframe', '1h']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^ERROR DATA_INPUT_PARSE: .*EURUSD_H1\.csv.*line 3/);
    expect(existsSync(join(dir, 'data/canonical/1h/EURUSD'))).toBe(false);
  });

  it('one bad file in a folder fails that symbol only: the others are ingested and the exit code says so', () => {
    const dir = fresh();
    const input = join(dir, 'in');
    mkdirSync(input);
    writeFileSync(
      join(input, 'EURUSD_H1.csv'),
      'time,open,high,low,close\n2024-01-02 00:00,1.1,1.2,1.0,1.15\n2024-01-02 01:00,1.1,1.2,1.0,1.16\n2024-01-02 02:00,1.1,1.2,1.0,1.17\n2024-01-02 03:00,1.1,1.2,1.0,1.18\n',
    );
    writeFileSync(
      join(input, 'GBPUSD_H1.csv'),
      'time,open,high,low,close\n2024-01-02 00:00,1.3,1.4,1.2,1.35\n2024-01-02 01:00,1.3,1.4,1.2\n',
    );
    const r = pt(dir, ['ingest', '--source', 'csv', '--path', input, '--timeframe', '1h']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/EURUSD 1h: 4 rows fetched, 4 new/);
    expect(r.stdout).toMatch(/GBPUSD 1h: FAILED DATA_INPUT_PARSE: .*GBPUSD_H1\.csv line 3/);
    expect(r.stderr.trim()).toMatch(/^ERROR DATA_INPUT_PARSE: 1 of 2 symbols failed \(GBPUSD\)/);
    expect(existsSync(join(dir, 'data/canonical/1h/EURUSD/__meta.json'))).toBe(true);
    expect(existsSync(join(dir, 'data/canonical/1h/GBPUSD'))).toBe(false);
  });

  it('usage errors: unknown source, missing --path, bad timeframe, bad date', () => {
    const dir = fresh();
    expect(pt(dir, ['ingest', '--source', 'bloomberg', '--symbols', 'X']).stderr).toMatch(
      /^ERROR CORE_CLI_USAGE: unknown --source "bloomberg"/,
    );
    expect(pt(dir, ['ingest', '--source', 'csv']).stderr).toMatch(/^ERROR CORE_CLI_USAGE: --path is required/);
    expect(pt(dir, ['ingest', '--source', 'synthetic', '--symbols', 'SYNA', '--timeframe', '2h']).stderr).toMatch(
      /^ERROR CORE_CLI_USAGE: unknown timeframe "2h"/,
    );
    const d = pt(dir, ['ingest', '--source', 'synthetic', '--symbols', 'SYNA', '--from', '2024-13-45']);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/^ERROR CORE_CLI_USAGE: invalid --from/);
  });

  it('twelvedata without a key stops with a clear error naming the variable', () => {
    const dir = fresh();
    const r = runPt(
      [
        '-c',
        configDir,
        'ingest',
        '--source',
        'twelvedata',
        '--symbols',
        'XAUUSD',
        '--timeframe',
        '1h',
        '--from',
        '2024-01-01',
        '--to',
        '2024-01-05',
      ],
      { TWELVEDATA_API_KEY: '' },
      dir,
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/TWELVEDATA_API_KEY/);
  });
});

describe('pt dq', () => {
  it('reports believable rates on real data and writes the JSON report and quarantine file', () => {
    const dir = fresh();
    for (const sym of ['XAUUSD', 'XAGUSD']) {
      copyFileSync(join(real, 'thesnowguru-gmt', `${sym}_H4.csv.gz`), join(dir, `${sym}_H4.csv.gz`));
    }
    const ing = pt(dir, ['ingest', '--source', 'csv', '--path', dir, '--timeframe', '4h']);
    expect(ing.code).toBe(0);
    expect(ing.stdout).toContain('XAUUSD 4h:');
    expect(ing.stdout).toContain('XAGUSD 4h:');
    const report = join(dir, 'dq.json');
    const r = pt(dir, ['dq', '--symbols', 'XAUUSD,XAGUSD', '--timeframe', '4h', '--report', report]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^symbol\s+bars\s+missing\s+outlier\s+spikes\s+gaps/m);
    expect(r.stdout).toMatch(/pair XAUUSD_XAGUSD: \d+ aligned bars/);
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      symbols: Array<{ symbol: string; missing_rate: number; outlier_rate: number; months: unknown[] }>;
    };
    for (const s of json.symbols) {
      expect(s.missing_rate).toBeLessThan(0.05);
      expect(s.outlier_rate).toBeLessThan(0.01);
      expect(s.months.length).toBeGreaterThan(100);
    }
    expect(existsSync(join(dir, 'data/canonical/4h/__quarantine.json'))).toBe(true);
  });
});
