// A written model version verifies; any change to any file, a missing or extra file, or another key makes it fail.
import { sign } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  formatSignatureFile,
  keyFingerprint,
  loadVerifiedModel,
  parseSignatureFile,
  sha256Hex,
  verifyModelVersion,
  writeModelVersion,
} from '../../../src/ml/registry/index.js';
import { fakeArtefacts, flipByte, makeKeyPair, tempDir, type TestKeyPair } from './registryFixtures.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let pair: TestKeyPair;
let keys: { signingKey: TestKeyPair['privateKey']; env: NodeJS.ProcessEnv; localKeyDir: string };
let dir: string;
let version: string;
const createdAt = new Date('2026-01-02T03:04:59.999Z');

beforeEach(async () => {
  tmp = await tempDir();
  pair = makeKeyPair();
  keys = { signingKey: pair.privateKey, env: {}, localKeyDir: join(tmp.path, '.pt', 'keys') };
  ({ dir, version } = await writeModelVersion(join(tmp.path, 'models'), fakeArtefacts(), { createdAt, keys }));
});
afterEach(() => tmp.remove());

const check = () => verifyModelVersion(dir, { keys });

describe('writeModelVersion', () => {
  it('names the version yyyyMMdd_HHmm_<first 7 hex of the manifest SHA-256> in UTC and writes every file plus SIGNATURE', async () => {
    const sig = parseSignatureFile(await readFile(join(dir, 'SIGNATURE')))!;
    expect(version).toBe(`20260102_0304_${sha256Hex(sig.manifest).slice(0, 7)}`);
    expect((await readdir(dir)).sort()).toEqual([
      'SIGNATURE',
      'calibration_ai1.json',
      'feature_schema.json',
      'metrics.json',
      'model_ai1.onnx',
      'model_ai2.onnx',
      'params.yaml',
    ]);
    expect(sig.entries.map((e) => e.name)).toEqual([
      'calibration_ai1.json',
      'feature_schema.json',
      'metrics.json',
      'model_ai1.onnx',
      'model_ai2.onnx',
      'params.yaml',
    ]);
    expect(sig.fingerprint).toBe(keyFingerprint(pair.publicKey));
    // No temp folder is left next to the version.
    expect(await readdir(join(tmp.path, 'models'))).toEqual([version]);
  });

  it('writes the SIGNATURE layout documented in signatureFile.ts', async () => {
    const text = await readFile(join(dir, 'SIGNATURE'), 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe('pt-model-signature v1 ed25519');
    expect(lines[1]).toMatch(/^fingerprint sha256:[0-9a-f]{64}$/);
    expect(lines[2]).toMatch(/^signature [A-Za-z0-9+/]{86}==$/);
    expect(lines[3]).toBe('');
    const artefacts = fakeArtefacts();
    expect(lines[7]).toBe(`${sha256Hex(artefacts['model_ai1.onnx']!)}  model_ai1.onnx`);
    expect(text.endsWith('  params.yaml\n')).toBe(true);
  });

  it('refuses to overwrite an existing version (same artefacts, same minute)', async () => {
    await expect(
      writeModelVersion(join(tmp.path, 'models'), fakeArtefacts(), { createdAt, keys }),
    ).rejects.toMatchObject({ id: 'CORE_MODEL_EXISTS' });
    expect(await check()).toMatchObject({ ok: true });
  });
});

describe('verifyModelVersion', () => {
  it('passes on the version as written', async () => {
    expect(await check()).toEqual({ ok: true, files: 6, fingerprint: keyFingerprint(pair.publicKey) });
  });

  it('fails naming the file when any single byte of any artefact is flipped (every byte of every file tried)', async () => {
    for (const name of await readdir(dir)) {
      if (name === 'SIGNATURE') continue;
      const size = (await stat(join(dir, name))).size;
      for (let at = 0; at < size; at++) {
        await flipByte(join(dir, name), at);
        expect(await check(), `${name} byte ${at}`).toEqual({
          ok: false,
          problems: [{ file: name, problem: 'digest' }],
        });
        await flipByte(join(dir, name), at);
      }
    }
    expect(await check()).toMatchObject({ ok: true });
  });

  it('fails naming SIGNATURE when any byte of SIGNATURE is flipped (every byte tried)', async () => {
    const path = join(dir, 'SIGNATURE');
    const size = (await stat(path)).size;
    for (let at = 0; at < size; at++) {
      await flipByte(path, at);
      const r = await check();
      expect(r.ok, `SIGNATURE byte ${at}`).toBe(false);
      if (!r.ok)
        expect(
          r.problems.some((p) => p.file === 'SIGNATURE'),
          `SIGNATURE byte ${at}`,
        ).toBe(true);
      await flipByte(path, at);
    }
    expect(await check()).toMatchObject({ ok: true });
  });

  it('fails on a deleted file (missing) and on any added entry (extra)', async () => {
    await rm(join(dir, 'params.yaml'));
    expect(await check()).toEqual({ ok: false, problems: [{ file: 'params.yaml', problem: 'missing' }] });
    await writeFile(join(dir, 'params.yaml'), fakeArtefacts()['params.yaml']!);
    expect(await check()).toMatchObject({ ok: true });
    await writeFile(join(dir, 'notes.txt'), 'added later');
    await writeFile(join(dir, '.hidden'), '');
    await mkdir(join(dir, 'sub'));
    expect(await check()).toEqual({
      ok: false,
      problems: [
        { file: '.hidden', problem: 'extra' },
        { file: 'notes.txt', problem: 'extra' },
        { file: 'sub', problem: 'extra' },
      ],
    });
  });

  it('reports no_signature when SIGNATURE is gone', async () => {
    await rm(join(dir, 'SIGNATURE'));
    expect(await check()).toEqual({ ok: false, problems: [{ file: 'SIGNATURE', problem: 'no_signature' }] });
  });

  it('fails with key when the version was signed by another key', async () => {
    const other = makeKeyPair();
    expect(await verifyModelVersion(dir, { keys: { env: {}, verifyKey: other.publicKey } })).toEqual({
      ok: false,
      problems: [{ file: 'SIGNATURE', problem: 'key' }],
    });
  });

  it('fails with signature when another key signs a changed manifest under the right fingerprint', async () => {
    const sig = parseSignatureFile(await readFile(join(dir, 'SIGNATURE')))!;
    const forged = Buffer.from('forged model');
    await writeFile(join(dir, 'model_ai1.onnx'), forged);
    const manifest = sig.manifest.replace(/^[0-9a-f]{64}(?= {2}model_ai1\.onnx$)/m, sha256Hex(forged));
    const other = makeKeyPair();
    await writeFile(
      join(dir, 'SIGNATURE'),
      formatSignatureFile(sig.fingerprint, sign(null, Buffer.from(manifest), other.privateKey), manifest),
    );
    expect(await check()).toEqual({ ok: false, problems: [{ file: 'SIGNATURE', problem: 'signature' }] });
  });

  it('throws CORE_MODEL_NOTFOUND for a folder that does not exist', async () => {
    await expect(verifyModelVersion(join(tmp.path, 'models', 'nope'), { keys })).rejects.toMatchObject({
      id: 'CORE_MODEL_NOTFOUND',
    });
  });
});

describe('loadVerifiedModel', () => {
  it('returns the signed files byte for byte when the version verifies', async () => {
    const model = await loadVerifiedModel(dir, { keys });
    expect(model.version).toBe(version);
    const artefacts = fakeArtefacts();
    expect([...model.files.keys()].sort()).toEqual(Object.keys(artefacts).sort());
    for (const [name, content] of Object.entries(artefacts))
      expect(Buffer.from(model.files.get(name)!).equals(Buffer.from(content))).toBe(true);
  });

  it('refuses a version without SIGNATURE with CORE_MODEL_SIGNATURE', async () => {
    await rm(join(dir, 'SIGNATURE'));
    await expect(loadVerifiedModel(dir, { keys })).rejects.toMatchObject({
      id: 'CORE_MODEL_SIGNATURE',
      message: expect.stringContaining('SIGNATURE: no_signature'),
    });
  });

  it('refuses a tampered version with CORE_MODEL_SIGNATURE naming the file', async () => {
    await flipByte(join(dir, 'model_ai2.onnx'), 5);
    await expect(loadVerifiedModel(dir, { keys })).rejects.toMatchObject({
      id: 'CORE_MODEL_SIGNATURE',
      details: { problems: [{ file: 'model_ai2.onnx', problem: 'digest' }] },
    });
  });
});
