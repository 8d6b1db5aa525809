// The shard's bar loop over a live source: single-symbol bars from the LegBarFeed are joined into bar
// times (ShardBarAssembler), and each released bar time steps its pairs through their LivePair with
// the ops of that moment, exactly as the replay loop does. Bar times at or before `emitFromMs` only
// warm the state (a restart re-running bars it already announced); later ones are emitted.
import type { PairAction } from '../../decision/pairKernel.js';
import type { LegBar, LegBarFeed } from '../../ports/legBarFeed.js';
import type { LivePair } from '../livePair.js';
import type { ReplaySink } from '../replayLoop.js';
import type { ShardBarAssembler } from './shardBarAssembler.js';

export interface StreamLoopOptions {
  /** Bar times opening before this warm the state only. */
  emitFromMs: number;
  /** Bars opening at or after this are asked from the source. */
  fromMs: number;
  /** Leg and conversion symbols. */
  symbols: readonly string[];
  now: () => number;
  /** Checked between bar times and at least every `pollMs` (SIGTERM: finish the bar, then stop). */
  stopRequested?: () => boolean;
  pollMs?: number;
}

export interface StreamSink extends ReplaySink {
  /** Between bar times, at least every pollMs: the job marks the shard stale when the next bar is overdue. */
  idle(nowMs: number): Promise<void>;
  /** A bar revised after its bar time was decided on (the decision stands; the revision is recorded). */
  revisedLate(bar: LegBar): void;
}

export interface StreamLoopResult {
  barTimes: number;
  emittedBarTimes: number;
  stopped: boolean;
}

export async function runStreamLoop(
  feed: LegBarFeed,
  assembler: ShardBarAssembler,
  pairs: readonly LivePair[],
  o: StreamLoopOptions,
  sink: StreamSink,
): Promise<StreamLoopResult> {
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const stop = () => o.stopRequested?.() === true;
  const pollMs = o.pollMs ?? 1000;
  const actions: PairAction[] = [];
  let barTimes = 0;
  let emitted = 0;
  // The source's history (its REST gap fill, the folder's first scan) arrives inside start(): no
  // bar time is released before it resolved, so a leg delivered later is not taken for missing.
  await feed.start(o.symbols, o.fromMs, (b) => {
    if (assembler.push(b) === 'revised_late') sink.revisedLate(b);
    notify();
  });
  try {
    while (!stop()) {
      let t: number | undefined;
      while (!stop() && (t = assembler.next(o.now())) !== undefined) {
        const emitting = t >= o.emitFromMs;
        const ops = await sink.opsAt(t, emitting);
        actions.length = 0;
        for (const j of assembler.stepped) actions.push(await pairs[j]!.step(assembler.bars[j]!, ops[j]!));
        barTimes++;
        if (emitting) {
          await sink.emit(t, assembler.stepped, actions);
          emitted++;
        }
      }
      if (stop()) break;
      await sink.idle(o.now());
      const deadline = assembler.nextDeadline();
      const waitMs = Math.max(0, Math.min(pollMs, deadline === undefined ? pollMs : deadline - o.now()));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          wake = undefined;
          resolve();
        }, waitMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    await feed.close();
  }
  return { barTimes, emittedBarTimes: emitted, stopped: stop() };
}
