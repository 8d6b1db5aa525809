// pt models import as a library job: foreign ONNX tree models (onnxmltools layout, built here) become a
// signed version whose bundle scores equal a direct evaluation of the trees; feature order and
// calibration tables are tied to the model, and stale or reordered ones are refused.
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../src/features/featureNames.js';
import { applyIsotonic, isotonicTableToJson } from '../../src/ml/calibration/index.js';
import { importModelVersion, type ImportModelInput } from '../../src/ml/importModelVersion.js';
import { bundleScorer, loadModelBundle } from '../../src/ml/modelBundle.js';
import { readOnnxGraphInfo } from '../../src/ml/onnx/index.js';
import { sha256Hex, verifyModelVersion, writeModelVersion } from '../../src/ml/registry/index.js';
import type { TreeEnsemble } from '../../src/ml/treeEnsemble.js';
import { MODEL_FEATURES } from '../../src/train/modelFeatures.js';
import { identityScaler } from './identityScaler.js';
import { foreignOnnx, foreignProbability } from './onnx/foreignOnnx.js';
import { randomColumns, randomEnsemble, rowOf } from './onnx/randomEnsemble.js';

const dir = mkdtempSync(join(tmpdir(), 'pt-model-import-'));
const keys = { localKeyDir: join(dir, '.pt', 'keys'), env: {}, notice: () => {} };
const modelsDir = join(dir, 'models');
const names = MODEL_FEATURES.slice(0, 6) as string[];
const scaler = () => identityScaler(names);
const schemaText = JSON.stringify({ names, normalisation: { ai1: scaler(), ai2: scaler() } });
const file = (source: string, content: Uint8Array | string) => ({
  source,
  bytes: typeof content === 'string' ? Buffer.from(content) : content,
});
const paramsText = 'theta1: 0.7\ntheta2: 0.3\nz_entry: 2\nz_exit: 0.5\nM: 48\ntheta_stop: 0.45\n';
const model = (seed: number, trees: number, depth: number): TreeEnsemble => ({
  ...randomEnsemble(seed, trees, names.length, depth),
  featureNames: names,
});
const m1 = model(11, 20, 4);
const m2 = model(12, 30, 5);

function base(overrides: Partial<ImportModelInput> = {}): ImportModelInput {
  return {
    ai1: file('ai1.onnx', foreignOnnx(m1, { metadataNames: names })),
    ai2: file('ai2.onnx', foreignOnnx(m2)),
    featureNames: names,
    schema: file('feature_schema.json', schemaText),
    params: file('params.yaml', paramsText),
    defaultParams: () => {
      throw new Error('params are given');
    },
    modelsDir,
    keys,
    ...overrides,
  };
}

/** Rows with NaNs and values exactly on thresholds of both models, as model inputs and as pt feature columns. */
function rows(n: number): { inputs: Float64Array[]; columns: Float64Array[]; valid: Uint8Array } {
  const a = randomColumns(m1, n, 5);
  const b = randomColumns(m2, n, 6);
  const inputs = a.map((col, j) => Float64Array.from(col, (v, r) => (r % 2 === 0 ? v : b[j]![r]!)));
  const columns = FEATURE_NAMES.map(() => new Float64Array(n));
  names.forEach((name, j) => columns[FEATURE_NAMES.indexOf(name as (typeof FEATURE_NAMES)[number])]!.set(inputs[j]!));
  return { inputs, columns, valid: new Uint8Array(n).fill(1) };
}

async function scores(versionDir: string, n = 2000) {
  const bundle = await loadModelBundle(versionDir, keys);
  const r = rows(n);
  const out = await bundleScorer(bundle).scoreColumns(r.columns, r.valid);
  return { ...out, inputs: r.inputs, bundle };
}

const maxGap = (a: ArrayLike<number>, f: (r: number) => number) => {
  let worst = 0;
  for (let r = 0; r < a.length; r++) worst = Math.max(worst, Math.abs(a[r]! - f(r)));
  return worst;
};

