// The shipped config/ and its pairs, shared by the decision tests.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/loadConfig.js';
import type { PairSpec } from '../../src/config/schemas/index.js';

export const config = loadConfig(join(dirname(fileURLToPath(import.meta.url)), '../../config'));

export function pairOf(id: string): PairSpec {
  const pair = config.universe.pairs.find((p) => p.pair_id === id);
  if (!pair) throw new Error(`no pair ${id} in config/universe.yaml`);
  return pair;
}
