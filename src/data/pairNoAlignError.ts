// Two legs that both have bars but share none: an error that shows each leg's grid, never an empty
// pair that flows on as 0 rows. The usual cause is a broker-clock H4 file (bars at 21/01/05… or
// 22/02/06… UTC) paired with a leg on pt's UTC grid (00/04/08…).
import { PtError } from '../core/ptError.js';
import { isoUtc, timeframeMs } from '../core/time.js';
import type { BarColumns } from '../model/bar.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** The phases (ts mod timeframe) of a leg's bars, most frequent first, with their counts. */
export function gridPhases(c: BarColumns): Array<{ phaseMs: number; bars: number }> {
  const step = timeframeMs(c.timeframe);
  const counts = new Map<number, number>();
  for (let i = 0; i < c.length; i++) {
    const p = ((c.ts[i]! % step) + step) % step;
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  return [...counts]
    .map(([phaseMs, bars]) => ({ phaseMs, bars }))
    .sort((x, y) => y.bars - x.bars || x.phaseMs - y.phaseMs);
}

/** `01/05/09… UTC (hours mod 4 = 1)`, `hh:05 UTC (5 min past the hour)`, `hh:05/20/35/50 UTC (minutes mod 15 = 5)`. */
export function describePhase(phaseMs: number, stepMs: number): string {
  if (stepMs > HOUR_MS && phaseMs % HOUR_MS === 0) {
    const stepH = stepMs / HOUR_MS;
    const first = phaseMs / HOUR_MS;
    const hours = [0, 1, 2].map((k) => pad(first + k * stepH));
    return `${hours.join('/')}… UTC (hours mod ${stepH} = ${first})`;
  }
  const h = Math.floor(phaseMs / HOUR_MS);
  const m = Math.floor((phaseMs % HOUR_MS) / MINUTE_MS);
  if (stepMs === HOUR_MS) return `hh:${pad(m)} UTC (${m} min past the hour)`;
  if (stepMs < HOUR_MS) {
    const stepM = stepMs / MINUTE_MS;
    const mins = [0, 1, 2, 3].map((k) => pad(m + k * stepM)).filter((x) => Number(x) < 60);
    return `hh:${mins.join('/')} UTC (minutes mod ${stepM} = ${m})`;
  }
  return `${pad(h)}:${pad(m)} + k×${stepMs / HOUR_MS}h UTC`;
}

/** One leg's grid in words: every phase its bars sit on, the most frequent first, with counts when mixed. */
export function describeLegGrid(c: BarColumns): string {
  const step = timeframeMs(c.timeframe);
  const phases = gridPhases(c);
  const shown = phases
    .slice(0, 3)
    .map((p) => `${describePhase(p.phaseMs, step)}${phases.length > 1 ? `, ${p.bars} bars` : ''}`);
  const more = phases.length > 3 ? ` and ${phases.length - 3} more phases` : '';
  return `${c.symbol} ${c.timeframe} bars sit at ${shown.join(' and ')}${more}`;
}

/**
 * Throws DATA_PAIR_NOALIGN when both legs have bars but their inner join on ts (`alignedBars`) is
 * empty. The message names each leg's grid and time range, then why: different grids, or ranges
 * that do not overlap.
 */
export function assertPairAligns(a: BarColumns, b: BarColumns, alignedBars: number, pairId: string): void {
  if (alignedBars > 0 || a.length === 0 || b.length === 0) return;
  const pa = gridPhases(a);
  const pb = gridPhases(b);
  const sameGrid = pa.some((x) => pb.some((y) => y.phaseMs === x.phaseMs));
  const step = timeframeMs(a.timeframe);
  const leg = (c: BarColumns) =>
    `${describeLegGrid(c)}, ${isoUtc(c.ts[0]!).slice(0, 16)}Z → ${isoUtc(c.ts[c.length - 1]!).slice(0, 16)}Z`;
  let why: string;
  if (!sameGrid) {
    const offGrid = [a, b].filter((_, k) => ![pa, pb][k]!.some((p) => p.phaseMs === 0)).map((c) => c.symbol);
    why =
      offGrid.length > 0 && step > timeframeMs('15m')
        ? `the legs sit on different grids; rebuild ${offGrid.join(' and ')} on the UTC grid from a shorter stored timeframe with pt resample --source-timeframe ${step > HOUR_MS ? '1h' : '15m'} --timeframe ${a.timeframe} --symbols ${offGrid.join(',')} (or re-ingest with the file's clock in --tz)`
        : `the legs sit on different grids; re-ingest the off-grid leg with the file's clock in --tz`;
  } else {
    why = `the legs do not overlap in time; ingest the missing range of one leg, or narrow --from/--to to where both have bars`;
  }
  throw new PtError('DATA_PAIR_NOALIGN', `${pairId} ${a.timeframe}: no common bars: ${leg(a)}; ${leg(b)}: ${why}`, {
    details: { pair_id: pairId, timeframe: a.timeframe, bars_a: a.length, bars_b: b.length },
  });
}
