// A model version is checked when it is loaded, not only when it was written: a malformed scaler or
// calibration table, a version trained on another timeframe, or a model that learned nothing is
// refused with an error id.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelBundle } from '../../src/ml/modelBundle.js';
import { exportTreeEnsembleOnnx } from '../../src/ml/onnx/exportTreeEnsembleOnnx.js';
import { writeModelVersion } from '../../src/ml/registry/index.js';
import { MODEL_FEATURES } from '../../src/train/modelFeatures.js';
import { identityScaler } from './identityScaler.js';
import { randomEnsemble } from './onnx/randomEnsemble.js';

const dir = mkdtempSync(join(tmpdir(), 'pt-model-load-'));
const keys = { localKeyDir: join(dir, '.pt', 'keys'), env: {}, notice: () => {} };
const names = [...MODEL_FEATURES];
const scaler = () => identityScaler(names);
const onnx = (seed: number) =>
  exportTreeEnsembleOnnx({ ...randomEnsemble(seed, 5, names.length, 3), featureNames: names });

async function version(
  schemaExtra: Record<string, unknown>,
  extra: Record<string, string | Uint8Array> = {},
  ai1 = scaler(),
): Promise<string> {
  const { dir: vdir } = await writeModelVersion(
    join(dir, 'models'),
    {
      'model_ai1.onnx': onnx(1),
      'model_ai2.onnx': onnx(2),
      'feature_schema.json': JSON.stringify({ names, normalisation: { ai1, ai2: scaler() }, ...schemaExtra }),
      'params.yaml': 'theta1: 0.7\ntheta2: 0.3\nz_entry: 2\nz_exit: 0.5\nM: 48\ntheta_stop: 0.45\n',
      'metrics.json': '{}',
      ...extra,
    },
    { keys },
  );
  return vdir;
}

describe('loadModelBundle checks what it loads', () => {
  it('loads a well-formed version, and refuses one trained on another timeframe', async () => {
    const v = await version({ timeframe: '1h' });
    expect((await loadModelBundle(v, keys, '1h')).featureNames).toEqual(names);
    await expect(loadModelBundle(v, keys, '4h')).rejects.toMatchObject({
      id: 'CORE_MODEL_TIMEFRAME',
      message: expect.stringMatching(/trained on 1h bars; it cannot score 4h bars/),
    });
  });

  it('refuses a scaler of the wrong shape or with a zero MAD', async () => {
    const short = { ...scaler(), median: [0, 1, 2] };
    await expect(loadModelBundle(await version({}, {}, short), keys)).rejects.toMatchObject({
      id: 'CORE_MODEL_ARTEFACT',
      message: expect.stringMatching(/normalisation\.ai1 median must hold \d+ finite numbers/),
    });
    const zeroMad = { ...scaler(), mad: names.map((_, i) => (i === 3 ? 0 : 1)) };
    await expect(loadModelBundle(await version({}, {}, zeroMad), keys)).rejects.toMatchObject({
      id: 'CORE_MODEL_ARTEFACT',
      message: expect.stringMatching(/mad must be positive/),
    });
  });

  it('refuses a calibration table that is not one', async () => {
    const v = await version(
      {},
      { 'calibration_ai1.json': JSON.stringify({ kind: 'isotonic_step', version: 1, x: [0, 1], y: [0.9, 0.1] }) },
    );
    await expect(loadModelBundle(v, keys)).rejects.toMatchObject({
      id: 'CORE_MODEL_ARTEFACT',
      message: expect.stringMatching(/calibration_ai1\.json is not a valid calibration table/),
    });
  });

  it('refuses a model without a split, found in the ONNX graph when metrics.json has no flags (older or imported versions)', async () => {
    // What fitModel returns for a single-class train: the base rate, no trees (exported as one lone leaf).
    const constant = exportTreeEnsembleOnnx({ objective: 'binary', featureNames: names, baseScore: -2.5, trees: [] });
    await expect(loadModelBundle(await version({}, { 'model_ai1.onnx': constant }), keys)).rejects.toMatchObject({
      id: 'CORE_MODEL_DEGEN',
      message: expect.stringMatching(
        /^\d{8}_\d{4}_[0-9a-f]{7}: AI1 learned nothing \(no_split: no tree has a split\); refusing to filter trades with it: run with --rule-only/,
      ),
    });
  });

  it('refuses a model pt train flagged in the signed metrics.json, although its graph has splits', async () => {
    const flagged = {
      allow_degenerate: true,
      final: {
        ai1: { degenerate: { degenerate: false, reasons: [] } },
        ai2: { degenerate: { degenerate: true, reasons: ['calibrated_levels'] } },
      },
    };
    const v = await version({}, { 'metrics.json': JSON.stringify(flagged) });
    await expect(loadModelBundle(v, keys)).rejects.toMatchObject({
      id: 'CORE_MODEL_DEGEN',
      message: expect.stringMatching(
        /: AI2 learned nothing \(calibrated_levels: its calibrated scores take fewer than 3 values\); .*--rule-only/,
      ),
    });
    // The same flags saying both learned something load.
    const fine = { final: { ai1: flagged.final.ai1, ai2: flagged.final.ai1 } };
    expect(
      (await loadModelBundle(await version({}, { 'metrics.json': JSON.stringify(fine) }), keys)).ai2,
    ).toBeDefined();
  });
});
