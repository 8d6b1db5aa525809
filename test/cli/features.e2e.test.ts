import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticIngestArgs } from '../helpers/ingestArgs.js';
import { runPt, repoRoot } from '../helpers/runPt.js';
import { FEATURE_NAMES } from '../../src/features/featureNames.js';

const configDir = join(repoRoot, 'config');
let dir = '';
const pt = (args: string[]) => runPt(['-c', configDir, ...args], {}, dir);

describe('pt features', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pt-cli-features-'));
    const r = pt(syntheticIngestArgs('SYNA,SYNB', '2023-01-01', '2024-01-01'));
    expect(r.code).toBe(0);
  });

  it('writes the CSV with exactly ts_utc, every SPEC §2 name and valid, in ISO UTC and full precision', () => {
    const out = join(dir, 'f.csv');
    const r = pt(['features', '--pair', 'SYNA_SYNB', '--timeframe', '1h', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SYNA_SYNB 1h: \d+ aligned bars, \d+ valid from 2023-01-/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(['ts_utc', ...FEATURE_NAMES, 'valid'].join(','));
    const last = lines[lines.length - 1]!.split(',');
    // the week closes Friday 29 Dec at 17:00 New York, and the FX trade date of 1 Jan (from Sunday 17:00) is closed
    expect(last[0]).toBe('2023-12-29T21:00:00.000Z');
    expect(last[last.length - 1]).toBe('1');
    expect(last.slice(1, -1).every((v) => v !== '' && Number.isFinite(Number(v)))).toBe(true);
    expect(lines[1]!.split(',')[3]).toBe('');
    // Full precision: parsing the text gives back the exact double.
    expect(String(Number(last[1]))).toBe(last[1]);
  });

  it('writes Parquet under data/features with a __meta.json by default', () => {
    const r = pt(['features', '--pair', 'SYNA_SYNB', '--timeframe', '1h']);
    expect(r.code).toBe(0);
    const base = join(dir, 'data/features/1h/SYNA_SYNB');
    expect(existsSync(join(base, 'features.parquet'))).toBe(true);
    const meta = JSON.parse(readFileSync(join(base, '__meta.json'), 'utf8')) as Record<string, unknown>;
    expect(meta).toMatchObject({ pair_id: 'SYNA_SYNB', timeframe: '1h' });
    expect(String(meta.config_hash)).toMatch(/^[0-9a-f]{16}$/);
    expect(meta.feature_names).toEqual([...FEATURE_NAMES]);
  });

  it('--all writes every pair with data and skips the others with one line each', () => {
    const r = pt(['features', '--all', '--timeframe', '1h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SYNA_SYNB 1h: /m);
    expect(r.stderr).toMatch(/^skipping XAUUSD_XAGUSD: XAUUSD_XAGUSD 1h: no aligned bars in the store/m);
  });

  it('gives clear errors: unknown pair, no data, --out with --all, too few bars', () => {
    expect(pt(['features', '--pair', 'FOO_BAR']).stderr).toMatch(/^ERROR CORE_CLI_USAGE: unknown pair "FOO_BAR"/);
    expect(pt(['features', '--pair', 'XAUUSD_XAGUSD', '--timeframe', '1h']).stderr).toMatch(
      /^ERROR CORE_FEATURES_WARMUP: XAUUSD_XAGUSD 1h: no aligned bars in the store/,
    );
    expect(pt(['features', '--all', '--out', 'x.csv']).stderr).toMatch(/^ERROR CORE_CLI_USAGE: --out takes one --pair/);
    const short = pt([
      'features',
      '--pair',
      'SYNA_SYNB',
      '--timeframe',
      '1h',
      '--from',
      '2023-12-18',
      '--out',
      join(dir, 's.csv'),
    ]);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(
      /^ERROR CORE_FEATURES_WARMUP: SYNA_SYNB: \d+ aligned bars never complete the feature windows/,
    );
    expect(existsSync(join(dir, 's.csv'))).toBe(false);
  });
});

describe('pt label', () => {
  it('writes AI1 events and AI2 rows with the asked columns and prints a summary', () => {
    const ev = join(dir, 'events.csv');
    const risk = join(dir, 'risk.csv');
    const r = pt(['label', '--pair', 'SYNA_SYNB', '--timeframe', '1h', '--out-events', ev, '--out-risk', risk]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /AI1: (\d+) events, positive rate [\d.]+%, censored \d+, suppressed \d+, speed-excluded \d+/,
    );
    expect(r.stdout).toMatch(
      /AI2: \d+ rows, risk_now [\d.]+% \(corr [\d.]+%, vol [\d.]+%, speed [\d.]+%, dd [\d.]+%\)/,
    );
    const events = readFileSync(ev, 'utf8').trim().split('\n');
    expect(events[0]).toBe('ts_t0,ts_t1,direction,y');
    const n = Number(/AI1: (\d+) events/.exec(r.stdout)![1]);
    expect(events.length - 1).toBe(n);
    expect(n).toBeGreaterThan(5);
    for (const line of events.slice(1))
      expect(line).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:00:00\.000Z,\d{4}-\d\d-\d\dT\d\d:00:00\.000Z,(SHORT_SPREAD|LONG_SPREAD),[01]$/,
      );
    const rows = readFileSync(risk, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('ts_utc,c_corr,c_vol,c_speed,c_dd,risk_now,y2');
    expect(rows[rows.length - 1]).toMatch(/,$/); // the last rows have no y2 (H bars ahead are missing)
  });

  it('writes Parquet under data/labels by default', () => {
    const r = pt(['label', '--pair', 'SYNA_SYNB', '--timeframe', '1h', '--kind', 'ai1']);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'data/labels/1h/SYNA_SYNB/events.parquet'))).toBe(true);
    expect(r.stdout).not.toContain('AI2');
  });
});
