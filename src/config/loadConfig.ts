// The one typed config loader: reads every YAML in config/, validates it, and returns the merged config.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { ErrorId } from '../core/errorCatalog.js';
import { PtError } from '../core/ptError.js';
import { CONFIG_NAMES, type ConfigName, type PtConfig } from './schemas/index.js';
import { validateSchema } from './schemaValidator.js';
import { checkCrossRules, findSecretViolations } from './crossRules.js';
import { formatViolation, type Violation } from './violation.js';

export interface ConfigCheck {
  dir: string;
  files: number;
  violations: Violation[];
  config?: PtConfig;
}

/** The folder pt reads config from: `--dir`, else `PT_CONFIG_DIR`, else `./config`. */
export function resolveConfigDir(dir?: string): string {
  return resolve(dir ?? process.env.PT_CONFIG_DIR ?? 'config');
}

function unwrap(data: Record<string, { value: unknown }>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(data)) out[key] = entry.value;
  return out;
}

/**
 * Parses one YAML file, adding a violation for each syntax error or duplicate key (with line and
 * column), for the alias limit, and for an empty file; undefined when it cannot be used.
 */
function parseYamlFile(path: string, file: string, violations: Violation[]): unknown {
  const doc = parseDocument(readFileSync(path, 'utf8'), { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = e.linePos?.[0];
      violations.push({
        file,
        path: pos ? `line ${pos.line}, column ${pos.col}` : '(file)',
        rule: 'yaml_syntax',
        // prettyErrors appends "at line L, column C:" and a code excerpt; the path holds the position.
        message: (e.message.split('\n')[0] ?? 'YAML syntax error').replace(/ at line \d+, column \d+:?$/, ''),
      });
    }
    return undefined;
  }
  if (doc.contents === null) {
    violations.push({
      file,
      path: '(file)',
      rule: 'empty_file',
      message: 'empty file: expected `key: {value: …}` entries',
    });
    return undefined;
  }
  try {
    return doc.toJS();
  } catch (e) {
    // yaml refuses to expand more than 100 aliases (a "billion laughs" file) when it builds the values.
    violations.push({
      file,
      path: '(file)',
      rule: 'yaml_alias_limit',
      message: `too many alias expansions (${e instanceof Error ? e.message : String(e)})`,
    });
    return undefined;
  }
}

function readYaml(dir: string, name: string, violations: Violation[]): unknown {
  const file = `${name}.yaml`;
  const path = join(dir, file);
  if (!existsSync(path)) {
    violations.push({ file, path: '(file)', rule: 'file_present', message: `missing ${path}` });
    return undefined;
  }
  return parseYamlFile(path, file, violations);
}

/**
 * The id of a config failure, for its most basic problem: a file that is not YAML
 * (CORE_CONFIG_YAML), then a missing file (CORE_CONFIG_MISSING), else CORE_CONFIG_INVALID.
 */
export function configFailureId(violations: readonly Violation[]): ErrorId {
  if (violations.some((v) => v.rule.startsWith('yaml_'))) return 'CORE_CONFIG_YAML';
  if (violations.some((v) => v.rule === 'file_present')) return 'CORE_CONFIG_MISSING';
  return 'CORE_CONFIG_INVALID';
}

const FAILURE_HEADLINE: Partial<Record<ErrorId, string>> = {
  CORE_CONFIG_YAML: 'has a file that is not valid YAML',
  CORE_CONFIG_MISSING: 'is missing a file',
};

