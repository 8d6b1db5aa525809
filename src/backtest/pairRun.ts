// The per-pair working set of a backtest run: its columns, its kernel, book, pending fills and DD state.
// Columns and per-bar outputs are allocated once; `resetPairRun` starts a new run on them (a θ search).
import type { PtConfig } from '../config/schemas/index.js';
import type { OpsState } from '../decision/decide.js';
import { PairDrawdown, type DdPolicyParams, type PairMark } from '../decision/ddPolicy.js';
import {
  eventColumns,
  kernelEventParams,
  newKernelBar,
  PairKernel,
  type KernelBar,
  type KernelParams,
} from '../decision/pairKernel.js';
import { PairSessionGate, type SessionGate } from '../decision/sessionGate.js';
import { F, FEATURE_COUNT } from '../features/featureNames.js';
import { symbolCosts, type SymbolCosts } from './costs/symbolCosts.js';
import type { BacktestPairInput, DecisionRecord, OpsLog } from './backtestTypes.js';
import { PairBook } from './pairBook.js';
import { PendingFills } from './pendingFills.js';

export interface PairRun {
  input: BacktestPairInput;
  n: number;
  cursor: number;
  ts: Float64Array;
  closeA: Float64Array;
  closeB: Float64Array;
  /** The signal z column (z, or z_ema with signal_z: ema). */
  z: Float64Array;
  deltaZ: Float64Array;
  beta: Float64Array;
  returnProb: Float64Array | undefined;
  riskScore: Float64Array | undefined;
  /** The event machine's answer at each bar (eventColumns): θ1/θ2 do not change it, so a θ search computes it once. */
  eventStart: Int8Array;
  eventOutcome: Uint8Array;
  /** The event parameters eventStart was computed with. */
  eventKey: string;
  /** Leg quoted in USD: no conversion needed. */
  usdQuotedA: boolean;
  usdQuotedB: boolean;
  costsA: SymbolCosts;
  costsB: SymbolCosts;
  costTable: PtConfig['cost_table'];
  config: PtConfig;
  barMs: number;
  latency: number;
  kernel: PairKernel;
  /** Reused for every bar of the pair: the kernel's inputs. */
  bar: KernelBar;
  book: PairBook;
  pending: PendingFills;
  ops: OpsState;
  dd: PairDrawdown;
  /** Reused for every bar: the DD policy's input. */
  ddMark: PairMark;
  /** Bars the pair spent at each effective DD level (normal, warn, halt, flatten). */
  ddBars: [number, number, number, number];
  actions: Int8Array;
  /** The pair's P&L (USD, realised + marked) at each of its bar closes: its own equity curve less the capital. */
  valueUsd: Float64Array;
  decisions: DecisionRecord;
  /** Recorded decisions to replay instead of the kernel's. */
  replay?: DecisionRecord;
  opsLog?: OpsLog;
}

function checkColumn(pairId: string, name: string, column: ArrayLike<number> | undefined, n: number): void {
  if (column && column.length !== n)
    throw new RangeError(`runBacktest ${pairId}: ${name} has ${column.length} rows, ts has ${n}`);
}

/** A gate that answers from a precomputed column (tests, tools that bring their own calendar); asked in time order. */
class ColumnSessionGate implements SessionGate {
  private cursor = 0;
  constructor(
    private readonly ts: Float64Array,
    private readonly tradable: Uint8Array,
    private readonly barMs: number,
  ) {}
  isTradable(instantMs: number): boolean {
    const at = instantMs - this.barMs;
    if (this.cursor < this.ts.length && this.ts[this.cursor]! > at) this.cursor = 0;
    while (this.cursor < this.ts.length && this.ts[this.cursor]! < at) this.cursor++;
    return this.cursor < this.ts.length && this.ts[this.cursor] === at && this.tradable[this.cursor] === 1;
  }
}