describe('importModelVersion', () => {
  it('imports onnxmltools-style FLOAT classifiers; the signed version scores as the trees evaluate', async () => {
    const result = await importModelVersion(base());
    expect((await verifyModelVersion(result.dir, { keys })).ok).toBe(true);
    expect(result.models.ai1).toMatchObject({ kind: 'classifier', inputType: 'float32', namesAdded: false });
    // ai2 had no metadata: the names given are written into the stored graph, so later loads check them.
    expect(result.models.ai2.namesAdded).toBe(true);
    const stored = await readFile(join(result.dir, 'model_ai2.onnx'));
    expect(readOnnxGraphInfo(stored).metadata['pt.feature_names']).toBe(JSON.stringify(names));
    expect(result.models.ai2.sha256).toBe(sha256Hex(stored));

    const s = await scores(result.dir);
    const n = s.returnProb.length;
    expect(maxGap(s.returnProb, (r) => foreignProbability(m1, rowOf(s.inputs, r)))).toBeLessThan(1e-6);
    expect(maxGap(s.riskScore, (r) => foreignProbability(m2, rowOf(s.inputs, r)))).toBeLessThan(1e-6);
    // The rows exercise the model: many distinct scores, not a constant.
    expect(new Set(Array.from(s.riskScore)).size).toBeGreaterThan(n / 10);
  });

  it('imports the ZipMap layout onnxmltools writes by default', async () => {
    const result = await importModelVersion(base({ ai2: file('zip.onnx', foreignOnnx(m2, { zipMap: true })) }));
    const s = await scores(result.dir, 500);
    expect(s.bundle.ai2.onnx.probabilityOutput).toBe('probability_tensor');
    expect(maxGap(s.riskScore, (r) => foreignProbability(m2, rowOf(s.inputs, r)))).toBeLessThan(1e-6);
  });

  it('imports a TreeEnsembleRegressor followed by a Sigmoid; refuses one with post_transform LOGISTIC', async () => {
    const result = await importModelVersion(base({ ai2: file('reg.onnx', foreignOnnx(m2, { regressor: 'sigmoid' })) }));
    expect(result.models.ai2.kind).toBe('regressor');
    const s = await scores(result.dir, 500);
    expect(maxGap(s.riskScore, (r) => foreignProbability(m2, rowOf(s.inputs, r)))).toBeLessThan(1e-6);
    // onnxruntime ignores LOGISTIC on a one-target regressor and returns the margin.
    await expect(
      importModelVersion(base({ ai2: file('logistic.onnx', foreignOnnx(m2, { regressor: 'logistic' })) })),
    ).rejects.toMatchObject({
      id: 'CORE_MODEL_ONNX',
      message: expect.stringMatching(/^logistic\.onnx: the TreeEnsembleRegressor has post_transform LOGISTIC;/),
    });
  });

  it('refuses a reversed feature order, from the graph metadata or from --feature-names, and no names at all', async () => {
    const reversed = [...names].reverse();
    await expect(
      importModelVersion(base({ ai1: file('rev.onnx', foreignOnnx(m1, { metadataNames: reversed })) })),
    ).rejects.toMatchObject({
      id: 'CORE_MODEL_ONNX',
      message: expect.stringMatching(/^rev\.onnx was trained on features/),
    });
    await expect(importModelVersion(base({ featureNames: reversed }))).rejects.toMatchObject({
      id: 'CORE_MODEL_ONNX',
      message: expect.stringMatching(/^--feature-names .* are not the schema's ordered names .*position 1 is/),
    });
    const { featureNames: _none, ...noNames } = base();
    await expect(importModelVersion(noNames)).rejects.toMatchObject({
      id: 'CORE_MODEL_ONNX',
      message: expect.stringMatching(/^ai2\.onnx carries no pt\.feature_names metadata: give --feature-names/),
    });
  });

  it('refuses graphs that are not one binary tree ensemble giving a probability, or of the wrong width', async () => {
    await expect(
      importModelVersion(base({ ai2: file('soft.onnx', foreignOnnx(m2, { postTransform: 'SOFTMAX' })) })),
    ).rejects.toMatchObject({ id: 'CORE_MODEL_ONNX', message: expect.stringMatching(/post_transform SOFTMAX/) });
    await expect(
      importModelVersion(base({ ai2: file('margin.onnx', foreignOnnx(m2, { postTransform: 'NONE' })) })),
    ).rejects.toMatchObject({ id: 'CORE_MODEL_ONNX', message: expect.stringMatching(/margins, not probabilities/) });
    const narrow = { ...randomEnsemble(3, 5, 5, 3), featureNames: names.slice(0, 5) };
    await expect(importModelVersion(base({ ai2: file('narrow.onnx', foreignOnnx(narrow)) }))).rejects.toMatchObject({
      id: 'CORE_MODEL_ONNX',
      message: expect.stringMatching(/takes 5 features, expected 6/),
    });
  });

  it('binds a calibration table to the stored ONNX; a stale or unbound table is refused at load', async () => {
    const table = { x: Float64Array.of(0.2, 0.45, 0.7), y: Float64Array.of(0.1, 0.5, 0.8) };
    const result = await importModelVersion(
      base({ calibration: { ai2: file('cal.json', JSON.stringify(isotonicTableToJson(table))) } }),
    );
    const stored = JSON.parse(await readFile(join(result.dir, 'calibration_ai2.json'), 'utf8')) as {
      onnx_sha256: string;
    };
    expect(stored.onnx_sha256).toBe(sha256Hex(await readFile(join(result.dir, 'model_ai2.onnx'))));
    const s = await scores(result.dir, 500);
    expect(maxGap(s.riskScore, (r) => applyIsotonic(table, foreignProbability(m2, rowOf(s.inputs, r))))).toBeLessThan(
      1e-6,
    );

    // A table fitted for another model keeps that model's digest: import refuses it, and so does the loader.
    const other = foreignOnnx(model(99, 10, 3), { metadataNames: names });
    const stale = JSON.stringify(isotonicTableToJson(table, sha256Hex(other)));
    await expect(importModelVersion(base({ calibration: { ai2: file('stale.json', stale) } }))).rejects.toMatchObject({
      id: 'CORE_MODEL_CALIB',
      message: expect.stringMatching(/^stale\.json was fitted for another ONNX file/),
    });
    const artefacts = {
      'model_ai1.onnx': foreignOnnx(m1, { metadataNames: names }),
      'model_ai2.onnx': foreignOnnx(m2, { metadataNames: names }),
      'feature_schema.json': schemaText,
      'params.yaml': paramsText,
      'metrics.json': '{}',
    };
    const staleVersion = await writeModelVersion(modelsDir, { ...artefacts, 'calibration_ai2.json': stale }, { keys });
    await expect(loadModelBundle(staleVersion.dir, keys)).rejects.toMatchObject({
      id: 'CORE_MODEL_CALIB',
      message: expect.stringMatching(/calibration_ai2\.json was fitted for another ONNX file/),
    });
    const unbound = await writeModelVersion(
      modelsDir,
      { ...artefacts, 'calibration_ai1.json': JSON.stringify(isotonicTableToJson(table)) },
      { keys, createdAt: new Date('2026-01-02T00:00:00Z') },
    );
    await expect(loadModelBundle(unbound.dir, keys)).rejects.toMatchObject({
      id: 'CORE_MODEL_CALIB',
      message: expect.stringMatching(/calibration_ai1\.json has no onnx_sha256/),
    });
  });

  it('re-binds the tables of a version written before the binding, as docs/models.md says', async () => {
    const table = { x: Float64Array.of(0.3, 0.6), y: Float64Array.of(0.2, 0.7) };
    const onnx1 = foreignOnnx(m1, { metadataNames: names });
    const old = await writeModelVersion(
      modelsDir,
      {
        'model_ai1.onnx': onnx1,
        'model_ai2.onnx': foreignOnnx(m2, { metadataNames: names }),
        'model_ai1.json': '{"trees": "native"}',
        'calibration_ai1.json': JSON.stringify(isotonicTableToJson(table)),
        'feature_schema.json': schemaText,
        'params.yaml': paramsText,
        'metrics.json': '{"oos": {"auc": 0.61}}',
      },
      { keys, createdAt: new Date('2025-06-01T00:00:00Z') },
    );
    await expect(loadModelBundle(old.dir, keys)).rejects.toMatchObject({ id: 'CORE_MODEL_CALIB' });
    const read = async (name: string) => ({ source: name, bytes: await readFile(join(old.dir, name)) });
    const rebound = await importModelVersion({
      from: old.dir,
      ai1: await read('model_ai1.onnx'),
      calibration: { ai1: await read('calibration_ai1.json') },
      defaultParams: () => ({}),
      modelsDir,
      keys,
    });
    const bundle = await loadModelBundle(rebound.dir, keys);
    expect(bundle.ai1.calibration?.x).toEqual(table.x);
    // Same ONNX bytes: its native trees stay; the old metrics stay, with a record of the import.
    expect(await readFile(join(rebound.dir, 'model_ai1.json'), 'utf8')).toBe('{"trees": "native"}');
    const metrics = JSON.parse(await readFile(join(rebound.dir, 'metrics.json'), 'utf8')) as Record<string, unknown>;
    expect(metrics.oos).toEqual({ auc: 0.61 });
    expect(metrics.imported).toMatchObject({ from: old.version, ai1: { sha256: sha256Hex(onnx1) } });
  });

  it('--from keeps the models not replaced with their bound tables, and drops the replaced model table', async () => {
    const table = { x: Float64Array.of(0.3, 0.6), y: Float64Array.of(0.2, 0.7) };
    const first = await importModelVersion(
      base({
        calibration: {
          ai1: file('c1.json', JSON.stringify(isotonicTableToJson(table))),
          ai2: file('c2.json', JSON.stringify(isotonicTableToJson(table))),
        },
        createdAt: new Date('2026-01-03T00:00:00Z'),
      }),
    );
    const next = await importModelVersion({
      from: first.dir,
      ai2: file('new_ai2.onnx', foreignOnnx(model(13, 8, 3), { metadataNames: names })),
      defaultParams: () => ({}),
      modelsDir,
      keys,
    });
    expect(next.models.ai1).toMatchObject({ kind: 'kept', calibrated: true });
    expect(next.models.ai2).toMatchObject({ kind: 'classifier', calibrated: false });
    const bundle = await loadModelBundle(next.dir, keys);
    expect(bundle.ai1.onnx.featureNames).toEqual(names);
    expect(bundle.ai1.calibration).toBeDefined();
    expect(bundle.ai2.calibration).toBeUndefined();
    expect(await readFile(join(next.dir, 'params.yaml'), 'utf8')).toBe(paramsText);
  });
});