/** Validates a config folder: every file's schema, then the cross-file rules. Never throws on bad content. */
export function checkConfig(dir?: string): ConfigCheck {
  const root = resolveConfigDir(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new PtError('CORE_CONFIG_MISSING', `config directory not found: ${root}`, { source: 'config' });
  }
  const violations: Violation[] = [];
  const known = new Set<string>(CONFIG_NAMES.map((n) => `${n}.yaml`));
  for (const entry of readdirSync(root)) {
    if (/\.ya?ml$/.test(entry) && !known.has(entry)) {
      violations.push({
        file: entry,
        path: '(file)',
        rule: 'unknown_file',
        message: `not a pt config file (expected one of ${[...known].join(', ')})`,
      });
    }
  }
  const raw: Record<string, unknown> = {};
  const unwrapped: Record<string, unknown> = {};
  let schemaOk = true;
  for (const name of CONFIG_NAMES) {
    const data = readYaml(root, name, violations);
    if (data === undefined) {
      schemaOk = false;
      continue;
    }
    raw[name] = data;
    const problems = validateSchema(name as ConfigName, data);
    if (problems.length > 0) {
      violations.push(...problems);
      schemaOk = false;
      continue;
    }
    unwrapped[name] = unwrap(data as Record<string, { value: unknown }>);
  }
  // Cost profiles (config/cost_profiles/*.yaml, `pt bt run --cost NAME`) follow cost_table.yaml's schema.
  const profiles = listCostProfiles(root);
  for (const name of profiles) {
    const file = join(COST_PROFILES_DIR, `${name}.yaml`);
    const data = readYaml(root, file.replace(/\.yaml$/, ''), violations);
    if (data !== undefined) violations.push(...validateSchema('cost_table', data).map((v) => ({ ...v, file })));
  }
  let config: PtConfig | undefined;
  if (schemaOk) {
    const candidate = { ...unwrapped, dir: root } as PtConfig;
    violations.push(...checkCrossRules(candidate, raw));
    if (violations.length === 0) config = candidate;
  } else {
    // Secrets are checked even when another file is broken: a leaked key must always be named.
    violations.push(...findSecretViolations(raw));
  }
  return { dir: root, files: CONFIG_NAMES.length + profiles.length, violations, config };
}

/** Folder of named cost tables inside config/. */
export const COST_PROFILES_DIR = 'cost_profiles';

/** Names of the cost profiles in `configDir` (file names without .yaml), sorted. */
export function listCostProfiles(configDir: string): string[] {
  const dir = join(configDir, COST_PROFILES_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

/**
 * `--cost` takes a profile name (config/cost_profiles/NAME.yaml: `seed`, `ecn`) or a file path; a
 * name that is not a profile and not a file is an error naming the profiles.
 */
export function resolveCostFile(configDir: string, value: string): string {
  const profiles = listCostProfiles(configDir);
  if (profiles.includes(value)) return join(configDir, COST_PROFILES_DIR, `${value}.yaml`);
  if (!/[\\/.]/.test(value)) {
    throw new PtError(
      'CORE_CLI_USAGE',
      `--cost ${value}: no such cost profile (config/${COST_PROFILES_DIR}/ has ${profiles.join(', ') || 'none'}); or give a file path`,
      { source: 'config', exitCode: 2 },
    );
  }
  return value;
}

/** Loads the merged config or throws CORE_CONFIG_YAML, CORE_CONFIG_MISSING or CORE_CONFIG_INVALID listing every violation. */
export function loadConfig(dir?: string): PtConfig {
  const check = checkConfig(dir);
  if (!check.config) {
    const id = configFailureId(check.violations);
    const lines = check.violations.map(formatViolation);
    throw new PtError(
      id,
      `config in ${check.dir} ${FAILURE_HEADLINE[id] ?? 'is invalid'} (run pt config validate):\n  ${lines.join('\n  ')}`,
      {
        source: 'config',
        details: { violations: check.violations },
      },
    );
  }
  return check.config;
}

/**
 * The config with one file replaced by another YAML of the same schema (pt bt run --universe FILE,
 * --cost FILE); the file is validated like config/ and the cross-file rules run again.
 */
export function withConfigFile<N extends ConfigName>(config: PtConfig, name: N, path: string): PtConfig {
  const file = resolve(path);
  if (!existsSync(file))
    throw new PtError('CORE_CONFIG_MISSING', `${path} does not exist`, { source: 'config', exitCode: 2 });
  const violations: Violation[] = [];
  const data = parseYamlFile(file, path, violations);
  if (data !== undefined) violations.push(...validateSchema(name, data).map((v) => ({ ...v, file: path })));
  if (violations.length === 0) {
    const next = { ...config, [name]: unwrap(data as Record<string, { value: unknown }>) } as PtConfig;
    violations.push(
      ...checkCrossRules(next, {})
        .filter((v) => v.file === `${name}.yaml`)
        .map((v) => ({ ...v, file: path })),
    );
    if (violations.length === 0) return next;
  }
  throw new PtError(
    configFailureId(violations),
    `${path} is not a valid ${name}.yaml:\n  ${violations.map(formatViolation).join('\n  ')}`,
    { source: 'config', exitCode: 1, details: { violations } },
  );
}
