// Artefact checks before signing, the feature-schema hash, and listing versions newest first.
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  featureSchemaHash,
  latestModelVersion,
  listModelVersions,
  parseModelVersion,
  sealFeatureSchema,
  writeModelVersion,
} from '../../../src/ml/registry/index.js';
import { fakeArtefacts, flipByte, makeKeyPair, tempDir } from './registryFixtures.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let models: string;
const pair = makeKeyPair();
const keys = { env: {}, signingKey: pair.privateKey, localKeyDir: '/nonexistent/pt-keys' };
beforeEach(async () => {
  tmp = await tempDir();
  models = join(tmp.path, 'models');
});
afterEach(() => tmp.remove());

describe('artefact checks', () => {
  it('refuses a version missing a required file, a bad name, bad params or a wrong schema hash, writing nothing', async () => {
    const { 'model_ai2.onnx': _dropped, ...noAi2 } = fakeArtefacts();
    const schema = JSON.parse(fakeArtefacts()['feature_schema.json'] as string) as Record<string, unknown>;
    const bad: Array<Record<string, Uint8Array | string>> = [
      noAi2,
      { ...fakeArtefacts(), '../escape.json': '{}' },
      { ...fakeArtefacts(), SIGNATURE: 'mine' },
      { ...fakeArtefacts(), 'params.yaml': 'theta1: 0.7\n' },
      { ...fakeArtefacts(), 'params.yaml': `${fakeArtefacts()['params.yaml'] as string}signal_z: smooth\n` },
      { ...fakeArtefacts(), 'params.yaml': `${fakeArtefacts()['params.yaml'] as string}speed_lookback_bars: 2.5\n` },
      { ...fakeArtefacts(), 'metrics.json': '[1, 2]' },
      { ...fakeArtefacts(), 'feature_schema.json': JSON.stringify({ ...schema, names: ['z', 'z'] }) },
      { ...fakeArtefacts(), 'feature_schema.json': JSON.stringify({ ...schema, hash: '0'.repeat(64) }) },
    ];
    for (const artefacts of bad)
      await expect(writeModelVersion(models, artefacts, { keys })).rejects.toMatchObject({ id: 'CORE_MODEL_ARTEFACT' });
    expect(await readdir(tmp.path)).toEqual([]);
  });

  it('seals a feature schema given without hash; the hash covers the document minus the hash field', async () => {
    const plain = { names: ['z', 'beta'], normalisation: { median: [0, 1] } };
    const { dir } = await writeModelVersion(
      models,
      { ...fakeArtefacts(), 'feature_schema.json': JSON.stringify(plain) },
      { keys },
    );
    const written = JSON.parse(await readFile(join(dir, 'feature_schema.json'), 'utf8')) as Record<string, unknown>;
    expect(written).toEqual(sealFeatureSchema(plain));
    expect(written.hash).toBe(featureSchemaHash({ normalisation: { median: [0, 1] }, names: ['z', 'beta'] }));
    expect(featureSchemaHash({ ...plain, names: ['beta', 'z'] })).not.toBe(written.hash);
  });
});

describe('listModelVersions', () => {
  it('lists versions newest first with created time, file count and verified flag; skips other folders', async () => {
    const times = ['2026-01-01T03:00:00Z', '2026-03-01T03:00:00Z', '2026-02-01T03:00:00Z'].map((t) => new Date(t));
    const written = [];
    for (const [i, createdAt] of times.entries())
      written.push(await writeModelVersion(models, fakeArtefacts(i + 1), { createdAt, keys }));
    await flipByte(join(written[2]!.dir, 'metrics.json'), 3);
    await mkdir(join(models, 'not-a-version'));
    await mkdir(join(models, `.${written[0]!.version}.tmp-99999`));
    const list = await listModelVersions(models, { keys });
    expect(list.map((v) => v.version)).toEqual([written[1]!.version, written[2]!.version, written[0]!.version]);
    expect(list.map((v) => v.verified)).toEqual([true, false, true]);
    expect(list[1]!.problems).toEqual([{ file: 'metrics.json', problem: 'digest' }]);
    expect(list[0]!.createdAt.toISOString()).toBe('2026-03-01T03:00:00.000Z');
    expect(list.every((v) => v.files === 6)).toBe(true);
    expect((await latestModelVersion(models, { keys }))!.version).toBe(written[1]!.version);
  });

  it('lists nothing (and needs no key) when the folder is missing or empty', async () => {
    expect(
      await listModelVersions(join(tmp.path, 'nothing'), { keys: { env: {}, localKeyDir: '/nonexistent/pt-keys' } }),
    ).toEqual([]);
    expect(await latestModelVersion(join(tmp.path, 'nothing'))).toBeUndefined();
  });

  it('parses only real UTC minutes as versions', () => {
    expect(parseModelVersion('20260101_0300_ab12cd3')?.createdAt.toISOString()).toBe('2026-01-01T03:00:00.000Z');
    for (const name of [
      '20261301_0300_ab12cd3',
      '20260101_2460_ab12cd3',
      '20260101_0300_AB12CD3',
      '20260101_0300_ab12cd',
      'x20260101_0300_ab12cd3',
    ])
      expect(parseModelVersion(name)).toBeUndefined();
  });
});
