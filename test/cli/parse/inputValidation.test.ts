// Command-line input that pt used to accept and silently rewrite (issue 13, probe #43–#46, #79,
// #84–#87, #97): impossible dates and months, symbols outside A–Z/0–9, empty or repeated pair lists.
// Each goes through the real commander program into the command's parser.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { parseBtRunOptions } from '../../../src/cli/options/parseBtRunOptions.js';
import { parseDqOptions } from '../../../src/cli/options/parseDqOptions.js';
import { parseFeaturesOptions } from '../../../src/cli/options/parseFeaturesOptions.js';
import { parseIngestOptions } from '../../../src/cli/options/parseIngestOptions.js';
import { parseModelsVerifyOptions } from '../../../src/cli/options/parseModelsOptions.js';
import { parseTrainOptions } from '../../../src/cli/options/parseTrainOptions.js';
import { MAX_SYMBOL_LENGTH } from '../../../src/cli/options/cliOptions.js';
import { parseUtcMs } from '../../../src/core/time.js';
import { repoRoot } from '../../helpers/runPt.js';
import { parseArgv } from './parseArgv.js';

const config = loadConfig(join(repoRoot, 'config'));

const PARSERS: Record<string, (raw: Record<string, unknown>) => unknown> = {
  ingest: (raw) => parseIngestOptions(raw, config),
  dq: (raw) => parseDqOptions(raw, config),
  features: (raw) => parseFeaturesOptions(raw, config),
  train: (raw) => parseTrainOptions(raw, config),
  'bt run': (raw) => parseBtRunOptions(raw, config),
  'models verify': (raw) => parseModelsVerifyOptions(raw),
};

async function parse(path: string, args: string[]): Promise<unknown> {
  const { raw } = await parseArgv([...path.split(' '), ...args]);
  return PARSERS[path]!(raw);
}

/** The usage error's message; fails the test when the parse succeeds or fails otherwise. */
async function usage(path: string, args: string[]): Promise<string> {
  const error = await parse(path, args).then(
    (r) => r,
    (e: unknown) => e,
  );
  expect(error, `${path} ${args.join(' ')} should be refused`).toBeInstanceOf(Error);
  expect((error as { id?: string }).id).toBe('CORE_CLI_USAGE');
  expect((error as { exitCode?: number }).exitCode).toBe(2);
  return (error as Error).message;
}

