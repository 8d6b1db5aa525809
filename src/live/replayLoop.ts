// The shard's bar loop over a replay: each merged bar time, every pair with a bar there steps
// through its LivePair (features → score → kernel) with the ops of that moment; bars before
// `emitFromMs` only warm the state (features, event machine, positions), later ones are emitted.
import type { OpsState } from '../decision/decide.js';
import type { PairAction } from '../decision/pairKernel.js';
import { newLiveBar, type LivePair } from './livePair.js';
import { fillReplayBar, type ReplayData } from './sources/replaySource.js';

export type ReplaySpeed = 'max' | 'realtime' | number;

export interface ReplayLoopOptions {
  /** Bars opening at or after this are emitted; earlier ones warm the state. */
  emitFromMs: number;
  /** Bars opening at or after this are not replayed. */
  toMs: number;
  speed: ReplaySpeed;
  barMs: number;
  /** Checked between bar times (SIGTERM: finish the current bar, then stop). */
  stopRequested?: () => boolean;
}

export interface ReplaySink {
  /** The ops each pair decides with at the bar time (ops flags, DD, staleness). Called once per bar time. */
  opsAt(tsMs: number, emitting: boolean): Promise<readonly OpsState[]>;
  /** The pairs that had a bar at `tsMs`, in shard order, with their actions (objects reused by the kernel: copy what you keep). */
  emit(tsMs: number, pairs: readonly number[], actions: readonly PairAction[]): Promise<void>;
}

export interface ReplayLoopResult {
  barTimes: number;
  emittedBarTimes: number;
  stopped: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runReplayLoop(
  data: ReplayData,
  pairs: readonly LivePair[],
  o: ReplayLoopOptions,
  sink: ReplaySink,
): Promise<ReplayLoopResult> {
  const { times, start, who } = data.timeline;
  const cursor = new Int32Array(pairs.length);
  const bars = pairs.map(() => newLiveBar());
  const stepped: number[] = [];
  const actions: PairAction[] = [];
  const delayMs = o.speed === 'max' ? 0 : o.speed === 'realtime' ? o.barMs : o.barMs / o.speed;
  let emitted = 0;
  let k = 0;
  for (; k < times.length; k++) {
    const t = times[k]!;
    if (t >= o.toMs) break;
    if (o.stopRequested?.()) return { barTimes: k, emittedBarTimes: emitted, stopped: true };
    const emitting = t >= o.emitFromMs;
    const ops = await sink.opsAt(t, emitting);
    stepped.length = 0;
    actions.length = 0;
    for (let w = start[k]!; w < start[k + 1]!; w++) {
      const j = who[w]!;
      const i = cursor[j]!++;
      const a = await pairs[j]!.step(fillReplayBar(data, j, i, bars[j]!), ops[j]!);
      stepped.push(j);
      actions.push(a);
    }
    if (emitting) {
      await sink.emit(t, stepped, actions);
      emitted++;
      if (delayMs > 0) await sleep(delayMs);
    }
  }
  return { barTimes: k, emittedBarTimes: emitted, stopped: false };
}
