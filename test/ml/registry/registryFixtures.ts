// Fake model artefacts, temp folders and key pairs for the model registry tests.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealFeatureSchema } from '../../../src/ml/registry/index.js';

/** Deterministic bytes standing in for an ONNX graph (the registry never parses them). */
function fakeBytes(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export function fakeArtefacts(seed = 1): Record<string, Uint8Array | string> {
  return {
    'model_ai1.onnx': fakeBytes(seed, 257),
    'model_ai2.onnx': fakeBytes(seed + 1000, 131),
    'feature_schema.json': `${JSON.stringify(sealFeatureSchema({ names: ['z', 'delta_z', 'beta'], normalisation: { median: [0, 0, 1], mad: [1, 1, 0.5] } }), null, 2)}\n`,
    'params.yaml': `theta1: 0.7\ntheta2: 0.3\nz_entry: 2\nz_exit: 0.5\nM: 48\ntheta_stop: ${0.6 + seed / 1000}\n`,
    'metrics.json': '{"auc_ai1": 0.61, "brier_ai2": 0.2}\n',
    'calibration_ai1.json': '{"x": [0, 1], "y": [0, 1]}\n',
  };
}

export async function tempDir(prefix = 'pt-registry-'): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export interface TestKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  privatePem: string;
  publicPem: string;
  privateDerB64: string;
  publicDerB64: string;
}

export function makeKeyPair(): TestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey,
    publicKey,
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    privateDerB64: (privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).toString('base64'),
    publicDerB64: (publicKey.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64'),
  };
}

/** Flips the low bit of byte `at` of a file (call twice to restore it). */
export async function flipByte(path: string, at: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[at] = bytes[at]! ^ 0x01;
  await writeFile(path, bytes);
}
