// Pair ids on the command line (--pair, --pairs, --all) into universe.yaml pair specs, with a clear
// error for an unknown id.
import type { PairSpec, PtConfig } from '../config/schemas/index.js';
import { PtError } from '../core/ptError.js';

/** `XAUUSD_XAGUSD,AUDUSD_USDCAD` → their specs, in the order given. */
export function pairsByIds(config: PtConfig, ids: string): PairSpec[] {
  const universe = config.universe.pairs;
  return ids
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean)
    .map((id) => {
      const spec = universe.find((p) => p.pair_id === id);
      if (!spec)
        throw new PtError(
          'CORE_CLI_USAGE',
          `unknown pair "${id}" (universe.yaml has ${universe.map((p) => p.pair_id).join(', ')})`,
          { exitCode: 2 },
        );
      return spec;
    });
}

/** --pair ID[,ID…] or --all (required: one of them). */
export function resolvePairs(config: PtConfig, pair: unknown, all: unknown): PairSpec[] {
  if (all) return [...config.universe.pairs];
  if (pair === undefined)
    throw new PtError('CORE_CLI_USAGE', '--pair ID or --all is required (e.g. --pair XAUUSD_XAGUSD)', { exitCode: 2 });
  return pairsByIds(config, String(pair));
}
