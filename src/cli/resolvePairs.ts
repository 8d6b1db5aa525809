// --pair ID or --all into universe.yaml pair specs, with a clear error for an unknown id.
import type { PairSpec, PtConfig } from '../config/schemas/index.js';
import { PtError } from '../core/ptError.js';

export function resolvePairs(config: PtConfig, pair: unknown, all: unknown): PairSpec[] {
  const universe = config.universe.pairs;
  if (all) return [...universe];
  if (pair === undefined) throw new PtError('CORE_CLI_USAGE', '--pair ID or --all is required (e.g. --pair XAUUSD_XAGUSD)', { exitCode: 2 });
  const ids = String(pair).split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  return ids.map((id) => {
    const spec = universe.find((p) => p.pair_id === id);
    if (!spec) throw new PtError('CORE_CLI_USAGE', `unknown pair "${id}" (universe.yaml has ${universe.map((p) => p.pair_id).join(', ')})`, { exitCode: 2 });
    return spec;
  });
}