/** Checks lengths and order once and builds the pair's kernel, book and state. */
export function preparePairRun(
  p: BacktestPairInput,
  config: PtConfig,
  costTable: PtConfig['cost_table'],
  barMs: number,
  latency: number,
  kernelParams: KernelParams,
  dd: DdPolicyParams,
  record = false,
  replay?: DecisionRecord,
): PairRun {
  if (replay && replay.action.length !== p.ts.length)
    throw new RangeError(
      `runBacktest ${p.pair.pair_id}: the recorded decisions have ${replay.action.length} bars, the pair ${p.ts.length}`,
    );
  const id = p.pair.pair_id;
  const n = p.ts.length;
  for (const [name, col] of [
    ['a.close', p.a.close],
    ['b.close', p.b.close],
    ['valid', p.features.valid],
    ['returnProb', p.returnProb],
    ['riskScore', p.riskScore],
    ['tradable', p.tradable],
    ['filled', p.filled],
  ] as const)
    checkColumn(id, name, col, n);
  if (p.features.columns.length !== FEATURE_COUNT)
    throw new RangeError(`runBacktest ${id}: ${p.features.columns.length} feature columns, expected ${FEATURE_COUNT}`);
  p.features.columns.forEach((c, k) => checkColumn(id, `features column ${k}`, c, n));
  for (let i = 1; i < n; i++)
    if (!(p.ts[i]! > p.ts[i - 1]!)) throw new RangeError(`runBacktest ${id}: bar times must increase (row ${i})`);
  const costsA = symbolCosts(costTable, p.pair.leg_A.canonical_symbol);
  const costsB = symbolCosts(costTable, p.pair.leg_B.canonical_symbol);
  const run: PairRun = {
    input: p,
    n,
    cursor: 0,
    ts: p.ts,
    closeA: p.a.close,
    closeB: p.b.close,
    z: p.features.columns[kernelParams.signalZ === 'ema' ? F.z_ema : F.z]!,
    deltaZ: p.features.columns[F.delta_z]!,
    beta: p.features.columns[F.beta]!,
    returnProb: p.returnProb,
    riskScore: p.riskScore,
    eventStart: new Int8Array(n),
    eventOutcome: new Uint8Array(n),
    eventKey: '',
    usdQuotedA: p.pair.leg_A.quote_ccy === 'USD',
    usdQuotedB: p.pair.leg_B.quote_ccy === 'USD',
    costsA,
    costsB,
    costTable,
    config,
    barMs,
    latency,
    kernel: newKernel(p, config, barMs, kernelParams),
    bar: newKernelBar(),
    book: new PairBook(p.pair, costsA, costsB, costTable.time_of_day_multipliers),
    pending: new PendingFills(latency + 2),
    ops: { allowEntries: true, flatten: false, leverageScale: 1 },
    dd: new PairDrawdown(dd),
    ddMark: { tsMs: 0, pnlUsd: 0 },
    ddBars: [0, 0, 0, 0],
    actions: new Int8Array(n),
    valueUsd: new Float64Array(n),
    decisions: replay ?? {
      action: new Int8Array(n),
      side: new Int8Array(n),
      lotsA: new Float64Array(n),
      lotsB: new Float64Array(n),
      reason: new Uint8Array(n),
    },
    ...(replay ? { replay } : {}),
    ...(record
      ? { opsLog: { allowEntries: new Uint8Array(n), flatten: new Uint8Array(n), leverageScale: new Float64Array(n) } }
      : {}),
  };
  updateEvents(run, kernelParams);
  return run;
}

/** Runs the event machine over the pair's columns unless it already ran with these parameters. */
function updateEvents(r: PairRun, kernelParams: KernelParams): void {
  const params = kernelEventParams(kernelParams);
  const key = `${params.zEntry} ${params.zExit} ${params.maxHoldingBars} ${params.speedLookbackBars} ${params.thetaSpeed}`;
  if (key === r.eventKey) return;
  eventColumns(params, r.input.features.valid, r.z, r.deltaZ, r.eventStart, r.eventOutcome);
  r.eventKey = key;
}

function newKernel(p: BacktestPairInput, config: PtConfig, barMs: number, kernelParams: KernelParams): PairKernel {
  const gate = p.tradable ? new ColumnSessionGate(p.ts, p.tradable, barMs) : new PairSessionGate(config, p.pair);
  return new PairKernel(p.pair, kernelParams, gate);
}

/**
 * The pair as if newly prepared, for another run on the same bars with other kernel parameters
 * (θ): a new kernel, book, pending fills and DD state (small objects, once per run), and the
 * per-bar outputs cleared in place, so a run after a reset equals a run after preparePairRun.
 */
export function resetPairRun(r: PairRun, kernelParams: KernelParams, dd: DdPolicyParams): void {
  r.cursor = 0;
  updateEvents(r, kernelParams);
  r.kernel = newKernel(r.input, r.config, r.barMs, kernelParams);
  r.bar = newKernelBar();
  r.book = new PairBook(r.input.pair, r.costsA, r.costsB, r.costTable.time_of_day_multipliers);
  r.pending = new PendingFills(r.latency + 2);
  r.ops = { allowEntries: true, flatten: false, leverageScale: 1 };
  r.dd = new PairDrawdown(dd);
  r.ddBars = [0, 0, 0, 0];
  r.actions.fill(0);
  r.valueUsd.fill(0);
  if (!r.replay) {
    const d = r.decisions;
    d.action.fill(0);
    d.side.fill(0);
    d.lotsA.fill(0);
    d.lotsB.fill(0);
    d.reason.fill(0);
  }
  if (r.opsLog) {
    r.opsLog.allowEntries.fill(0);
    r.opsLog.flatten.fill(0);
    r.opsLog.leverageScale.fill(0);
  }
}
