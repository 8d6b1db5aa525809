import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfig, loadConfig } from '../../src/config/loadConfig.js';
import { warmupBars } from '../../src/config/crossRules.js';
import { runPt, repoRoot } from '../helpers/runPt.js';
import { PtError } from '../../src/core/ptError.js';

const fixtures = join(repoRoot, 'test/fixtures/config');
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as Record<string, string>;

describe('config/', () => {
  it('the shipped config is valid and loads typed, unwrapped values', () => {
    const config = loadConfig(join(repoRoot, 'config'));
    expect(config.pipeline_policy.timeframe_default).toBe('1h');
    expect(config.features_policy.beta_window_bars).toBe(180);
    expect(config.core_policy.z_entry).toBe(2.0);
    expect(config.retrain_policy.k_folds).toBe(5);
    expect(config.dd_policy.dd_warn_portfolio).toBeLessThan(config.dd_policy.dd_halt_portfolio);
    expect(config.universe.pairs.map((p) => p.pair_id)).toContain('XAUUSD_XAGUSD');
  });

  it('the warm-up bound covers SPEC §2 (~375 bars at the defaults)', () => {
    const config = loadConfig(join(repoRoot, 'config'));
    expect(warmupBars(config.features_policy)).toBeGreaterThanOrEqual(375);
  });

  it('pt config validate prints config OK (N files)', () => {
    const r = runPt(['config', 'validate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^config OK \(17 files\)/);
  });

  it('has at least 12 invalid fixture sets', () => {
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(12);
  });

  it.each(Object.entries(expected))('invalid set %s is rejected by rule %s alone', (name, rule) => {
    const check = checkConfig(join(fixtures, name));
    expect(check.config).toBeUndefined();
    expect(check.violations.length).toBeGreaterThan(0);
    expect(new Set(check.violations.map((v) => v.rule))).toEqual(new Set([rule]));
  });

  it.each(Object.entries(expected))('pt config validate --dir %s exits 1 naming %s', (name, rule) => {
    const r = runPt(['config', 'validate', '--dir', join(fixtures, name)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`: ${rule}: `);
    expect(r.stdout.split('\n')[0]).toMatch(/^[a-z_]+\.yaml: \S.*: [a-z_]+: /);
  });

  it('never echoes the plain secret it rejects', () => {
    const r = runPt(['config', 'validate', '--dir', join(fixtures, 'plain-api-key-in-sources')]);
    expect(r.stdout + r.stderr).not.toContain('8f3c2e1d9a7b4c6e');
  });

  it('loadConfig throws CORE_CONFIG_INVALID listing the violations', () => {
    expect(() => loadConfig(join(fixtures, 'dd-warn-not-below-halt'))).toThrowError(PtError);
    try {
      loadConfig(join(fixtures, 'dd-warn-not-below-halt'));
    } catch (e) {
      expect((e as PtError).id).toBe('CORE_CONFIG_INVALID');
      expect((e as PtError).message).toContain('dd_thresholds_increasing');
    }
  });
});

describe('cost profiles', () => {
  it('seed.yaml is the default cost_table.yaml, and every profile passes the cost_table schema', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const { join: j } = await import('node:path');
    const { checkConfig, listCostProfiles } = await import('../../src/config/loadConfig.js');
    const root = j(__dirname, '..', '..', 'config');
    const body = (f: string) => parse(readFileSync(j(root, f), 'utf8')) as unknown;
    expect(body('cost_profiles/seed.yaml')).toEqual(body('cost_table.yaml'));
    expect(listCostProfiles(root)).toEqual(['ecn', 'seed']);
    expect(checkConfig(root).violations).toEqual([]);
  });
});

describe('a broken cost profile', () => {
  it('is reported by pt config validate with its file and rule', async () => {
    const { cpSync, mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join: j } = await import('node:path');
    const { checkConfig } = await import('../../src/config/loadConfig.js');
    const dir = mkdtempSync(j(tmpdir(), 'pt-profiles-'));
    cpSync(j(__dirname, '..', '..', 'config'), dir, { recursive: true });
    writeFileSync(j(dir, 'cost_profiles', 'bad.yaml'), 'defaults: { value: { commission_bps: -1 } }\n');
    const v = checkConfig(dir).violations;
    expect(v.length).toBeGreaterThan(0);
    expect(v.every((x) => x.file === 'cost_profiles/bad.yaml')).toBe(true);
  });
});

describe('analytics_policy refresh intervals', () => {
  it('are bounded like pt monitor --refresh (0.5 s to 1 h): a huge one would overflow the monitor timer', async () => {
    const { cpSync, mkdtempSync, readFileSync: read, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'pt-refresh-'));
    try {
      cpSync(join(repoRoot, 'config'), dir, { recursive: true });
      const file = join(dir, 'analytics_policy.yaml');
      for (const bad of ['1000000000', '0.1']) {
        writeFileSync(
          file,
          read(join(repoRoot, 'config/analytics_policy.yaml'), 'utf8').replace('risk_page: 10', `risk_page: ${bad}`),
        );
        const check = checkConfig(dir);
        expect(check.config).toBeUndefined();
        expect(check.violations.map((v) => v.file)).toContain('analytics_policy.yaml');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
