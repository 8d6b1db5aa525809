// The price-scale guard of an ingest (docs/data.md "Price-scale guard"): run for each symbol before
// its bars reach the store; a refusal leaves the store untouched.
import type { PtConfig } from '../../config/schemas/index.js';
import { PtError } from '../../core/ptError.js';
import { DAY_MS, isoUtc, timeframeMs, type Timeframe } from '../../core/time.js';
import { QUALITY_FLAGS, type BarColumns } from '../../model/bar.js';
import type { BarStore } from '../../ports/barStore.js';
import type { TableColumn } from '../../ports/tableWriter.js';
import { compareOverlap, median, nearestPowerOfTen, type FreshBars, type OverlapStats } from './priceGuard.js';
import { isImplausibleJump } from '../plausibleMove.js';

export interface PriceGuardOptions {
  /** Accept a re-import that changes more than max_revise_share of the stored bars it overlaps. */
  forceRevise: boolean;
  /** Accept a move by MAX_PLAUSIBLE_FACTOR or more between stored and new prices. */
  allowPriceJump: boolean;
  /**
   * Keeps the stored values a run is about to overwrite (data/audit/revised/…); resolves to where.
   * Called before the upsert, so a revision never loses the old values.
   */
  writeRevisionAudit?: (symbol: string, timeframe: Timeframe, columns: TableColumn[]) => Promise<string>;
}

export interface PriceGuardOutcome {
  /** Stored bars whose values the upsert will change. */
  revised: number;
  /** The audit file of those old values, when there were any. */
  auditPath?: string;
}

const SOURCE = 'ingest';
/** How far back the stored bar before the new ones is looked for (a long weekend plus holidays). */
const NEIGHBOUR_WINDOW_MS = 14 * DAY_MS;

function scaleHint(factor: number): string {
  const p = nearestPowerOfTen(factor);
  const near = Math.abs(Math.log10(factor / p)) < 0.3 && p !== 1;
  return near
    ? `a factor of ${p >= 1 ? p : `1/${Math.round(1 / p)}`}: a wrong --price-scale (MT5 integer-point exports need --price-scale 10^digits, the same for every import of a symbol)`
    : `a factor of ${factor.toPrecision(3)}: not a move a market makes between two bars`;
}

function lastClose(c: BarColumns): { ts: number; close: number } | undefined {
  return c.length === 0 ? undefined : { ts: c.ts[c.length - 1]!, close: c.close[c.length - 1]! };
}

function firstClose(c: BarColumns): { ts: number; close: number } | undefined {
  return c.length === 0 ? undefined : { ts: c.ts[0]!, close: c.close[0]! };
}

function checkRange(config: PtConfig, symbol: string, fresh: FreshBars): void {
  const range = config.universe.price_ranges?.[symbol];
  if (range === undefined || fresh.length === 0) return;
  const [lo, hi] = range;
  const first = fresh.close[0]!;
  const mid = median(fresh.close);
  const outside = (v: number) => !(v >= lo && v <= hi);
  if (!outside(first) && !outside(mid)) return;
  const [what, value] = outside(first) ? ['the first new close', first] : ['the median new close', mid];
  throw new PtError(
    'DATA_PRICE_RANGE',
    `${symbol}: ${what} ${value} (${isoUtc(fresh.ts[0]!)}) is outside the plausible range [${lo}, ${hi}] of universe.yaml price_ranges; nothing was stored. Check --price-scale (MT5 integer-point exports need --price-scale 10^digits) and the symbol, or widen the range if the market really trades there`,
    { source: SOURCE, details: { symbol, value, range } },
  );
}

function refuseJump(symbol: string, factor: number, against: string): never {
  throw new PtError(
    'DATA_PRICE_SCALE',
    `${symbol}: new prices are ${factor.toPrecision(3)}× ${against}, ${scaleHint(factor)}. Nothing was stored; re-run with the scale the stored history was imported with, or add --allow-price-jump if the market really moved so`,
    { source: SOURCE, details: { symbol, factor } },
  );
}

