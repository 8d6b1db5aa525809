// models/<group>/CURRENT: written atomically, read back to its version folder, refused when missing, malformed or dangling.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  currentPointerPath,
  listModelVersions,
  readCurrentModel,
  writeCurrentModel,
  writeModelVersion,
} from '../../../src/ml/registry/index.js';
import { isPtError } from '../../../src/core/ptError.js';
import { fakeArtefacts, makeKeyPair, tempDir } from './registryFixtures.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let models: string;
let keys: { signingKey: ReturnType<typeof makeKeyPair>['privateKey']; env: NodeJS.ProcessEnv; localKeyDir: string };

beforeEach(async () => {
  tmp = await tempDir('pt-current-');
  models = join(tmp.path, 'models');
  keys = { signingKey: makeKeyPair().privateKey, env: {}, localKeyDir: join(tmp.path, '.pt', 'keys') };
});
afterEach(() => tmp.remove());

async function errorOf(p: Promise<unknown>): Promise<{ id: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (isPtError(e)) return { id: e.id, message: e.message };
    throw e;
  }
  throw new Error('expected a PtError');
}

describe('the CURRENT model pointer', () => {
  it('points a group at a version; a second write replaces it; the registry listing ignores the group folder', async () => {
    const a = await writeModelVersion(models, fakeArtefacts(1), { keys });
    const b = await writeModelVersion(models, fakeArtefacts(2), { keys });
    const written = await writeCurrentModel(models, 'metals', a.version);
    expect(written.pointer).toBe(join(models, 'metals', 'CURRENT'));
    expect(await readFile(written.pointer, 'utf8')).toBe(`${a.version}\n`);
    expect(await readCurrentModel(models, 'metals')).toEqual({
      group: 'metals',
      version: a.version,
      dir: join(models, a.version),
      pointer: written.pointer,
    });
    await writeCurrentModel(models, 'metals', b.version);
    expect((await readCurrentModel(models, 'metals')).version).toBe(b.version);
    // No temp file left next to the pointer, and the group folder is not taken for a version.
    expect(await readdir(join(models, 'metals'))).toEqual(['CURRENT']);
    expect((await listModelVersions(models, { keys })).map((v) => v.version).sort()).toEqual(
      [a.version, b.version].sort(),
    );
  });

  it('tolerates surrounding whitespace a hand edit leaves', async () => {
    const a = await writeModelVersion(models, fakeArtefacts(1), { keys });
    await mkdir(join(models, 'custom'), { recursive: true });
    await writeFile(join(models, 'custom', 'CURRENT'), `  ${a.version}\r\n\n`);
    expect((await readCurrentModel(models, 'custom')).version).toBe(a.version);
  });

  it('refuses a missing pointer, an empty one, one that names no version, and one whose version is gone', async () => {
    const a = await writeModelVersion(models, fakeArtefacts(1), { keys });
    const missing = await errorOf(readCurrentModel(models, 'metals'));
    expect(missing.id).toBe('CORE_MODEL_NOCURRENT');
    expect(missing.message).toContain(join(models, 'metals', 'CURRENT'));
    // No models folder at all reads the same way.
    expect((await errorOf(readCurrentModel(join(tmp.path, 'nowhere'), 'metals'))).id).toBe('CORE_MODEL_NOCURRENT');
    await mkdir(join(models, 'metals'));
    for (const text of ['', '\n', 'latest', '../20260101_0300_ab12cd3', `${a.version} ${a.version}`]) {
      await writeFile(currentPointerPath(models, 'metals'), text);
      expect((await errorOf(readCurrentModel(models, 'metals'))).id, JSON.stringify(text)).toBe('CORE_MODEL_NOCURRENT');
    }
    await writeCurrentModel(models, 'metals', a.version);
    await rm(join(models, a.version), { recursive: true });
    const dangling = await errorOf(readCurrentModel(models, 'metals'));
    expect(dangling.id).toBe('CORE_MODEL_DANGLING');
    expect(dangling.message).toContain(a.version);
  });

  it('does not write a pointer to a version that does not exist, nor for a group that is not a folder name', async () => {
    await expect(writeCurrentModel(models, 'metals', 'not-a-version')).rejects.toMatchObject({
      id: 'CORE_MODEL_NOTFOUND',
    });
    expect((await errorOf(writeCurrentModel(models, 'metals', '20260101_0300_ab12cd3'))).id).toBe(
      'CORE_MODEL_NOTFOUND',
    );
    const a = await writeModelVersion(models, fakeArtefacts(1), { keys });
    for (const group of ['', '..', 'a/b', '../x', '.hidden', a.version])
      expect((await errorOf(writeCurrentModel(models, group, a.version))).id, group).toBe('CORE_CONFIG_INVALID');
    expect((await errorOf(readCurrentModel(models, '../metals'))).id).toBe('CORE_CONFIG_INVALID');
  });
});