describe('dates on the command line', () => {
  it.each([
    ['2024-02-30', /2024-02 has no day 30/],
    ['2023-02-29', /2023-02 has no day 29/],
    ['2024-13-01', /no month 13/],
    ['2024-00-10', /no month 00/],
    ['2024-01-00', /has no day 00/],
    ['2024-01-32', /has no day 32/],
    ['2024-01-01T25:00:00Z', /no time 25:00:00/],
    ['2024-01-01T23:60Z', /no time 23:60/],
    ['2024-01-01T23:59:60Z', /no time 23:59:60/],
    ['2024-01-01T10:00+19:00', /no UTC offset \+19:00/],
    ['yesterday', /not a date/],
    ['2024-1-5', /not a date/],
    ['', /not a date/],
  ])('--from %s is refused (%s), never rolled over', async (value, why) => {
    for (const cmd of ['ingest', 'dq']) {
      const extra = cmd === 'ingest' ? ['--source', 'synthetic'] : [];
      const message = await usage(cmd, [...extra, '--from', value]);
      expect(message).toMatch(/^invalid --from "/);
      expect(message).toMatch(why);
    }
    expect(await usage('features', ['--pair', 'SYNA_SYNB', '--to', value])).toMatch(why);
  });

  it('reads real dates and RFC 3339 times exactly', () => {
    expect(parseUtcMs('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseUtcMs('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
    expect(parseUtcMs('2024-03-10T23:59:59Z')).toBe(Date.UTC(2024, 2, 10, 23, 59, 59));
    expect(parseUtcMs('2024-03-10T02:00:00+02:00')).toBe(Date.UTC(2024, 2, 10, 0, 0, 0));
    expect(parseUtcMs('2024-03-10 02:00-0130')).toBe(Date.UTC(2024, 2, 10, 3, 30));
    expect(parseUtcMs('2024-03-10T02:00:00.25Z')).toBe(Date.UTC(2024, 2, 10, 2, 0, 0, 250));
    expect(parseUtcMs('2024-03-10T02:00')).toBe(Date.UTC(2024, 2, 10, 2));
    expect(() => parseUtcMs('1900-02-29')).toThrow(/1900-02 has no day 29/);
  });

  it('--from 2024-02-30 on ingest is a usage error (it was read as 2024-03-01)', async () => {
    expect(await usage('ingest', ['--source', 'synthetic', '--from', '2024-02-30'])).toMatch(
      /^invalid --from "2024-02-30": 2024-02 has no day 30/,
    );
  });
});

describe('bt run --period', () => {
  it.each([
    ['2021-13:2022-01', '2021-13'],
    ['2021-00:2022-01', '2021-00'],
    ['2021-01:2022-13', '2022-13'],
    ['2021-01:2022-00', '2022-00'],
  ])('%s is refused naming %s (month 13 ran 2022-01 before)', async (period, month) => {
    expect(await usage('bt run', ['--period', period])).toBe(`--period "${period}": ${month} is not a month (01–12)`);
  });

  it('a real period is [first day, first day after the last month)', async () => {
    expect(await parse('bt run', ['--period', '2021-12:2022-02'])).toMatchObject({
      fromMs: Date.UTC(2021, 11, 1),
      toMs: Date.UTC(2022, 2, 1),
    });
  });
});

describe('--symbols', () => {
  const long = 'A'.repeat(300);
  it.each([
    ['../x', '"../X" is not a canonical symbol'],
    ['a/b', '"A/B" is not a canonical symbol'],
    ['A B', '"A B" is not a canonical symbol'],
    ['X;rm -rf', '"X;RM -RF" is not a canonical symbol'],
    ['XAUUSD.m', '"XAUUSD.M" is not a canonical symbol'],
    ['ÄÖÜ', '"ÄÖÜ" is not a canonical symbol'],
    ['..', '".." is not a canonical symbol'],
    [long, `is longer than ${MAX_SYMBOL_LENGTH} characters`],
    ['', 'names no symbol'],
    [',', 'names no symbol'],
  ])('%s is refused, not rewritten (%s)', async (value, why) => {
    expect(await usage('ingest', ['--source', 'csv', '--path', 'a.csv', '--symbols', value])).toContain(why);
    expect(await usage('dq', ['--symbols', value])).toContain(why);
  });

  it('upper-cases and de-duplicates, and a broker-suffix hint names broker_symbol', async () => {
    expect(await parse('ingest', ['--source', 'csv', '--symbols', 'xauusd, XAGUSD,XAUUSD'])).toMatchObject({
      symbols: ['XAUUSD', 'XAGUSD'],
    });
    expect(await parse('dq', ['--symbols', 'A'.repeat(MAX_SYMBOL_LENGTH)])).toMatchObject({
      symbols: ['A'.repeat(MAX_SYMBOL_LENGTH)],
    });
    expect(await usage('ingest', ['--source', 'csv', '--symbols', 'XAUUSD.m'])).toContain('broker_symbol');
  });
});

describe('pair lists', () => {
  it('bt run --pairs X,X is refused naming the pair (it was traded twice)', async () => {
    expect(await usage('bt run', ['--pairs', 'SYNA_SYNB,syna_synb'])).toBe(
      '--pairs names SYNA_SYNB more than once: give each pair once',
    );
    expect(await usage('train', ['--pairs', 'SYNA_SYNB,SYNA_SYNB'])).toMatch(/SYNA_SYNB more than once/);
    expect(await usage('features', ['--pair', 'SYNA_SYNB,SYNA_SYNB'])).toMatch(
      /^--pair names SYNA_SYNB more than once/,
    );
  });

  it('bt run --pairs "" is a usage error, not CORE_INTERNAL_BUG', async () => {
    expect(await usage('bt run', ['--pairs', ''])).toMatch(/^--pairs "" names no pair/);
    expect(await usage('bt run', ['--pairs', ' , '])).toMatch(/names no pair/);
  });
});

describe('models verify NAME --models-dir D', () => {
  it('looks a bare name up under --models-dir, and takes a path as given', async () => {
    expect(await parse('models verify', ['tamper', '--models-dir', '/srv/mods'])).toEqual({
      dir: '/srv/mods/tamper',
      name: 'tamper',
    });
    expect(await parse('models verify', ['./tamper', '--models-dir', '/srv/mods'])).toMatchObject({
      dir: './tamper',
      name: 'tamper',
    });
    expect(await parse('models verify', ['/abs/v1'])).toMatchObject({ dir: '/abs/v1' });
    expect(((await parse('models verify', ['x'])) as { dir: string }).dir).toBe(join('models', 'x'));
    expect(resolve(((await parse('models verify', ['..'])) as { dir: string }).dir)).toBe(resolve('..'));
  });
});