function auditColumns(fresh: FreshBars, stored: BarColumns, stats: OverlapStats): TableColumn[] {
  const f = stats.changed.map(([i]) => i);
  const s = stats.changed.map(([, j]) => j);
  const col = (name: string, src: Float64Array, idx: number[]): TableColumn => ({
    name,
    kind: 'double',
    values: Float64Array.from(idx, (k) => src[k]!),
  });
  return [
    { name: 'ts_utc', kind: 'timestamp', values: Float64Array.from(s, (j) => stored.ts[j]!) },
    col('old_open', stored.open, s),
    col('old_high', stored.high, s),
    col('old_low', stored.low, s),
    col('old_close', stored.close, s),
    col('old_volume', stored.volume, s),
    { name: 'old_quality_flag', kind: 'varchar', values: s.map((j) => QUALITY_FLAGS[stored.quality[j]!]!) },
    col('new_open', fresh.open, f),
    col('new_high', fresh.high, f),
    col('new_low', fresh.low, f),
    col('new_close', fresh.close, f),
    col('new_volume', fresh.volume, f),
  ];
}

/**
 * Refuses (nothing stored) new bars whose prices sit outside the symbol's plausible range, or move
 * by MAX_PLAUSIBLE_FACTOR against the stored bars they overlap or adjoin, or that would change more
 * than max_revise_share of the overlapped stored bars; otherwise writes the audit of the values
 * about to be overwritten.
 */
export async function guardPrices(
  store: BarStore,
  config: PtConfig,
  symbol: string,
  timeframe: Timeframe,
  fresh: FreshBars,
  o: PriceGuardOptions,
): Promise<PriceGuardOutcome> {
  if (fresh.length === 0) return { revised: 0 };
  const wm = await store.readWatermark(symbol, timeframe);
  if (wm === undefined) {
    checkRange(config, symbol, fresh);
    return { revised: 0 };
  }
  const tfMs = timeframeMs(timeframe);
  const first = fresh.ts[0]!;
  const last = fresh.ts[fresh.length - 1]!;
  const stored = first <= wm.last_ts ? await store.readBars(symbol, timeframe, first, last + tfMs) : undefined;
  const stats = stored
    ? compareOverlap(fresh, stored, config.pipeline_policy.conflict_diff_thresh)
    : { overlap: 0, medianRatio: NaN, beyondTolerance: 0, changed: [] };
  if (!o.allowPriceJump) {
    if (stats.overlap > 0 && isImplausibleJump(stats.medianRatio, 1))
      refuseJump(symbol, stats.medianRatio, `the ${stats.overlap} stored bars they overlap (median ratio of closes)`);
    // The stored bar just before the new ones, or else just after them (a backfill).
    const before =
      first > wm.last_ts
        ? lastClose(await store.readBars(symbol, timeframe, wm.last_ts, wm.last_ts + tfMs))
        : lastClose(await store.readBars(symbol, timeframe, first - NEIGHBOUR_WINDOW_MS, first));
    if (before !== undefined && isImplausibleJump(fresh.close[0]!, before.close))
      refuseJump(symbol, fresh.close[0]! / before.close, `the stored close of ${isoUtc(before.ts)} (${before.close})`);
    if (before === undefined) {
      const after = firstClose(await store.readBars(symbol, timeframe, last + tfMs, last + tfMs + NEIGHBOUR_WINDOW_MS));
      const newest = fresh.close[fresh.length - 1]!;
      if (after !== undefined && isImplausibleJump(newest, after.close))
        refuseJump(symbol, newest / after.close, `the stored close of ${isoUtc(after.ts)} (${after.close})`);
    }
  }
  // After the comparison with the stored bars, whose message is the more specific.
  checkRange(config, symbol, fresh);
  const maxShare = config.pipeline_policy.max_revise_share;
  if (!o.forceRevise && stats.overlap > 0 && stats.beyondTolerance > maxShare * stats.overlap) {
    const pct = ((100 * stats.beyondTolerance) / stats.overlap).toFixed(1);
    throw new PtError(
      'DATA_REVISE_LIMIT',
      `${symbol}: this import would change ${stats.beyondTolerance} of the ${stats.overlap} stored bars it overlaps (${pct}%) by more than conflict_diff_thresh ${config.pipeline_policy.conflict_diff_thresh}; max_revise_share (pipeline_policy.yaml) allows ${100 * maxShare}%. Nothing was stored. Check the source and --price-scale; add --force-revise to accept (the old values are kept in data/audit/revised/)`,
      { source: SOURCE, details: { symbol, changed: stats.beyondTolerance, overlap: stats.overlap } },
    );
  }
  if (stats.changed.length === 0 || stored === undefined) return { revised: 0 };
  const auditPath = await o.writeRevisionAudit?.(symbol, timeframe, auditColumns(fresh, stored, stats));
  return { revised: stats.changed.length, auditPath };
}
