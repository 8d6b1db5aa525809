// The pure upsert rules: latest_wins within the input, then keep-or-revise against the stored rows.
import { QUALITY_FLAGS, type QualityFlag } from '../../model/bar.js';
import type { BarBatch } from '../../model/barBatch.js';
import { monthBounds, monthOf } from './partitionLayout.js';

const OK = QUALITY_FLAGS.indexOf('ok');

/** One stored row of a partition; symbol and timeframe are implied by the partition. */
export interface StoredRow {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number | null;
  quality: QualityFlag;
  sourceId: string;
  ingestRunId: string;
  /** JSON text exactly as stored, so kept rows are rewritten byte for byte. */
  metadata: string;
}

export interface MonthBatch {
  month: string;
  /** Winners of the input for this month, ascending ts, as row indexes of the batch. */
  rows: Int32Array;
  /** Input rows of this month that lost to a later duplicate. */
  inputDuplicates: number;
}

/**
 * A month after the merge. `rows` lists its rows in ascending ts: `k >= 0` is row k of the input
 * batch, `k < 0` is stored row `-1 - k`. `revised[j]` is 1 when input row `rows[j]` is written with
 * the flag `revised` (an `ok` bar that replaces a different stored one).
 */
export interface MergeOutcome {
  rows: Int32Array;
  revised: Uint8Array | undefined;
  inserted: number;
  updated: number;
  deduped: number;
}

/** Groups row indexes already in ascending ts without duplicates by UTC month, months ascending. */
function groupByMonth(ts: Float64Array, order: Int32Array, dupesByMonth?: ReadonlyMap<string, number>): MonthBatch[] {
  const out: MonthBatch[] = [];
  let start = 0;
  while (start < order.length) {
    const month = monthOf(ts[order[start]!]!);
    const end = monthBounds(month)[1];
    let stop = start + 1;
    while (stop < order.length && ts[order[stop]!]! < end) stop++;
    out.push({ month, rows: order.subarray(start, stop), inputDuplicates: dupesByMonth?.get(month) ?? 0 });
    start = stop;
  }
  return out;
}

/**
 * Resolves duplicate keys within the input (higher metadata.ingest_seq wins; on a tie the later
 * row wins) and groups the winners by UTC month, months ascending.
 */
export function batchByMonth(batch: BarBatch): MonthBatch[] {
  const n = batch.length;
  const ts = batch.ts;
  // Sources return ascending bars without duplicates: nothing to resolve or sort then.
  let ascending = true;
  for (let i = 1; i < n; i++) {
    if (!(ts[i]! > ts[i - 1]!)) {
      ascending = false;
      break;
    }
  }
  if (ascending) {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return groupByMonth(ts, order);
  }
  const seq = batch.ingestSeq;
  const winners = new Map<number, number>();
  const dupesByMonth = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const t = ts[i]!;
    const cur = winners.get(t);
    if (cur === undefined) {
      winners.set(t, i);
      continue;
    }
    const month = monthOf(t);
    dupesByMonth.set(month, (dupesByMonth.get(month) ?? 0) + 1);
    if (seq[i]! >= seq[cur]!) winners.set(t, i);
  }
  const order = Int32Array.from(winners.values()).sort((x, y) => ts[x]! - ts[y]!);
  return groupByMonth(ts, order, dupesByMonth);
}

/**
 * Same bar as stored? Prices, volume and flag must match; an incoming `ok` also matches a stored
 * `revised` with the same values, which is what replaying an ingest after a revision delivers.
 */
export function sameContent(stored: StoredRow, batch: BarBatch, i: number): boolean {
  const v = batch.volume[i]!;
  const flag = QUALITY_FLAGS[batch.quality[i]!];
  return (
    stored.open === batch.open[i] &&
    stored.high === batch.high[i] &&
    stored.low === batch.low[i] &&
    stored.close === batch.close[i] &&
    (stored.volume === null ? Number.isNaN(v) : stored.volume === v) &&
    (stored.quality === flag || (stored.quality === 'revised' && flag === 'ok'))
  );
}

/** Merges sorted input rows (indexes into `batch`) into the sorted stored rows of one partition. */
export function mergeMonth(stored: readonly StoredRow[], batch: BarBatch, input: Int32Array): MergeOutcome {
  if (stored.length === 0) return { rows: input, revised: undefined, inserted: input.length, updated: 0, deduped: 0 };
  const ts = batch.ts;
  const rows = new Int32Array(stored.length + input.length);
  let revised: Uint8Array | undefined;
  let count = 0;
  let inserted = 0;
  let updated = 0;
  let deduped = 0;
  let i = 0;
  let j = 0;
  while (i < stored.length || j < input.length) {
    const s = stored[i];
    const k = j < input.length ? input[j]! : -1;
    if (k < 0 || (s !== undefined && s.ts < ts[k]!)) {
      rows[count++] = -1 - i;
      i++;
    } else if (s === undefined || ts[k]! < s.ts) {
      rows[count++] = k;
      inserted++;
      j++;
    } else {
      if (sameContent(s, batch, k)) {
        rows[count++] = -1 - i;
        deduped++;
      } else {
        // A flag that says something is wrong (conflict, stale, …) outranks "revised".
        if (batch.quality[k] === OK) {
          revised ??= new Uint8Array(rows.length);
          revised[count] = 1;
        }
        rows[count++] = k;
        updated++;
      }
      i++;
      j++;
    }
  }
  return { rows: rows.subarray(0, count), revised, inserted, updated, deduped };
}

/** ts of row `k` of a merged month (see MergeOutcome). */
export function mergedTs(k: number, batch: BarBatch, stored: readonly StoredRow[]): number {
  return k >= 0 ? batch.ts[k]! : stored[-1 - k]!.ts;
}
