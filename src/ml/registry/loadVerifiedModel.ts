// Loads a model version's bytes only after they verify; the bytes returned are the bytes checked.
import { basename } from 'node:path';
import { PtError } from '../../core/ptError.js';
import { SIGNATURE_FILE } from './manifest.js';
import { type ModelKeyOptions, resolveVerifyKey } from './modelKeys.js';
import { readModelFolder, verifyFolder, type VerifyProblem } from './verifyModelVersion.js';

export interface VerifiedModel {
  version: string;
  dir: string;
  /** Every signed file by name (SIGNATURE excluded), e.g. `model_ai1.onnx`, `feature_schema.json`. */
  files: ReadonlyMap<string, Uint8Array>;
  /** Fingerprint of the key that verified it. */
  fingerprint: string;
}

export function formatProblems(problems: readonly VerifyProblem[]): string {
  return problems.map((p) => `${p.file}: ${p.problem}`).join(', ');
}

/** Reads `dir` once, verifies it, and returns the files; throws CORE_MODEL_SIGNATURE when it does not verify. */
export async function loadVerifiedModel(dir: string, options: { keys?: ModelKeyOptions } = {}): Promise<VerifiedModel> {
  const folder = await readModelFolder(dir);
  const key = await resolveVerifyKey(options.keys);
  const result = verifyFolder(folder, key);
  if (!result.ok) {
    throw new PtError(
      'CORE_MODEL_SIGNATURE',
      `model version ${folder.dir} does not verify (${formatProblems(result.problems)}); refusing to load it`,
      {
        source: 'model-registry',
        details: { dir: folder.dir, problems: result.problems },
      },
    );
  }
  const files = new Map(folder.files);
  files.delete(SIGNATURE_FILE);
  return { version: basename(folder.dir), dir: folder.dir, files, fingerprint: result.fingerprint };
}
