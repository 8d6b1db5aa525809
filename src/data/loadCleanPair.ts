// The aligned bars features are computed from: each leg through the DQ rules (outliers dropped,
// short runs filled), quarantined months removed, then the legs inner-joined on ts (SPEC §1.4).
import type { PtConfig, PairSpec } from '../config/schemas/index.js';
import type { Timeframe } from '../core/time.js';
import { emptyColumns, type AlignedPair, type BarColumns } from '../model/bar.js';
import type { BarStore } from '../ports/barStore.js';
import { alignColumns } from './alignColumns.js';
import { calendarForSymbol } from './calendar/calendarForSymbol.js';
import { quarantinedRanges } from './dq/quarantine.js';
import { dqParamsFrom } from './dq/runDq.js';
import { runSymbolDq } from './dq/symbolDq.js';
import { assertPairAligns } from './pairNoAlignError.js';

export interface CleanPairStats {
  barsA: number;
  barsB: number;
  outliersA: number;
  outliersB: number;
  filledA: number;
  filledB: number;
  quarantinedBarsA: number;
  quarantinedBarsB: number;
}

function withoutRanges(c: BarColumns, ranges: Array<[number, number]>): { columns: BarColumns; removed: number } {
  if (ranges.length === 0) return { columns: c, removed: 0 };
  const keep: number[] = [];
  for (let i = 0; i < c.length; i++) {
    const t = c.ts[i]!;
    if (!ranges.some(([a, b]) => t >= a && t < b)) keep.push(i);
  }
  const out = emptyColumns(c.symbol, c.timeframe, keep.length);
  keep.forEach((src, i) => {
    out.ts[i] = c.ts[src]!;
    out.open[i] = c.open[src]!;
    out.high[i] = c.high[src]!;
    out.low[i] = c.low[src]!;
    out.close[i] = c.close[src]!;
    out.volume[i] = c.volume[src]!;
    out.quality[i] = c.quality[src]!;
  });
  return { columns: out, removed: c.length - keep.length };
}

/**
 * `applyDq: false` skips the DQ rules and the quarantine (the stored bars as they are), for
 * comparing with another implementation on identical inputs.
 */
export async function loadCleanPair(
  config: PtConfig,
  store: BarStore,
  dataDir: string,
  pair: PairSpec,
  timeframe: Timeframe,
  fromMs?: number,
  toMs?: number,
  applyDq = true,
): Promise<{ pair: AlignedPair; stats: CleanPairStats }> {
  const params = dqParamsFrom(config);
  const legs = await Promise.all(
    [pair.leg_A, pair.leg_B].map(async (leg) => {
      const symbol = leg.canonical_symbol;
      const raw = await store.readBars(symbol, timeframe, fromMs, toMs);
      if (!applyDq) return { raw, dq: { totals: { outliers: 0, filled: 0 } }, clean: raw, quarantined: 0 };
      const dq = runSymbolDq(raw, calendarForSymbol(config, symbol), params);
      const q = withoutRanges(dq.cleaned, quarantinedRanges(dataDir, timeframe, symbol));
      return { raw, dq, clean: q.columns, quarantined: q.removed };
    }),
  );
  const [a, b] = legs as [(typeof legs)[0], (typeof legs)[0]];
  const aligned = alignColumns(a.clean, b.clean);
  assertPairAligns(a.clean, b.clean, aligned.length, pair.pair_id);
  return {
    pair: { ...aligned, pairId: pair.pair_id },
    stats: {
      barsA: a.raw.length,
      barsB: b.raw.length,
      outliersA: a.dq.totals.outliers,
      outliersB: b.dq.totals.outliers,
      filledA: a.dq.totals.filled,
      filledB: b.dq.totals.filled,
      quarantinedBarsA: a.quarantined,
      quarantinedBarsB: b.quarantined,
    },
  };
}
