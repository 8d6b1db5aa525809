// Runs a command's work for each pair. With several pairs (--all) a pair without enough data is
// skipped with one line on stderr and the others go on; the command fails only if none succeeded.
import type { PairSpec } from '../config/schemas/index.js';
import { isPtError } from '../core/ptError.js';

export async function forEachPair(pairs: PairSpec[], work: (spec: PairSpec) => Promise<void>): Promise<void> {
  let done = 0;
  let firstSkip: unknown;
  for (const spec of pairs) {
    try {
      await work(spec);
      done++;
    } catch (error) {
      if (pairs.length === 1 || !isPtError(error) || error.id !== 'CORE_FEATURES_WARMUP') throw error;
      firstSkip ??= error;
      process.stderr.write(`skipping ${spec.pair_id}: ${error.message}\n`);
    }
  }
  if (done === 0 && firstSkip !== undefined) throw firstSkip;
}
