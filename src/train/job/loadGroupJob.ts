// The group pt cv and pt train learn from: features and labels of each pair, read from the bar store.
import type { PairSpec, PtConfig } from '../../config/schemas/index.js';
import type { Timeframe } from '../../core/time.js';
import type { OpenBarStore } from '../../ports/barStore.js';
import { loadGroup, type GroupData } from '../loadGroup.js';

export interface GroupJobOptions {
  /** A group of universe.yaml, or the name of a run over `pairs`. */
  group: string;
  /** Pairs instead of the group's own. */
  pairs?: PairSpec[];
  timeframe: Timeframe;
  fromMs?: number;
  toMs?: number;
  /** Absolute path of the bar store's folder. */
  dataDir: string;
}

export async function loadGroupJob(
  config: PtConfig,
  o: GroupJobOptions,
  deps: { openBarStore: OpenBarStore },
): Promise<GroupData> {
  const store = await deps.openBarStore(o.dataDir);
  try {
    return await loadGroup(config, store, o.dataDir, o.group, o.timeframe, { fromMs: o.fromMs, toMs: o.toMs }, o.pairs);
  } finally {
    await store.close();
  }
}

/** The line naming the group's pairs, their AI1 event counts and the seed. */
export function formatGroupLine(group: GroupData, seed: number): string {
  return `group ${group.group} ${group.timeframe}: ${group.pairs.map((p) => `${p.pairId} (${p.ai1.t0.length} events)`).join(', ')}; seed ${seed}`;
}
