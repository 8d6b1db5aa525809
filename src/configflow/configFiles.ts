// A config folder as bytes (path → content): which paths a proposal may touch, its checksum, its validation.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkConfig } from '../config/loadConfig.js';
import { CONFIG_NAMES } from '../config/schemas/index.js';
import type { Violation } from '../config/violation.js';
import { PtError } from '../core/ptError.js';

export type ConfigFiles = Map<string, Uint8Array>;

const KNOWN = new Set<string>(CONFIG_NAMES.map((n) => `${n}.yaml`));

/**
 * A path a proposal may add, change or remove: one of pt's config files, or a cost profile
 * (`cost_profiles/<name>.yaml`). Anything else (another folder, `..`, a stray file) is refused,
 * as the seed's workflow refuses changes outside the allowed config files.
 */
export function isConfigPath(path: string): boolean {
  return KNOWN.has(path) || /^cost_profiles\/[A-Za-z0-9_-]+\.yaml$/.test(path);
}

/** OPS_CONFIG_PATH unless `isConfigPath`. */
export function assertConfigPath(path: string): void {
  if (isConfigPath(path)) return;
  throw new PtError('OPS_CONFIG_PATH', `${JSON.stringify(path)} is not a config file a proposal may change`, {
    source: 'configflow',
    details: { path, allowed: [...KNOWN, 'cost_profiles/<name>.yaml'] },
  });
}

/**
 * SHA-256 (hex) of a config folder: for each file in path order, `<path>\n<byte length>\n<bytes>`.
 * Equal folders, byte for byte, have equal checksums; it does not depend on git.
 */
export function configChecksum(files: ConfigFiles): string {
  const h = createHash('sha256');
  for (const path of [...files.keys()].sort()) {
    const bytes = files.get(path)!;
    h.update(`${path}\n${bytes.length}\n`);
    h.update(bytes);
  }
  return h.digest('hex');
}

export function sameFiles(a: ConfigFiles, b: ConfigFiles): boolean {
  if (a.size !== b.size) return false;
  for (const [path, bytes] of a) {
    const other = b.get(path);
    if (!other || Buffer.compare(Buffer.from(bytes), Buffer.from(other)) !== 0) return false;
  }
  return true;
}

/** `pt config validate`'s check (schemas, cross-file rules, secrets) of a folder given as bytes. */
export async function validateFiles(files: ConfigFiles): Promise<{ ok: boolean; violations: Violation[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'pt-configflow-'));
  try {
    for (const [path, bytes] of files) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), bytes);
    }
    const check = checkConfig(dir);
    return { ok: check.violations.length === 0, violations: check.violations };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
