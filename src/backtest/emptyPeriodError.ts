// BT_DATA_EMPTY for a pair with no aligned bars to backtest, with the hint its cause calls for:
// nothing stored (run pt ingest), legs that never overlap, a period outside the stored history
// (the stored range is named), or every bar of the period quarantined by DQ.
import type { PairSpec } from '../config/schemas/index.js';
import { PtError } from '../core/ptError.js';
import type { Timeframe } from '../core/time.js';
import type { BarStore } from '../ports/barStore.js';

/** `2021-03-04 05:00` (UTC, minutes): the span a user types a --period from. */
function shortUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function span(ts: Float64Array): string {
  return `${shortUtc(ts[0]!)} … ${shortUtc(ts[ts.length - 1]!)} UTC`;
}

/** ` in the period (… up to … UTC)`, or nothing without a period. */
function periodText(fromMs?: number, toMs?: number): string {
  if (fromMs === undefined && toMs === undefined) return '';
  const from = fromMs === undefined ? 'the start' : shortUtc(fromMs);
  return ` in the period (${from} up to ${toMs === undefined ? 'the end' : `${shortUtc(toMs)} UTC`})`;
}

export async function emptyPeriodError(
  store: BarStore,
  dataDir: string,
  spec: PairSpec,
  timeframe: Timeframe,
  fromMs?: number,
  toMs?: number,
): Promise<PtError> {
  const a = spec.leg_A.canonical_symbol;
  const b = spec.leg_B.canonical_symbol;
  const head = `${spec.pair_id} ${timeframe}: no aligned bars${periodText(fromMs, toMs)}`;
  const fail = (hint: string, details: Record<string, unknown> = {}) =>
    new PtError('BT_DATA_EMPTY', `${head}: ${hint}`, {
      source: 'bt',
      exitCode: 1,
      details: { pair_id: spec.pair_id, timeframe, dataDir, ...details },
    });
  const stored = await store.readAlignedPair(a, b, timeframe);
  if (stored.length === 0) {
    const [barsA, barsB] = [await store.readBars(a, timeframe), await store.readBars(b, timeframe)];
    const missing = [barsA.length === 0 ? a : undefined, barsB.length === 0 ? b : undefined].filter(Boolean);
    if (missing.length > 0)
      return fail(
        `no ${timeframe} bars of ${missing.join(' or ')} in ${dataDir}; run pt ingest for ${missing.join(' and ')}`,
      );
    return fail(
      `${a} (${span(barsA.ts)}) and ${b} (${span(barsB.ts)}) share no bar time; ingest both for the same months`,
    );
  }
  const inPeriod = await store.readAlignedPair(a, b, timeframe, fromMs, toMs);
  if (inPeriod.length > 0)
    return fail(
      `all ${inPeriod.length} of them are removed by DQ (outliers or quarantined months; pt dq shows why, --no-dq uses the stored bars)`,
    );
  return fail(`the stored aligned history is ${span(stored.ts)}; choose a --period inside it`, {
    stored_from: stored.ts[0],
    stored_to: stored.ts[stored.length - 1],
  });
}
