// Runs a job's work for each pair. With several pairs (--all) a pair without enough data, or whose
// legs share no bar, is skipped (reported through onSkip) and the others go on; the job fails only
// if none succeeded.
import type { PairSpec } from '../../config/schemas/index.js';
import { isPtError, type PtError } from '../../core/ptError.js';

/** A pair without enough data, or whose legs share no bar (DATA_PAIR_NOALIGN, which names their grids). */
const SKIPPABLE = new Set(['CORE_FEATURES_WARMUP', 'DATA_PAIR_NOALIGN']);

export async function forEachPair(
  pairs: readonly PairSpec[],
  work: (spec: PairSpec) => Promise<void>,
  onSkip?: (spec: PairSpec, error: PtError) => void,
): Promise<void> {
  let done = 0;
  let firstSkip: unknown;
  for (const spec of pairs) {
    try {
      await work(spec);
      done++;
    } catch (error) {
      if (pairs.length === 1 || !isPtError(error) || !SKIPPABLE.has(error.id)) throw error;
      firstSkip ??= error;
      onSkip?.(spec, error);
    }
  }
  if (done === 0 && firstSkip !== undefined) throw firstSkip;
}
