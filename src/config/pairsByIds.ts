// Pair ids named by the user (--pair, --pairs) into universe.yaml pair specs, with a clear error for an unknown id.
import type { PairSpec, PtConfig } from './schemas/index.js';
import { PtError } from '../core/ptError.js';

/** `['XAUUSD_XAGUSD', 'AUDUSD_USDCAD']` → their specs, in the order given. */
export function pairsByIds(config: PtConfig, ids: readonly string[]): PairSpec[] {
  const universe = config.universe.pairs;
  return ids.map((id) => {
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
