// pt live benchmark (issue 17): 10 synthetic pairs × 1 year of 1h bars replayed at max speed through
// the live loop (LivePair: incremental features → per-row ONNX scores of two random 40-tree models →
// the kernel) with a real signal.json per bar time (validated, temp file, fsync, rename, fsync of
// the folder). Reports pair-bars/s over the whole replay and the latency from a bar time's arrival
// to its signal.json renamed, p50 and p99, per bar time and per pair (SPEC §8: < 200 ms per pair;
// target p99 < 5 ms per pair).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeTimelines } from '../src/backtest/mergeTimelines.js';
import { decisionParamsFrom } from '../src/decision/decisionParams.js';
import { kernelParamsFrom } from '../src/decision/pairKernel.js';
import { PairSessionGate } from '../src/decision/sessionGate.js';
import { featureParamsFrom } from '../src/features/featureParams.js';
import { LivePair } from '../src/live/livePair.js';
import { runReplayLoop } from '../src/live/replayLoop.js';
import { nextSeq, signalEntryFrom, writeSignalFile, type SignalEntry } from '../src/live/signal/index.js';
import type { ReplayData } from '../src/live/sources/replaySource.js';
import type { AlignedPair } from '../src/model/bar.js';
import { randomModelScorer } from '../test/helpers/testScorer.js';
import { btBenchInput } from './btBench.js';
import type { BenchResult } from './benchResult.js';

const H = 3_600_000;
const quantile = (v: number[], q: number) => v.sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(q * v.length))]!;

export async function runLiveBench(root: string): Promise<BenchResult[]> {
  const input = await btBenchInput(root);
  const { config } = input;
  const yearEnd = Date.UTC(2023, 0, 1);
  const pairs = input.pairs.slice(0, 10);
  const aligned: AlignedPair[] = pairs.map((p) => {
    const n = p.ts.findIndex((t) => t >= yearEnd);
    const cut = <T extends Float64Array | Uint8Array>(x: T) => x.subarray(0, n) as T;
    const leg = (l: typeof p.a) => ({
      symbol: '',
      open: cut(l.open!),
      high: cut(l.high!),
      low: cut(l.low!),
      close: cut(l.close),
      volume: new Float64Array(n),
      quality: new Uint8Array(n),
    });
    return {
      pairId: p.pair.pair_id,
      timeframe: '1h',
      length: n,
      ts: cut(p.ts),
      a: leg(p.a),
      b: leg(p.b),
      droppedA: 0,
      droppedB: 0,
    };
  });
  const data: ReplayData = {
    specs: pairs.map((p) => p.pair),
    pairs: aligned,
    filled: aligned.map((a) => new Uint8Array(a.length)),
    timeline: mergeTimelines(aligned.map((a) => a.ts)),
    conversionRate: () => 1,
  };
  const scorer = (await randomModelScorer(3, pairs[0]!.features.columns, pairs[0]!.features.valid)).scorer;
  const kp = kernelParamsFrom(config, { ...decisionParamsFrom(config), theta1: 0.5, theta2: 0.5 });
  const fp = featureParamsFrom(config);
  const live = data.specs.map((s) => new LivePair(s, fp, kp, new PairSessionGate(config, s), scorer, H));
  const dir = mkdtempSync(join(tmpdir(), 'pt-live-bench-'));
  const path = join(dir, 'shard_0', 'signal.json');
  const ctx = { shard: 0, barMs: H, positionScale: 1, ttlBars: 1 };
  const latest: SignalEntry[] = [];
  const latencies: number[] = [];
  const ops = data.specs.map(() => ({ allowEntries: true, flatten: false, leverageScale: 1 }));
  let arrived = 0;
  let seq: number | undefined;
  let pairBars = 0;
  const t0 = performance.now();
  try {
    await runReplayLoop(
      data,
      live,
      { emitFromMs: Number.NEGATIVE_INFINITY, toMs: Number.POSITIVE_INFINITY, speed: 'max', barMs: H },
      {
        opsAt: async () => {
          arrived = performance.now();
          return ops;
        },
        emit: async (_t, stepped, actions) => {
          stepped.forEach((j, n) => (latest[j] = signalEntryFrom(actions[n]!, data.specs[j]!, ctx)));
          pairBars += stepped.length;
          if (latest.filter(Boolean).length < data.specs.length) return;
          seq = nextSeq(seq, Date.now());
          await writeSignalFile(path, {
            schema_version: 'v1',
            shard: 0,
            seq,
            generated_at: new Date().toISOString(),
            model_version: scorer.modelVersion,
            stale: false,
            ops: { global_halt: false, leverage_scale: 1 },
            signals: latest,
          });
          latencies.push(performance.now() - arrived);
        },
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - t0) / 1000;
  const p50 = quantile([...latencies], 0.5);
  const p99 = quantile([...latencies], 0.99);
  const perPair = (ms: number) => Number((ms / data.specs.length).toFixed(3));
  return [
    {
      name: 'live replay 10 pairs x 1y 1h (max speed)',
      value: Math.round(pairBars / seconds),
      unit: 'pair-bars/s',
      pair_bars: pairBars,
      seconds: Number(seconds.toFixed(1)),
    },
    {
      name: 'bar arrival -> signal.json renamed, p50 (10 pairs)',
      value: Number(p50.toFixed(2)),
      unit: 'ms',
      per_pair_ms: perPair(p50),
    },
    {
      name: 'bar arrival -> signal.json renamed, p99 (10 pairs)',
      value: Number(p99.toFixed(2)),
      unit: 'ms',
      target: '< 5 per pair',
      pass: perPair(p99) < 5,
      per_pair_ms: perPair(p99),
    },
  ];
}
