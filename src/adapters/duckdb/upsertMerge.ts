// The pure upsert rules: latest_wins within the input, then keep-or-revise against the stored rows.
import type { CanonicalBar, QualityFlag } from '../../model/bar.js';
import { serializeMetadata } from './metadataJson.js';
import { monthBounds, monthOf } from './partitionLayout.js';

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
  /** Winners of the input for this month, ascending ts. */
  rows: StoredRow[];
  /** Input rows of this month that lost to a later duplicate. */
  inputDuplicates: number;
}

export interface MergeOutcome {
  rows: StoredRow[];
  inserted: number;
  updated: number;
  deduped: number;
}

export function toStoredRow(bar: CanonicalBar): StoredRow {
  return {
    ts: bar.ts_utc,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
    quality: bar.quality_flag,
    sourceId: bar.source_id,
    ingestRunId: bar.ingest_run_id,
    metadata: serializeMetadata(bar.metadata),
  };
}

/** Groups bars already in ascending ts without duplicates by UTC month, months ascending. */
function groupByMonth(sorted: readonly CanonicalBar[], dupesByMonth?: ReadonlyMap<string, number>): MonthBatch[] {
  const out: MonthBatch[] = [];
  let end = -Infinity;
  let cur: MonthBatch | undefined;
  for (let i = 0; i < sorted.length; i++) {
    const bar = sorted[i]!;
    if (bar.ts_utc >= end) {
      const month = monthOf(bar.ts_utc);
      end = monthBounds(month)[1];
      cur = { month, rows: [], inputDuplicates: dupesByMonth?.get(month) ?? 0 };
      out.push(cur);
    }
    cur!.rows.push(toStoredRow(bar));
  }
  return out;
}

/**
 * Resolves duplicate keys within the input (higher metadata.ingest_seq wins; on a tie the later
 * element wins) and groups the winners by UTC month, months ascending.
 */
export function batchByMonth(bars: readonly CanonicalBar[]): MonthBatch[] {
  // Sources return ascending bars without duplicates: nothing to resolve or sort then.
  let ascending = true;
  for (let i = 1; i < bars.length; i++) {
    if (!(bars[i]!.ts_utc > bars[i - 1]!.ts_utc)) {
      ascending = false;
      break;
    }
  }
  if (ascending) return groupByMonth(bars);
  const winners = new Map<number, CanonicalBar>();
  const dupesByMonth = new Map<string, number>();
  for (const bar of bars) {
    const cur = winners.get(bar.ts_utc);
    if (cur === undefined) {
      winners.set(bar.ts_utc, bar);
      continue;
    }
    const month = monthOf(bar.ts_utc);
    dupesByMonth.set(month, (dupesByMonth.get(month) ?? 0) + 1);
    if (bar.metadata.ingest_seq >= cur.metadata.ingest_seq) winners.set(bar.ts_utc, bar);
  }
  const sorted = [...winners.keys()].sort((x, y) => x - y).map((ts) => winners.get(ts)!);
  return groupByMonth(sorted, dupesByMonth);
}

/**
 * Same bar as stored? Prices, volume and flag must match; an incoming `ok` also matches a stored
 * `revised` with the same values, which is what replaying an ingest after a revision delivers.
 */
export function sameContent(stored: StoredRow, incoming: StoredRow): boolean {
  return (
    stored.open === incoming.open &&
    stored.high === incoming.high &&
    stored.low === incoming.low &&
    stored.close === incoming.close &&
    stored.volume === incoming.volume &&
    (stored.quality === incoming.quality || (stored.quality === 'revised' && incoming.quality === 'ok'))
  );
}

/** Merges sorted incoming rows into sorted stored rows of one partition. */
export function mergeMonth(stored: readonly StoredRow[], incoming: readonly StoredRow[]): MergeOutcome {
  const rows: StoredRow[] = [];
  let inserted = 0;
  let updated = 0;
  let deduped = 0;
  let i = 0;
  let j = 0;
  while (i < stored.length || j < incoming.length) {
    const s = stored[i];
    const n = incoming[j];
    if (n === undefined || (s !== undefined && s.ts < n.ts)) {
      rows.push(s!);
      i++;
    } else if (s === undefined || n.ts < s.ts) {
      rows.push(n);
      inserted++;
      j++;
    } else {
      if (sameContent(s, n)) {
        rows.push(s);
        deduped++;
      } else {
        // A flag that says something is wrong (conflict, stale, …) outranks "revised".
        rows.push(n.quality === 'ok' ? { ...n, quality: 'revised' } : n);
        updated++;
      }
      i++;
      j++;
    }
  }
  return { rows, inserted, updated, deduped };
}
