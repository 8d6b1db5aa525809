// The one typed config loader: reads every YAML in config/, validates it, and returns the merged config.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
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

function readYaml(dir: string, name: string, violations: Violation[]): unknown {
  const file = `${name}.yaml`;
  const path = join(dir, file);
  if (!existsSync(path)) {
    violations.push({ file, path: '(file)', rule: 'file_present', message: `missing ${path}` });
    return undefined;
  }
  const doc = parseDocument(readFileSync(path, 'utf8'), { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const line = e.linePos?.[0]?.line;
      violations.push({
        file,
        path: line ? `line ${line}` : '(file)',
        rule: 'yaml_syntax',
        message: e.message.split('\n')[0] ?? 'YAML syntax error',
      });
    }
    return undefined;
  }
  return doc.toJS();
}

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

/** Loads the merged config or throws CORE_CONFIG_INVALID listing every violation. */
export function loadConfig(dir?: string): PtConfig {
  const check = checkConfig(dir);
  if (!check.config) {
    const lines = check.violations.map(formatViolation);
    throw new PtError(
      'CORE_CONFIG_INVALID',
      `config in ${check.dir} is invalid (run pt config validate):\n  ${lines.join('\n  ')}`,
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
  const doc = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true, uniqueKeys: true });
  const violations: Violation[] = doc.errors.map((e) => ({
    file: path,
    path: `line ${e.linePos?.[0]?.line ?? '?'}`,
    rule: 'yaml_syntax',
    message: e.message.split('\n')[0] ?? 'YAML syntax error',
  }));
  const data = violations.length === 0 ? doc.toJS() : undefined;
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
    'CORE_CONFIG_INVALID',
    `${path} is not a valid ${name}.yaml:\n  ${violations.map(formatViolation).join('\n  ')}`,
    { source: 'config', exitCode: 1 },
  );
}
