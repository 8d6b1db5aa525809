// Key handling: env keys (PEM or base64 DER) win, the local pair is created once with safe modes, prod refuses it.
import { chmod, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  keyFingerprint,
  LOCAL_PRIVATE_KEY_FILE,
  LOCAL_PUBLIC_KEY_FILE,
  parseSignatureFile,
  resolveVerifyKey,
  verifyModelVersion,
  writeModelVersion,
} from '../../../src/ml/registry/index.js';
import { pathExists } from '../../../src/core/durableFs.js';
import { fakeArtefacts, makeKeyPair, tempDir } from './registryFixtures.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let models: string;
let localKeyDir: string;
beforeEach(async () => {
  tmp = await tempDir();
  models = join(tmp.path, 'models');
  localKeyDir = join(tmp.path, '.pt', 'keys');
});
afterEach(() => tmp.remove());

const fingerprintOf = async (dir: string) => parseSignatureFile(await readFile(join(dir, 'SIGNATURE')))!.fingerprint;

describe('local key pair', () => {
  it('is created once under .pt/keys/ (folder 0700, private key 0600), announced in one line without key material', async () => {
    const lines: string[] = [];
    const keys = { env: {}, localKeyDir, notice: (l: string) => lines.push(l) };
    const a = await writeModelVersion(models, fakeArtefacts(1), { keys });
    const b = await writeModelVersion(models, fakeArtefacts(2), { keys });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(localKeyDir);
    expect(lines[0]).not.toMatch(/BEGIN|KEY-----/);
    expect((await stat(localKeyDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(localKeyDir, LOCAL_PRIVATE_KEY_FILE))).mode & 0o777).toBe(0o600);
    expect((await readdir(localKeyDir)).sort()).toEqual([LOCAL_PRIVATE_KEY_FILE, LOCAL_PUBLIC_KEY_FILE].sort());
    const privatePem = await readFile(join(localKeyDir, LOCAL_PRIVATE_KEY_FILE), 'utf8');
    expect(lines[0]).not.toContain(privatePem.split('\n')[1]);
    expect(await fingerprintOf(a.dir)).toBe(await fingerprintOf(b.dir));
    expect(await verifyModelVersion(a.dir, { keys })).toMatchObject({ ok: true });
    expect(await verifyModelVersion(b.dir, { keys })).toMatchObject({ ok: true });
  });

  it('is refused under SERVICE_ENV=prod, for signing and for verifying, with CORE_MODEL_KEY', async () => {
    const signed = await writeModelVersion(models, fakeArtefacts(), {
      keys: { env: {}, localKeyDir, notice: () => {} },
    });
    const prod = { env: { SERVICE_ENV: 'prod' }, localKeyDir, notice: () => {} };
    await expect(writeModelVersion(models, fakeArtefacts(2), { keys: prod })).rejects.toMatchObject({
      id: 'CORE_MODEL_KEY',
      message: expect.stringContaining('SERVICE_ENV=prod'),
    });
    await expect(verifyModelVersion(signed.dir, { keys: prod })).rejects.toMatchObject({ id: 'CORE_MODEL_KEY' });
    const fresh = join(tmp.path, 'fresh-keys');
    await expect(
      writeModelVersion(models, fakeArtefacts(3), { keys: { ...prod, localKeyDir: fresh } }),
    ).rejects.toMatchObject({ id: 'CORE_MODEL_KEY' });
    expect(await pathExists(fresh)).toBe(false);
  });

  it('is refused when its private key file is readable by others', async () => {
    await writeModelVersion(models, fakeArtefacts(), { keys: { env: {}, localKeyDir, notice: () => {} } });
    await chmod(join(localKeyDir, LOCAL_PRIVATE_KEY_FILE), 0o644);
    await expect(resolveVerifyKey({ env: {}, localKeyDir })).rejects.toMatchObject({
      id: 'CORE_MODEL_KEY',
      message: expect.stringContaining('chmod 600'),
    });
  });

  it('is not created just to verify: no key at all is a CORE_MODEL_KEY error', async () => {
    await expect(resolveVerifyKey({ env: {}, localKeyDir })).rejects.toMatchObject({ id: 'CORE_MODEL_KEY' });
    expect(await pathExists(localKeyDir)).toBe(false);
  });
});

