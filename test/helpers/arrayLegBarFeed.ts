// A LegBarFeed over bars held in memory, delivered as a REST gap fill delivers them: inside start(),
// symbol by symbol, each ascending. Later bars can be pushed while the loop runs (push()).
import type { LegBar, LegBarFeed } from '../../src/ports/legBarFeed.js';

export class ArrayLegBarFeed implements LegBarFeed {
  private onBar: ((bar: LegBar) => void) | undefined;
  startedWith: { symbols: readonly string[]; fromMs: number } | undefined;
  closed = false;

  constructor(private readonly history: readonly LegBar[]) {}

  async start(symbols: readonly string[], fromMs: number, onBar: (bar: LegBar) => void): Promise<void> {
    this.startedWith = { symbols, fromMs };
    this.onBar = onBar;
    for (const s of symbols)
      for (const b of this.history.filter((x) => x.symbol === s && x.tsMs >= fromMs).sort((x, y) => x.tsMs - y.tsMs))
        onBar(b);
  }

  push(bar: LegBar): void {
    if (!this.closed) this.onBar?.(bar);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Both legs of an aligned pair's bars from `fromIndex` on, as leg bars. */
export function legBarsOf(
  pair: {
    ts: Float64Array;
    a: { open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array };
    b: { open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array };
  },
  symbolA: string,
  symbolB: string,
  fromIndex = 0,
): LegBar[] {
  const out: LegBar[] = [];
  for (let i = fromIndex; i < pair.ts.length; i++)
    for (const [symbol, leg] of [
      [symbolA, pair.a],
      [symbolB, pair.b],
    ] as const)
      out.push({
        symbol,
        tsMs: pair.ts[i]!,
        open: leg.open[i]!,
        high: leg.high[i]!,
        low: leg.low[i]!,
        close: leg.close[i]!,
        revised: false,
      });
  return out;
}
