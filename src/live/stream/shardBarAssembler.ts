// Single-symbol closed bars from a live source → the shard's bar times, each with the pairs that have
// a bar there. A bar time is released once every leg symbol has delivered it (or a later bar), or
// once its close plus a grace period has passed; a leg still missing then is filled forward from its
// last close, as DQ fills a short missing run in the store (at most `maxFillRun` bars in a row), and
// the pair's bar is marked filled, so it is never traded (SPEC §1.4, §7).
import type { PairSpec } from '../../config/schemas/index.js';
import type { LegBar } from '../../ports/legBarFeed.js';
import type { LiveBar } from '../livePair.js';
import type { StreamConversion } from './streamConversion.js';

export interface ShardBarAssemblerOptions {
  barMs: number;
  /** Wait after a bar's close for the other legs before releasing it without them. */
  graceMs: number;
  /** pipeline_policy missing_fill_max_run. */
  maxFillRun: number;
}

/** What push() did with a bar. */
export type PushOutcome = 'pending' | 'late' | 'revised_late';

interface SymbolTrack {
  lastClose: number;
  /** Newest bar time delivered by the feed (released or pending). */
  newestTs: number;
  /** Bar times in a row this symbol was filled forward. */
  fillRun: number;
}

export class ShardBarAssembler {
  /** Leg symbols the release waits for. */
  readonly legSymbols: readonly string[];
  /** The pairs stepping at the bar time next() returned, in shard order. */
  readonly stepped: number[] = [];
  /** Bar of pair j at that time (valid for j in `stepped`), overwritten at every release. */
  readonly bars: LiveBar[];
  private readonly pending = new Map<number, Map<string, LegBar>>();
  private readonly track = new Map<string, SymbolTrack>();
  private released = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly specs: readonly PairSpec[],
    private readonly o: ShardBarAssemblerOptions,
    private readonly conversion: StreamConversion,
    newBar: () => LiveBar,
  ) {
    this.legSymbols = [...new Set(specs.flatMap((s) => [s.leg_A.canonical_symbol, s.leg_B.canonical_symbol]))];
    for (const s of this.legSymbols)
      this.track.set(s, { lastClose: Number.NaN, newestTs: Number.NEGATIVE_INFINITY, fillRun: 0 });
    this.bars = specs.map(newBar);
  }

  /** The last bar time released (or warmed from the store): later deliveries at or before it are late. */
  get releasedTs(): number {
    return this.released;
  }

  /** After the warm-up: the bar time reached and each leg's last close there. */
  markReleased(tsMs: number, lastCloses: ReadonlyMap<string, number>): void {
    this.released = tsMs;
    for (const [s, c] of lastCloses) {
      const t = this.track.get(s);
      if (t) {
        t.lastClose = c;
        t.newestTs = Math.max(t.newestTs, tsMs);
      }
    }
  }

  push(b: LegBar): PushOutcome {
    this.conversion.observe(b);
    const t = this.track.get(b.symbol);
    if (!t) return 'pending'; // a conversion-only symbol: observed above
    if (b.tsMs <= this.released) return b.revised ? 'revised_late' : 'late';
    let at = this.pending.get(b.tsMs);
    if (!at) this.pending.set(b.tsMs, (at = new Map()));
    at.set(b.symbol, b);
    if (b.tsMs > t.newestTs) t.newestTs = b.tsMs;
    return 'pending';
  }

  /** The oldest pending bar time, or undefined. */
  private oldest(): number | undefined {
    let min: number | undefined;
    for (const ts of this.pending.keys()) if (min === undefined || ts < min) min = ts;
    return min;
  }

  /** When the oldest pending bar time is released by the clock alone (ms), or undefined when none waits. */
  nextDeadline(): number | undefined {
    const t = this.oldest();
    return t === undefined ? undefined : t + this.o.barMs + this.o.graceMs;
  }

  /**
   * Releases the oldest pending bar time when it is complete (every leg symbol delivered it or a
   * later bar) or its grace has passed at `nowMs`: fills `stepped` and `bars`, returns the time.
   */
  next(nowMs: number): number | undefined {
    const t = this.oldest();
    if (t === undefined) return undefined;
    const at = this.pending.get(t)!;
    const complete = this.legSymbols.every((s) => at.has(s) || this.track.get(s)!.newestTs > t);
    if (!complete && nowMs < t + this.o.barMs + this.o.graceMs) return undefined;
    this.pending.delete(t);
    this.released = t;
    this.stepped.length = 0;
    for (let j = 0; j < this.specs.length; j++) {
      const spec = this.specs[j]!;
      const a = at.get(spec.leg_A.canonical_symbol);
      const b = at.get(spec.leg_B.canonical_symbol);
      if (!a && !b) continue;
      const ta = this.track.get(spec.leg_A.canonical_symbol)!;
      const tb = this.track.get(spec.leg_B.canonical_symbol)!;
      if ((!a && !this.canFill(ta)) || (!b && !this.canFill(tb))) continue;
      const bar = this.bars[j]!;
      bar.tsMs = t;
      bar.openA = a ? a.open : ta.lastClose;
      bar.highA = a ? a.high : ta.lastClose;
      bar.lowA = a ? a.low : ta.lastClose;
      bar.closeA = a ? a.close : ta.lastClose;
      bar.openB = b ? b.open : tb.lastClose;
      bar.highB = b ? b.high : tb.lastClose;
      bar.lowB = b ? b.low : tb.lastClose;
      bar.closeB = b ? b.close : tb.lastClose;
      bar.filled = !a || !b;
      bar.usdPerQuoteA = this.conversion.usdPerQuote(spec.leg_A, t);
      bar.usdPerQuoteB = this.conversion.usdPerQuote(spec.leg_B, t);
      this.stepped.push(j);
    }
    // Each leg's last close and fill run move once per bar time, after every pair read them.
    for (const s of this.legSymbols) {
      const tr = this.track.get(s)!;
      const own = at.get(s);
      if (own) {
        tr.lastClose = own.close;
        tr.fillRun = 0;
      } else if (this.stepped.some((j) => this.usesSymbol(j, s))) tr.fillRun++;
    }
    return t;
  }

  private canFill(t: SymbolTrack): boolean {
    return Number.isFinite(t.lastClose) && t.fillRun < this.o.maxFillRun;
  }

  private usesSymbol(j: number, s: string): boolean {
    const spec = this.specs[j]!;
    return spec.leg_A.canonical_symbol === s || spec.leg_B.canonical_symbol === s;
  }
}
