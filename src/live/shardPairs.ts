// The pairs of one pt live shard: universe.yaml's pairs whose `shard` is N, in file order.
import type { PairSpec, PtConfig } from '../config/schemas/index.js';
import { PtError } from '../core/ptError.js';

export function shardPairs(config: PtConfig, shard: number): PairSpec[] {
  const pairs = config.universe.pairs.filter((p) => p.shard === shard);
  if (pairs.length === 0) {
    const shards = [...new Set(config.universe.pairs.map((p) => p.shard))].sort((a, b) => a - b).join(', ');
    throw new PtError('CORE_CLI_USAGE', `no pair of universe.yaml is in shard ${shard} (shards: ${shards})`, {
      exitCode: 2,
    });
  }
  return pairs;
}
