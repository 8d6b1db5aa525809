// pt ingest and friends on hostile command lines and files, as a user runs them (issue 13, probe
// #1, #17, #22, #24, #43–#45, #73, #79, #97): each gives a clear error or the right bars. The
// parsers' own cases (every bad symbol, date and period) are in test/cli/parse/inputValidation.test.ts.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBarStore } from '../../src/adapters/duckdb/index.js';
import { repoRoot, runPt } from '../helpers/runPt.js';
import { csvIngestArgs } from '../helpers/ingestArgs.js';

let dir = '';
const pt = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runPt(['-c', join(repoRoot, 'config'), ...args], { HOME: dir, ...env }, dir);
const csvIngest = (path: string, symbol: string, dataDir: string, ...more: string[]) =>
  pt(csvIngestArgs(path, symbol, '1h', dataDir, ...more));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-cli-inputs-'));
});

describe('pt ingest: CSV files', () => {
  it("the probe's newest-first DST file is stored with the repeated hour in the right order (#22)", async () => {
    const rev = write(
      'rev.csv',
      'ts,open,high,low,close\n2023-10-29 04:00:00,108,108.5,107.5,108\n2023-10-29 03:00:00,107,107.5,106.5,107\n' +
        '2023-10-29 03:00:00,106,106.5,105.5,106\n2023-10-29 02:00:00,105,105.5,104.5,105\n2023-10-29 01:00:00,104,104.5,103.5,104\n',
    );
    const data = join(dir, 'dd');
    const r = csvIngest(rev, 'DSTX', data, '--tz', 'Europe/Athens');
    expect(r.code, r.stderr).toBe(0);
    const store = await openBarStore(data);
    try {
      const bars = await store.readBars('DSTX', '1h');
      const byHour = Object.fromEntries(
        Array.from(bars.ts, (t, i) => [new Date(t).toISOString().slice(0, 16), bars.close[i]]),
      );
      expect(byHour).toMatchObject({ '2023-10-29T00:00': 106, '2023-10-29T01:00': 107 });
    } finally {
      await store.close();
    }
  });

  it('a spring-forward time that does not exist warns on stderr with the count and the --tz used (#24)', () => {
    const spring = write(
      'spring.csv',
      'ts,open,high,low,close\n' +
        ['01', '02', '03', '04', '05'].map((h) => `2023-03-26 ${h}:00:00,100,100.5,99.5,100`).join('\n') +
        '\n',
    );
    const r = csvIngest(spring, 'DSTS', join(dir, 'ds'), '--tz', 'EET');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'warning: DSTS: 1 row of spring.csv at a local time that does not exist in EET (spring-forward gap) was moved forward by the gap and may replace the next row; check --tz EET',
    );
  });

  it('a CSV whose every row is invalid fails with DATA_INPUT_INVALID, and 1 of 1 does not mention "the others" (#17, #1)', () => {
    const lines = ['ts,open,high,low,close,volume'];
    for (let i = 0; i < 200; i++)
      lines.push(
        `${new Date(Date.UTC(2023, 0, 2, i)).toISOString().slice(0, 19).replace('T', ' ')},-100,-99,-101,-100,5`,
      );
    const data = join(dir, 'dneg');
    const r = csvIngest(write('allneg.csv', `${lines.join('\n')}\n`), 'BAD', data);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'ERROR DATA_INPUT_INVALID: 1 of 1 symbols failed (BAD). First: allneg.csv: all 200 rows are invalid: 200 with a zero or negative price (first line 2); nothing to store',
    );
  });
});

describe('pt ingest: command line', () => {
  it('--from 2024-02-30 is a usage error, not 2024-03-01 (#97)', () => {
    const r = pt([
      'ingest',
      '--source',
      'synthetic',
      '--symbols',
      'SYNA',
      '--from',
      '2024-02-30',
      '--data-dir',
      join(dir, 'd1'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'ERROR CORE_CLI_USAGE: invalid --from "2024-02-30": 2024-02 has no day 30 (expected YYYY-MM-DD or an RFC 3339 time)',
    );
  });

  it('symbols with path characters, spaces, 300 characters or none are refused and nothing is written (#43–#45)', () => {
    const good = write('good.csv', 'ts,open,high,low,close\n2023-01-02 00:00:00,1,1.1,0.9,1\n');
    const data = join(dir, 'dsym');
    for (const [symbol, why] of [
      ['../x', '"../X" is not a canonical symbol'],
      ['A'.repeat(300), 'is longer than 32 characters'],
      ['', '--symbols "" names no symbol'],
    ]) {
      const r = csvIngest(good, symbol!, data);
      expect(r.code, symbol).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^ERROR CORE_CLI_USAGE: /);
      expect(r.stderr).toContain(why);
    }
    expect(existsSync(data)).toBe(false);
  });

  it('an option typo says "unknown option", not that a required option is missing (#97)', () => {
    const r = pt(['ingest', '--sourc', 'csv']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      "ERROR CORE_CLI_USAGE: unknown option '--sourc' (Did you mean --source?) (see pt --help)",
    );
    expect(r.stderr).not.toContain('required option');
    expect(pt(['ingest']).stderr.trim()).toBe("ERROR CORE_CLI_USAGE: required option '--source <name>' not specified");
  });

  it('a LOG_LEVEL that names no level gets one warning line (#73)', () => {
    const r = pt(['config', 'validate'], { LOG_LEVEL: 'banana' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: LOG_LEVEL=banana is not DEBUG, INFO, WARN or ERROR; it is ignored\n');
    expect(pt(['config', 'validate'], { LOG_LEVEL: 'debug' }).stderr).toBe('');
  });

  it('models verify NAME --models-dir D looks NAME up under D (#79)', () => {
    const mods = mkdtempSync(join(dir, 'mods-'));
    const r = pt(['models', 'verify', 'tamper', '--models-dir', mods]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(join(mods, 'tamper'));
    expect(readdirSync(mods)).toEqual([]);
  });
});