describe('environment keys', () => {
  it('PT_MODEL_SIGNING_KEY (PEM) signs and PT_MODEL_VERIFY_KEY (base64 DER) verifies; no local key is made, even under prod', async () => {
    const pair = makeKeyPair();
    const env = { PT_MODEL_SIGNING_KEY: pair.privatePem, PT_MODEL_VERIFY_KEY: pair.publicDerB64, SERVICE_ENV: 'prod' };
    const { dir } = await writeModelVersion(models, fakeArtefacts(), { keys: { env, localKeyDir } });
    expect(await fingerprintOf(dir)).toBe(keyFingerprint(pair.publicKey));
    expect(
      await verifyModelVersion(dir, {
        keys: { env: { PT_MODEL_VERIFY_KEY: pair.publicDerB64, SERVICE_ENV: 'prod' }, localKeyDir },
      }),
    ).toMatchObject({ ok: true });
    expect(
      await verifyModelVersion(dir, { keys: { env: { PT_MODEL_VERIFY_KEY: pair.publicPem }, localKeyDir } }),
    ).toMatchObject({ ok: true });
    expect(await pathExists(localKeyDir)).toBe(false);
    const other = makeKeyPair();
    expect(
      await verifyModelVersion(dir, { keys: { env: { PT_MODEL_VERIFY_KEY: other.publicPem }, localKeyDir } }),
    ).toEqual({ ok: false, problems: [{ file: 'SIGNATURE', problem: 'key' }] });
  });

  it('accepts base64 DER and one-line PEM with \\n escapes for the signing key; verifying falls back to its public half', async () => {
    const pair = makeKeyPair();
    const a = await writeModelVersion(models, fakeArtefacts(1), {
      keys: { env: { PT_MODEL_SIGNING_KEY: pair.privateDerB64 }, localKeyDir },
    });
    const b = await writeModelVersion(models, fakeArtefacts(2), {
      keys: { env: { PT_MODEL_SIGNING_KEY: pair.privatePem.replace(/\n/g, '\\n') }, localKeyDir },
    });
    for (const v of [a, b]) {
      expect(await fingerprintOf(v.dir)).toBe(keyFingerprint(pair.publicKey));
      expect(
        await verifyModelVersion(v.dir, { keys: { env: { PT_MODEL_SIGNING_KEY: pair.privateDerB64 }, localKeyDir } }),
      ).toMatchObject({ ok: true });
    }
  });

  it('refuses unusable settings with CORE_MODEL_KEY and never echoes the value', async () => {
    const pair = makeKeyPair();
    const other = makeKeyPair();
    const secret = 'c2VjcmV0LW5vdC1hLWtleQ==';
    const cases: NodeJS.ProcessEnv[] = [
      { PT_MODEL_SIGNING_KEY: secret },
      { PT_MODEL_SIGNING_KEY: pair.privatePem, PT_MODEL_VERIFY_KEY: other.publicPem },
      { PT_MODEL_VERIFY_KEY: pair.publicPem },
      { PT_MODEL_SIGNING_KEY: pair.publicPem },
    ];
    for (const env of cases) {
      const error = await writeModelVersion(models, fakeArtefacts(), { keys: { env, localKeyDir } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ id: 'CORE_MODEL_KEY' });
      expect((error as Error).message).not.toContain(secret);
      expect((error as Error).message).not.toContain('BEGIN');
    }
    await expect(
      resolveVerifyKey({ env: { PT_MODEL_VERIFY_KEY: pair.privatePem }, localKeyDir }),
    ).rejects.toMatchObject({ id: 'CORE_MODEL_KEY', message: expect.stringContaining('private key') });
    expect(await pathExists(localKeyDir)).toBe(false);
  });
});
