// The per-pair working set of a backtest run: columns, decision state, book, pending fills, DD state.
import type { PtConfig } from '../config/schemas/index.js';
import { newDecision, newPairDecisionState, type Decision, type DecisionBar, type OpsState, type PairDecisionState } from '../decision/decide.js';
import { PairDdPolicy, type DdPolicyParams } from '../decision/ddPolicy.js';
import { symbolCosts } from '../decision/symbolCosts.js';
import { F } from '../features/featureNames.js';
import type { BacktestPairInput } from './backtestTypes.js';
import { PairBook } from './pairBook.js';
import { PendingFills } from './pendingFills.js';
import { speedMeans } from './speedMeans.js';
import { tradableColumn } from './tradableColumn.js';

export interface PairRun {
  input: BacktestPairInput;
  n: number;
  cursor: number;
  ts: Float64Array;
  closeA: Float64Array;
  closeB: Float64Array;
  z: Float64Array;
  deltaZ: Float64Array;
  beta: Float64Array;
  valid: Uint8Array;
  speed: Float64Array;
  tradable: Uint8Array;
  returnProb: Float64Array | undefined;
  riskScore: Float64Array | undefined;
  /** Leg quoted in USD: no conversion needed. */
  usdQuotedA: boolean;
  usdQuotedB: boolean;
  book: PairBook;
  pending: PendingFills;
  state: PairDecisionState;
  decision: Decision;
  /** Reused for every bar of the pair. */
  bar: DecisionBar;
  ops: OpsState;
  dd: PairDdPolicy;
  actions: Int8Array;
}

function checkColumn(pairId: string, name: string, column: ArrayLike<number> | undefined, n: number): void {
  if (column && column.length !== n) throw new RangeError(`runBacktest ${pairId}: ${name} has ${column.length} rows, ts has ${n}`);
}

/** Checks lengths and order once, precomputes the speed and tradable columns, and allocates the state. */
export function preparePairRun(p: BacktestPairInput, config: PtConfig, costTable: PtConfig['cost_table'], barMs: number, latency: number, speedLookback: number, dd: DdPolicyParams): PairRun {
  const id = p.pair.pair_id;
  const n = p.ts.length;
  for (const [name, col] of [['a.close', p.a.close], ['b.close', p.b.close], ['valid', p.features.valid], ['returnProb', p.returnProb], ['riskScore', p.riskScore], ['tradable', p.tradable]] as const) checkColumn(id, name, col, n);
  p.features.columns.forEach((c, k) => checkColumn(id, `features column ${k}`, c, n));
  for (let i = 1; i < n; i++) if (!(p.ts[i]! > p.ts[i - 1]!)) throw new RangeError(`runBacktest ${id}: bar times must increase (row ${i})`);
  const deltaZ = p.features.columns[F.delta_z]!;
  return {
    input: p, n, cursor: 0, ts: p.ts, closeA: p.a.close, closeB: p.b.close,
    z: p.features.columns[F.z]!, deltaZ, beta: p.features.columns[F.beta]!, valid: p.features.valid,
    speed: speedMeans(deltaZ, speedLookback),
    tradable: p.tradable ?? tradableColumn(config, p.pair, p.ts, barMs),
    returnProb: p.returnProb, riskScore: p.riskScore,
    usdQuotedA: p.pair.leg_A.quote_ccy === 'USD', usdQuotedB: p.pair.leg_B.quote_ccy === 'USD',
    book: new PairBook(p.pair, symbolCosts(costTable, p.pair.leg_A.canonical_symbol), symbolCosts(costTable, p.pair.leg_B.canonical_symbol), costTable.time_of_day_multipliers),
    pending: new PendingFills(latency + 2),
    state: newPairDecisionState(),
    decision: newDecision(),
    bar: { tsMs: 0, z: Number.NaN, deltaZ: Number.NaN, speedMean: Number.NaN, valid: false, returnProb: Number.NaN, riskScore: Number.NaN, tradable: false },
    ops: { allowEntries: true, flatten: false, leverageScale: 1 },
    dd: new PairDdPolicy(dd),
    actions: new Int8Array(n),
  };
}
