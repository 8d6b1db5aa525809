// pt models import run as a user would (node bin/pt.js): foreign ONNX files written here become a signed
// version that pt models verify accepts and the bundle loads; a wrong feature order exits 1.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelBundle } from '../../../src/ml/modelBundle.js';
import { MODEL_VERSION_PATTERN } from '../../../src/ml/registry/index.js';
import { MODEL_FEATURES } from '../../../src/train/modelFeatures.js';
import { repoRoot, runPt } from '../../helpers/runPt.js';
import { foreignOnnx } from '../onnx/foreignOnnx.js';
import { randomEnsemble } from '../onnx/randomEnsemble.js';
import { makeKeyPair, tempDir } from './registryFixtures.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
const pair = makeKeyPair();
const names = MODEL_FEATURES.slice(0, 4) as string[];
const env = () => ({
  HOME: tmp.path,
  PT_MODEL_SIGNING_KEY: pair.privatePem,
  PT_MODEL_VERIFY_KEY: '',
  SERVICE_ENV: '',
  LOG_LEVEL: '',
  PT_CONFIG_DIR: join(repoRoot, 'config'),
});
const pt = (args: string[]) => runPt(args, env(), tmp.path);
const scaler = {
  names,
  median: [0, 0, 0, 0],
  mad: [1, 1, 1, 1],
  lower: [-9, -9, -9, -9],
  upper: [9, 9, 9, 9],
  clipped: [],
  clip: 5,
};

beforeAll(async () => {
  tmp = await tempDir('pt-models-import-cli-');
  const model = (seed: number) => ({ ...randomEnsemble(seed, 6, names.length, 3), featureNames: names });
  await writeFile(join(tmp.path, 'ai1.onnx'), foreignOnnx(model(1)));
  await writeFile(join(tmp.path, 'ai2.onnx'), foreignOnnx(model(2)));
  await writeFile(
    join(tmp.path, 'feature_schema.json'),
    JSON.stringify({ names, normalisation: { ai1: scaler, ai2: scaler } }),
  );
});
afterAll(() => tmp.remove());

describe('pt models import', () => {
  it('writes and signs a version (params from the config), prints its name, and verify accepts it', async () => {
    const r = pt([
      'models',
      'import',
      '--ai1',
      'ai1.onnx',
      '--ai2',
      'ai2.onnx',
      '--schema',
      'feature_schema.json',
      '--feature-names',
      names.join(','),
    ]);
    expect(r.stderr).toMatch(/^ai1: \S+ai1\.onnx \(classifier, float32 input, uncalibrated, pt\.feature_names added;/);
    expect(r.code).toBe(0);
    const version = r.stdout.trim();
    expect(version).toMatch(MODEL_VERSION_PATTERN);
    const v = runPt(['models', 'verify', version], { ...env(), PT_MODEL_VERIFY_KEY: pair.publicPem }, tmp.path);
    expect(v.stdout).toBe(`OK ${version} (5 files)\n`);
    const bundle = await loadModelBundle(join(tmp.path, 'models', version), {
      env: { PT_MODEL_VERIFY_KEY: pair.publicPem },
    });
    expect(bundle.featureNames).toEqual(names);
    expect(bundle.params.theta1).toBeGreaterThan(0);
  });

  it('exits 1 with CORE_MODEL_ONNX for a reversed --feature-names, and 2 without --schema', () => {
    const reversed = [...names].reverse().join(',');
    const r = pt([
      'models',
      'import',
      '--ai1',
      'ai1.onnx',
      '--ai2',
      'ai2.onnx',
      '--schema',
      'feature_schema.json',
      '--feature-names',
      reversed,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ERROR CORE_MODEL_ONNX: --feature-names \[.*\] are not the schema's ordered names/);
    expect(r.stdout).toBe('');
    const u = pt(['models', 'import', '--ai1', 'ai1.onnx', '--ai2', 'ai2.onnx']);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/^ERROR CORE_CLI_USAGE: --schema is required \(or --from <version>/);
  });
});
