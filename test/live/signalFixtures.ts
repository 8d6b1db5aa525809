// Signal files built the way pt live builds them: real kernels over the shipped universe's pairs, entries from their actions.
import { decisionParamsFrom } from '../../src/decision/decisionParams.js';
import {
  kernelParamsFrom,
  newKernelBar,
  PairKernel,
  setKernelFeatures,
  type PairAction,
} from '../../src/decision/pairKernel.js';
import { F, FEATURE_COUNT } from '../../src/features/featureNames.js';
import { signalEntryFrom } from '../../src/live/signal/signalEntryFrom.js';
import type { SignalFile } from '../../src/live/signal/signalTypes.js';
import { config, pairOf } from '../decision/config.js';

export const HOUR_MS = 3_600_000;
/** 2024-03-04 00:00 UTC, a Monday. */
export const T0 = Date.UTC(2024, 2, 4);
const ops = { allowEntries: true, flatten: false, leverageScale: 1 };
const params = kernelParamsFrom(config, decisionParamsFrom(config, true));

/** One kernel per pair fed a z path: flat, an entry (z 2.5), a hold, an exit (z 0.3), flat again. */
export class KernelDriver {
  readonly kernel: PairKernel;
  private readonly bar = newKernelBar();
  private readonly row = new Float64Array(FEATURE_COUNT).fill(0.5);

  constructor(pairId: string) {
    this.kernel = new PairKernel(pairOf(pairId), params, { isTradable: () => true });
  }

  /** Bar `i` (open at T0 + i h) with signal z, β and scores; returns the kernel's action. */
  step(i: number, z: number, beta = 0.8, returnProb = Number.NaN, riskScore = Number.NaN): PairAction {
    const b = this.bar;
    b.tsMs = T0 + i * HOUR_MS;
    b.closeMs = b.tsMs + HOUR_MS;
    b.closeA = 2000;
    b.closeB = 25;
    this.row[F.z] = z;
    this.row[F.delta_z] = 0.01;
    this.row[F.beta] = beta;
    this.kernel.observe(setKernelFeatures(b, this.row, Number.isFinite(z) && Number.isFinite(beta), 'raw'));
    b.returnProb = returnProb;
    b.riskScore = riskScore;
    return this.kernel.decide(b, ops);
  }
}

/** The z of bar `i` in a 6-bar cycle: none, open (short spread), hold, close, none, none. */
export function cycleZ(i: number): number {
  return [0, 2.5, 2.6, 0.3, 0, 0][i % 6]!;
}

/** The shard-0 pairs of the shipped universe. */
export const SHARD0 = config.universe.pairs.filter((p) => p.shard === 0).map((p) => p.pair_id);

/** A signal.json of shard 0 at bar `i`, every pair stepped once through `drivers`. */
export function shardFile(drivers: KernelDriver[], i: number, seq: number): SignalFile {
  return {
    schema_version: 'v1',
    shard: 0,
    seq,
    generated_at: new Date(T0 + i * HOUR_MS + HOUR_MS + 50).toISOString(),
    model_version: '20240301_1200_abcdef0',
    stale: false,
    ops: { global_halt: false, leverage_scale: 1 },
    signals: drivers.map((d) =>
      signalEntryFrom(d.step(i, cycleZ(i)), d.kernel.pair, {
        shard: 0,
        barMs: HOUR_MS,
        positionScale: 1,
        ttlBars: config.signals_policy.signal_ttl_bars,
      }),
    ),
  };
}
