// Config failures get the id of their most basic problem, naming the file (probe #63, #66, #67, #68, #70).
import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync, appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfig, loadConfig, withConfigFile } from '../../src/config/loadConfig.js';
import { isPtError, type PtError } from '../../src/core/ptError.js';
import { runPt, repoRoot } from '../helpers/runPt.js';

const work = mkdtempSync(join(tmpdir(), 'pt-config-errors-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of config/ changed by `edit`. */
function configWith(name: string, edit: (dir: string) => void): string {
  const dir = join(work, name);
  cpSync(join(repoRoot, 'config'), dir, { recursive: true });
  edit(dir);
  return dir;
}

function loadError(dir: string): PtError {
  try {
    loadConfig(dir);
  } catch (e) {
    if (isPtError(e)) return e;
    throw e;
  }
  throw new Error(`${dir} loaded`);
}

// Ten anchors, each a list of ten aliases of the one before: 10^10 nodes if expanded.
function aliasBomb(): string {
  let text = 'bomb_a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]\n';
  let prev = 'a';
  for (let i = 0; i < 9; i++) {
    text += `bomb_b${i}: &b${i} [${Array(10).fill(`*${prev}`).join(', ')}]\n`;
    prev = `b${i}`;
  }
  return text;
}

const syntax = configWith('syntax', (d) => appendFileSync(join(d, 'pipeline_policy.yaml'), 'broken: [1, 2\n'));
const duplicate = configWith('duplicate', (d) =>
  appendFileSync(join(d, 'pipeline_policy.yaml'), 'outlier_sigma: {value: 9}\n'),
);
const bomb = configWith('bomb', (d) => appendFileSync(join(d, 'core_policy.yaml'), aliasBomb()));
const missing = configWith('missing', (d) => unlinkSync(join(d, 'universe.yaml')));
const empty = configWith('empty', (d) => writeFileSync(join(d, 'core_policy.yaml'), ''));
const noWrapper = configWith('no-wrapper', (d) => {
  const p = join(d, 'pipeline_policy.yaml');
  writeFileSync(p, readFileSync(p, 'utf8').replace(/^outlier_sigma:.*$/m, 'outlier_sigma: 8'));
});

describe('config errors', () => {
  it('#63 a YAML syntax error is CORE_CONFIG_YAML naming the file, line and column', () => {
    const e = loadError(syntax);
    expect(e.id).toBe('CORE_CONFIG_YAML');
    expect(e.message).toMatch(/pipeline_policy\.yaml: line \d+, column \d+: yaml_syntax: /);
  });

  it('#68 a duplicate key is CORE_CONFIG_YAML at the line of the second key', () => {
    const lines = readFileSync(join(duplicate, 'pipeline_policy.yaml'), 'utf8').trimEnd().split('\n');
    const e = loadError(duplicate);
    expect(e.id).toBe('CORE_CONFIG_YAML');
    expect(e.message).toContain(
      `pipeline_policy.yaml: line ${lines.length}, column 1: yaml_syntax: Map keys must be unique`,
    );
  });

  it('#70 the alias limit is CORE_CONFIG_YAML naming the file, from pt config validate and from any command', () => {
    const e = loadError(bomb);
    expect(e.id).toBe('CORE_CONFIG_YAML');
    expect(e.message).toContain('core_policy.yaml: (file): yaml_alias_limit: too many alias expansions');
    const v = runPt(['config', 'validate', '--dir', bomb]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('core_policy.yaml: (file): yaml_alias_limit: ');
    expect(v.stderr.trim()).toBe(`ERROR CORE_CONFIG_YAML: 1 violation in ${bomb}`);
    const f = runPt(['-c', bomb, 'features', '--pair', 'SYNA_SYNB', '--data-dir', join(work, 'no-data')]);
    expect(f.code).toBe(1);
    expect(f.stderr).toMatch(/^ERROR CORE_CONFIG_YAML: config in .* has a file that is not valid YAML/);
    expect(f.stderr).toContain('core_policy.yaml');
    expect(f.stderr).not.toContain('CORE_INTERNAL_BUG');
  });

  it('#66 a missing file is CORE_CONFIG_MISSING, from loadConfig and from pt config validate', () => {
    const e = loadError(missing);
    expect(e.id).toBe('CORE_CONFIG_MISSING');
    expect(e.message).toContain(`universe.yaml: (file): file_present: missing ${join(missing, 'universe.yaml')}`);
    const v = runPt(['config', 'validate', '--dir', missing]);
    expect(v.code).toBe(1);
    expect(v.stderr.trim()).toBe(`ERROR CORE_CONFIG_MISSING: 1 violation in ${missing}`);
  });

  it('#67 an empty file says "empty file"', () => {
    const violations = checkConfig(empty).violations;
    expect(violations).toEqual([
      expect.objectContaining({
        file: 'core_policy.yaml',
        rule: 'empty_file',
        message: expect.stringMatching(/^empty file/),
      }),
    ]);
    expect(loadError(empty).id).toBe('CORE_CONFIG_INVALID');
  });

  it('#68 a value without its wrapper says the wrapper is missing', () => {
    const violations = checkConfig(noWrapper).violations;
    expect(violations).toEqual([
      {
        file: 'pipeline_policy.yaml',
        path: 'outlier_sigma',
        rule: 'wrapper',
        message: "expected {value: …} (the seed's wrapper), found a number",
      },
    ]);
    const v = runPt(['config', 'validate', '--dir', noWrapper]);
    expect(v.stdout).toContain("outlier_sigma: wrapper: expected {value: …} (the seed's wrapper), found a number");
    expect(v.stderr.trim()).toBe(`ERROR CORE_CONFIG_INVALID: 1 violation in ${noWrapper}`);
  });

  it('a --universe/--cost file with a YAML error is CORE_CONFIG_YAML too', () => {
    const config = loadConfig(join(repoRoot, 'config'));
    const file = join(work, 'bad-cost.yaml');
    writeFileSync(file, 'defaults: {value: 1}\ndefaults: {value: 2}\n');
    expect(() => withConfigFile(config, 'cost_table', file)).toThrowError(
      expect.objectContaining({ id: 'CORE_CONFIG_YAML' }) as Error,
    );
  });
});
