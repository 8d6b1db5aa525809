// pt models verify|list run as a user would (node bin/pt.js), in a temporary working folder and HOME.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeModelVersion } from '../../../src/ml/registry/index.js';
import { runPt } from '../../helpers/runPt.js';
import { fakeArtefacts, flipByte, makeKeyPair, tempDir } from './registryFixtures.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
const pair = makeKeyPair();
let version: string;
let localVersion: string;
// Blank the inherited key variables so only what a test sets counts.
const baseEnv = () => ({
  HOME: tmp.path,
  PT_MODEL_SIGNING_KEY: '',
  PT_MODEL_VERIFY_KEY: '',
  SERVICE_ENV: '',
  LOG_LEVEL: '',
});
const envKeyRoot = () => join(tmp.path, 'env-keys');
const localRoot = () => join(tmp.path, 'local-keys');
const pt = (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) => runPt(args, { ...baseEnv(), ...env }, cwd);
const verifyEnv = () => ({ PT_MODEL_VERIFY_KEY: pair.publicDerB64 });

beforeAll(async () => {
  tmp = await tempDir('pt-models-cli-');
  ({ version } = await writeModelVersion(join(envKeyRoot(), 'models'), fakeArtefacts(), {
    createdAt: new Date('2026-01-01T03:00:00Z'),
    keys: { env: { PT_MODEL_SIGNING_KEY: pair.privatePem } },
  }));
  ({ version: localVersion } = await writeModelVersion(join(localRoot(), 'models'), fakeArtefacts(), {
    keys: { env: {}, localKeyDir: join(localRoot(), '.pt', 'keys'), notice: () => {} },
  }));
});
afterAll(() => tmp.remove());

describe('pt models verify', () => {
  it('exits 0 with OK <version> (N files), given as the argument or as --version', () => {
    for (const args of [
      ['models', 'verify', version],
      ['models', 'verify', '--version', version],
      ['models', 'verify', join('models', version)],
    ]) {
      const r = pt(envKeyRoot(), args, verifyEnv());
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`OK ${version} (6 files)\n`);
    }
  });

  it('exits 1 naming the tampered file, then the ERROR CORE_MODEL_SIGNATURE line', async () => {
    const copy = join(tmp.path, 'tampered');
    await cp(envKeyRoot(), copy, { recursive: true });
    await flipByte(join(copy, 'models', version, 'model_ai1.onnx'), 100);
    const r = pt(copy, ['models', 'verify', version], verifyEnv());
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('model_ai1.onnx: digest\n');
    expect(r.stderr).toMatch(/^ERROR CORE_MODEL_SIGNATURE: \S+ does not verify \(1 problem\)/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 1 with SIGNATURE: key when the verify key is another one', () => {
    const r = pt(envKeyRoot(), ['models', 'verify', version], { PT_MODEL_VERIFY_KEY: makeKeyPair().publicPem });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('SIGNATURE: key\n');
  });

  it('uses the local key pair from .pt/keys/ of the working folder, and refuses it under SERVICE_ENV=prod', () => {
    const ok = pt(localRoot(), ['models', 'verify', localVersion]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(`OK ${localVersion} (6 files)\n`);
    const prod = pt(localRoot(), ['models', 'verify', localVersion], { SERVICE_ENV: 'prod' });
    expect(prod.code).toBe(1);
    expect(prod.stderr).toMatch(/^ERROR CORE_MODEL_KEY: SERVICE_ENV=prod refuses the local model key/);
    expect(prod.stdout).toBe('');
  });

  it('a missing version argument is a usage error (exit 2); an unknown version is CORE_MODEL_NOTFOUND', () => {
    const none = pt(envKeyRoot(), ['models', 'verify'], verifyEnv());
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^ERROR CORE_CLI_USAGE: /);
    const unknown = pt(envKeyRoot(), ['models', 'verify', '20250101_0000_0000000'], verifyEnv());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^ERROR CORE_MODEL_NOTFOUND: /);
  });
});

describe('pt models list', () => {
  it('prints one row per version with created time, file count and signature ok', async () => {
    const copy = join(tmp.path, 'listing');
    await cp(envKeyRoot(), copy, { recursive: true });
    const { version: newer } = await writeModelVersion(join(copy, 'models'), fakeArtefacts(7), {
      createdAt: new Date('2026-02-01T04:05:00Z'),
      keys: { env: { PT_MODEL_SIGNING_KEY: pair.privateDerB64 } },
    });
    await writeFile(
      join(copy, 'models', newer, 'params.yaml'),
      `${await readFile(join(copy, 'models', newer, 'params.yaml'), 'utf8')}# edited\n`,
    );
    const r = pt(copy, ['models', 'list'], verifyEnv());
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^version\s+created \(UTC\)\s+files\s+signature ok$/);
    expect(lines[1]).toMatch(new RegExp(`^${newer}\\s+2026-02-01 04:05Z\\s+6\\s+no \\(params.yaml: digest\\)$`));
    expect(lines[2]).toMatch(new RegExp(`^${version}\\s+2026-01-01 03:00Z\\s+6\\s+yes$`));
  });
});

describe('pt CLI positional options', () => {
  it('still takes -c after the subcommand and prints the version for `pt <cmd> --version`', () => {
    const v = pt(tmp.path, ['config', 'validate', '--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const c = pt(tmp.path, ['config', 'validate', '-c', '/nonexistent/pt-config']);
    expect(c.stderr.trim()).toBe('ERROR CORE_CONFIG_MISSING: config directory not found: /nonexistent/pt-config');
  });
});
