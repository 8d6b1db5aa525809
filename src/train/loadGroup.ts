// Features and labels of every pair of a universe group that has data, for cv and train.
import type { PtConfig, PairSpec } from '../config/schemas/index.js';
import { PtError } from '../core/ptError.js';
import { barsPerDay, MONTH_MS, type Timeframe } from '../core/time.js';
import type { BarStore } from '../ports/barStore.js';
import { loadCleanPair } from '../data/loadCleanPair.js';
import { computePairFeatures } from '../features/computePairFeatures.js';
import { featureParamsFrom } from '../features/featureParams.js';
import { buildAi1Events, buildAi2Risk, labelInputsFromFeatures, labelParamsFrom } from '../labels/index.js';
import type { PairLabels } from './buildDatasets.js';

export interface GroupData {
  group: string;
  timeframe: Timeframe;
  pairs: PairLabels[];
  /** Pairs of the group left out, and why (no bars, too short). */
  skipped: Array<{ pairId: string; reason: string }>;
}

export function pairsOfGroup(config: PtConfig, group: string): PairSpec[] {
  const pairs = config.universe.pairs.filter((p) => p.group === group);
  if (pairs.length === 0) {
    const groups = [...new Set(config.universe.pairs.map((p) => p.group))].join(', ');
    throw new PtError('CORE_CLI_USAGE', `unknown group "${group}" (universe.yaml has ${groups})`, { exitCode: 2 });
  }
  return pairs;
}

/** `pairs` replaces the group's own pairs (pt train --pairs); `group` then only names the run. */
export async function loadGroup(
  config: PtConfig,
  store: BarStore,
  dataDir: string,
  group: string,
  timeframe: Timeframe,
  range: { fromMs?: number; toMs?: number } = {},
  pairs?: PairSpec[],
): Promise<GroupData> {
  const featureParams = featureParamsFrom(config);
  const labelParams = labelParamsFrom(config, barsPerDay(timeframe));
  const out: GroupData = { group, timeframe, pairs: [], skipped: [] };
  for (const spec of pairs ?? pairsOfGroup(config, group)) {
    const { pair } = await loadCleanPair(config, store, dataDir, spec, timeframe, range.fromMs, range.toMs);
    if (pair.length === 0) {
      out.skipped.push({ pairId: spec.pair_id, reason: `no aligned ${timeframe} bars in the store` });
      continue;
    }
    let features;
    try {
      features = computePairFeatures(pair, featureParams);
    } catch (e) {
      if (e instanceof PtError && e.id === 'CORE_FEATURES_WARMUP') {
        out.skipped.push({ pairId: spec.pair_id, reason: e.message });
        continue;
      }
      throw e;
    }
    const inputs = labelInputsFromFeatures(features, config.features_policy.signal_z);
    out.pairs.push({
      pairId: spec.pair_id,
      features,
      ai1: buildAi1Events(inputs, labelParams),
      ai2: buildAi2Risk(inputs, labelParams),
      riskHorizonBars: labelParams.riskHorizonBars,
    });
  }
  if (out.pairs.length === 0) {
    throw new PtError(
      'CORE_FEATURES_WARMUP',
      `group ${group} ${timeframe}: no pair has enough data (${out.skipped.map((s) => `${s.pairId}: ${s.reason}`).join('; ')})`,
      { source: 'train' },
    );
  }
  checkTrainingHistory(out, config.retrain_policy.min_training_months);
  return out;
}

/**
 * retrain_policy.min_training_months: cv and train refuse a group whose valid feature rows span fewer
 * months (first to last valid row over the group's pairs), giving the count, rather than fitting on a
 * handful of events.
 */
export function checkTrainingHistory(group: GroupData, minMonths: number): void {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let events = 0;
  for (const p of group.pairs) {
    const f = p.features;
    if (f.firstValid < 0) continue;
    first = Math.min(first, f.ts[f.firstValid]!);
    last = Math.max(last, f.ts[f.length - 1]!);
    events += p.ai1.t0.length;
  }
  const months = last > first ? (last - first) / MONTH_MS : 0;
  if (months < minMonths) {
    throw new PtError(
      'CORE_TRAIN_HISTORY',
      `group ${group.group} ${group.timeframe}: ${months.toFixed(1)} months of valid feature rows (${events} AI1 events); min_training_months is ${minMonths} (retrain_policy.yaml): ingest more history or lower it`,
      { source: 'train', exitCode: 2, details: { months, events, minMonths } },
    );
  }
}
