// runBacktest: SPEC §7 over many pairs on one merged timeline, one USD portfolio, each pair's
// decisions made by its PairKernel (the code `pt live` runs); the engine keeps the time merge,
// fills, costs, accounting and the portfolio clock.
import { barsPerDay, timeframeMs } from '../core/time.js';
import { decisionParamsFrom } from '../decision/decisionParams.js';
import {
  ddPolicyParamsFrom,
  opsForLevels,
  PortfolioDrawdown,
  type DdLevel,
  type DdPolicyParams,
} from '../decision/ddPolicy.js';
import { kernelParamsFrom, type KernelParams } from '../decision/pairKernel.js';
import { usdPerQuote } from '../decision/usdPerQuote.js';
import type { EventOutcome } from '../labels/ai1EventMachine.js';
import type { SpreadSide } from '../model/spreadSide.js';
import {
  ACTION_CODES,
  EXIT_REASONS,
  type BacktestInput,
  type BacktestResult,
  type BacktestTrade,
  type DecisionRecord,
  type OpsLog,
} from './backtestTypes.js';
import type { DecisionParams, OpsState } from '../decision/decide.js';
import { computeKpis, dailyEquity, type FilterCounts } from './kpis/index.js';
import { FILL_CLOSE, FILL_OPEN } from './pendingFills.js';
import { mergeTimelines } from './mergeTimelines.js';
import { preparePairRun, resetPairRun, type PairRun } from './pairRun.js';
import { countRevertedStops, type RiskStop } from './countRevertedStops.js';

interface RunContext {
  input: BacktestInput;
  everyBar: boolean;
  /** Every pair's realised and marked P&L (USD): a field, so the hot loop passes no boxed doubles around. */
  valueUsd: number;
  barMs: number;
  latency: number;
  ddParams: DdPolicyParams;
  filter: FilterCounts;
  skips: Record<string, number>;
  trades: BacktestTrade[];
  stops: RiskStop[];
}

/**
 * Walks every bar time of every pair in order (a k-way merge of the pairs' timelines). At a merged
 * time t, for each pair with a bar there: swaps due in [previous close, close_t), the fills of earlier
 * decisions due at t, and the mark at close_t. Then the DD policy at that bar close (SPEC §7: the
 * portfolio on the sum of the marks, each pair on its own P&L), which sets the pair's ops. Then each
 * pair's kernel decides at close_t; with latency L its orders fill at bar t+L's close (L = 0: at
 * close_t, right away). The equity at t is the capital plus every pair's realised and marked P&L,
 * keyed by the bar's open time (SPEC §0) and marked at its close. No decision sees a later bar.
 * A position still open at a pair's last bar is closed there ('end_of_data'); an open whose fill
 * would fall after the last bar is dropped and counted in skips.fill_past_end.
 */
export function runBacktest(input: BacktestInput): BacktestResult {
  return new PreparedBacktest(input).run();
}

/**
 * runBacktest split in two for a θ search (src/optimize/): the constructor checks the input once,
 * merges the pairs' timelines and allocates every per-bar array; each `run(params)` resets the pairs
 * (new kernels, books and DD state, outputs cleared in place) and walks the same loop with those
 * decision parameters over `input.params`. `runBacktest(input)` is `new PreparedBacktest(input).run()`,
 * so a run here is the backtest, not a copy of it. The per-pair arrays of a result (actions,
 * decisions, pairValueUsd) are the prepared ones: the next run overwrites them.
 */
export class PreparedBacktest {
  readonly barMs: number;
  readonly latency: number;
  readonly capital: number;
  readonly ddParams: DdPolicyParams;
  private readonly runs: PairRun[];
  /** The merged timeline: step k is at times[k]; the pairs with a bar there are who[start[k] .. start[k+1]), in input order. */
  private readonly times: Float64Array;
  private readonly start: Int32Array;
  private readonly who: Int32Array;
  private readonly equity: Float64Array;
  private used = false;

  /**
   * `everyBar`: the reference walk, every bar through the kernel's own event machine (observe, as
   * `pt live` feeds it) and decide, no idle-bar shortcut; tests hold the default walk to it.
   */
  constructor(
    readonly input: BacktestInput,
    readonly options: { everyBar?: boolean } = {},
  ) {
    const { config } = input;
    if (input.pairs.length === 0) throw new RangeError('runBacktest needs at least one pair');
    this.barMs = timeframeMs(input.timeframe);
    const latency = input.latencyBars ?? config.backtest_policy.latency_bars;
    if (!Number.isInteger(latency) || latency < 0)
      throw new RangeError(`latencyBars must be a non-negative integer, got ${latency}`);
    this.latency = latency;
    this.capital = input.initialCapitalUsd ?? config.backtest_policy.initial_capital_usd;
    this.ddParams = ddPolicyParamsFrom(config.dd_policy, barsPerDay(input.timeframe));
    const costTable = input.costTable ?? config.cost_table;
    const kernelParams = this.kernelParams();
    this.runs = input.pairs.map((p) =>
      preparePairRun(
        p,
        config,
        costTable,
        this.barMs,
        latency,
        kernelParams,
        this.ddParams,
        input.recordOps ?? false,
        input.replayDecisions?.[p.pair.pair_id],
      ),
    );
    const merged = mergeTimelines(this.runs.map((r) => r.ts.subarray(0, r.n)));
    this.times = merged.times;
    this.start = merged.start;
    this.who = merged.who;
    this.equity = new Float64Array(merged.times.length);
  }

  private kernelParams(overrides?: Partial<DecisionParams>): KernelParams {
    const input = this.input;
    const params = decisionParamsFrom(input.config, input.ruleOnly ?? false, { ...input.params, ...overrides });
    return kernelParamsFrom(input.config, params, {
      ...(input.signalZ ? { signalZ: input.signalZ } : {}),
      ...(input.speedLookbackBars ? { speedLookbackBars: input.speedLookbackBars } : {}),
      positionScale: input.positionScale ?? 1,
    });
  }

  /** One backtest over the prepared pairs; `params` overrides `input.params` (θ1/θ2 of a trial). */
  run(params?: Partial<DecisionParams>): BacktestResult {
    const input = this.input;
    const kernelParams = this.kernelParams(params);
    // The first run uses the pairs as prepared; every later one starts them afresh.
    if (this.used || params !== undefined) for (const r of this.runs) resetPairRun(r, kernelParams, this.ddParams);
    this.used = true;
    return this.walk(input, kernelParams.decision);
  }

  private walk(input: BacktestInput, params: DecisionParams): BacktestResult {
    const { runs, times, start, who, equity, capital, ddParams } = this;
    const ctx: RunContext = {
      input,
      everyBar: this.options.everyBar ?? false,
      valueUsd: 0,
      barMs: this.barMs,
      latency: this.latency,
      ddParams,
      filter: { candidates: 0, passTheta1: 0, passTheta2: 0, rejectedByAi: 0 },
      skips: {},
      trades: [],
      stops: [],
    };
    const portfolioDd = new PortfolioDrawdown(ddParams, capital);
    const ddBars: [number, number, number, number] = [0, 0, 0, 0];
    const steps = times.length;
    for (let k = 0; k < steps; k++) {
      const t = times[k]!;
      const from = start[k]!;
      const to = start[k + 1]!;
      for (let w = from; w < to; w++) {
        const r = runs[who[w]!]!;
        markPair(ctx, r, r.cursor);
      }
      // SPEC §7: the DD policy at every bar close, on the equity marked at that close.
      const level: DdLevel = portfolioDd.onBarClose(capital + ctx.valueUsd);
      ddBars[level] += 1;
      for (let w = from; w < to; w++) {
        const r = runs[who[w]!]!;
        const i = r.cursor;
        r.ddMark.tsMs = t;
        r.ddMark.pnlUsd = r.book.valueUsd;
        r.dd.onMark(r.ddMark);
        r.ddBars[Math.max(level, r.dd.level) as DdLevel] += 1;
        const idle = !ctx.everyBar && isIdle(r, i);
        // The ops are read by the kernel only: an idle bar needs them only to record them.
        if (!idle || r.opsLog) opsForLevels(level, r.dd.level, ddParams, r.ops, input.ops);
        if (r.opsLog) recordOps(r.opsLog, i, r.ops);
        if (idle) {
          // The kernel would answer 'none' (actions and decisions keep their 0): only the accounting of the bar.
          ctx.valueUsd -= r.book.valueUsd;
          finishBar(ctx, r, i);
        } else decidePair(ctx, r, i);
        r.cursor++;
      }
      equity[k] = capital + ctx.valueUsd;
    }

    const timesMs = times.slice();
    const equityUsd = equity.slice();
    const stops = { riskStops: ctx.stops.length, wouldHaveReverted: countRevertedStops(ctx.stops, params) };
    const kpis = computeKpis({
      daily: dailyEquity(timesMs, equityUsd),
      trades: ctx.trades.map((tr) => ({ entryMs: tr.ts_entry, exitMs: tr.ts_exit, pnlUsd: tr.pnl })),
      initialCapitalUsd: capital,
      filter: ctx.filter,
      stops,
    });
    const actions: Record<string, Int8Array> = {};
    const pairDdBars: Record<string, [number, number, number, number]> = {};
    const opsLog: Record<string, OpsLog> = {};
    const pairValueUsd: Record<string, Float64Array> = {};
    const pairTimesMs: Record<string, Float64Array> = {};
    const decisions: Record<string, DecisionRecord> = {};
    for (const r of runs) {
      decisions[r.input.pair.pair_id] = r.decisions;
      pairTimesMs[r.input.pair.pair_id] = r.ts;
      actions[r.input.pair.pair_id] = r.actions;
      pairValueUsd[r.input.pair.pair_id] = r.valueUsd;
      pairDdBars[r.input.pair.pair_id] = r.ddBars;
      if (r.opsLog) opsLog[r.input.pair.pair_id] = r.opsLog;
    }
    return {
      timesMs,
      equityUsd,
      initialCapitalUsd: capital,
      trades: ctx.trades,
      skips: ctx.skips,
      filter: ctx.filter,
      stops,
      ddBars,
      pairDdBars,
      params,
      actions,
      pairValueUsd,
      pairTimesMs,
      decisions,
      kpis,
      ...(input.recordOps ? { opsLog } : {}),
    };
  }
}

/** ACTION_CODES[action] without a keyed property load per bar. */
function actionCode(action: string): number {
  switch (action) {
    case 'none':
      return ACTION_CODES.none;
    case 'hold':
      return ACTION_CODES.hold;
    case 'open':
      return ACTION_CODES.open;
    case 'close':
      return ACTION_CODES.close;
    case 'flatten':
      return ACTION_CODES.flatten;
    default:
      throw new RangeError(`unknown action ${action}`);
  }
}

function exitReasonCode(reason: string): number {
  const k = (EXIT_REASONS as readonly string[]).indexOf(reason);
  if (k < 0) throw new RangeError(`exit reason ${reason} is not in EXIT_REASONS`);
  return k;
}

function recordOps(log: OpsLog, i: number, ops: OpsState): void {
  log.allowEntries[i] = ops.allowEntries ? 1 : 0;
  log.flatten[i] = ops.flatten ? 1 : 0;
  log.leverageScale[i] = ops.leverageScale;
}

function usdRates(ctx: RunContext, r: PairRun, i: number): void {
  // Both legs in USD (the common case): no bar time to read.
  if (r.usdQuotedA && r.usdQuotedB) {
    r.bar.usdPerQuoteA = 1;
    r.bar.usdPerQuoteB = 1;
    return;
  }
  const pair = r.input.pair;
  const tsMs = r.ts[i]!;
  r.bar.usdPerQuoteA = r.usdQuotedA
    ? 1
    : usdPerQuote(pair.leg_A, ctx.input.conversionRate?.(pair.leg_A.canonical_symbol, tsMs));
  r.bar.usdPerQuoteB = r.usdQuotedB
    ? 1
    : usdPerQuote(pair.leg_B, ctx.input.conversionRate?.(pair.leg_B.canonical_symbol, tsMs));
}

/** Swaps, fills of earlier decisions due at bar i, and the mark at its close; adds the change of the pair's P&L to ctx.valueUsd. */
function markPair(ctx: RunContext, r: PairRun, i: number): void {
  ctx.valueUsd -= r.book.valueUsd;
  usdRates(ctx, r, i);
  // A flat book accrues nothing and marks to 0: skipped here rather than in calls whose double arguments would be boxed.
  if (r.book.side !== 0)
    r.book.accrueSwaps(r.ts[i]! + ctx.barMs, r.closeA[i]!, r.closeB[i]!, r.bar.usdPerQuoteA, r.bar.usdPerQuoteB);
  if (r.pending.size > 0) fillDue(ctx, r, i);
  if (r.book.side !== 0) r.book.mark(r.closeA[i]!, r.closeB[i]!, r.bar.usdPerQuoteA, r.bar.usdPerQuoteB);
  else r.book.unrealizedUsd = 0;
  ctx.valueUsd += r.book.valueUsd;
}

/** The orders of a recorded decision at bar i (replayDecisions): the accounting of decidePair without the kernel. */
function replayPair(ctx: RunContext, r: PairRun, rec: DecisionRecord, i: number): void {
  const { book, pending, bar } = r;
  ctx.valueUsd -= book.valueUsd;
  bar.tsMs = r.ts[i]!;
  bar.closeMs = bar.tsMs + ctx.barMs;
  bar.closeA = r.closeA[i]!;
  bar.closeB = r.closeB[i]!;
  const code = rec.action[i]!;
  r.actions[i] = code;
  if (code === ACTION_CODES.open) {
    const s = pending.push(i + ctx.latency, FILL_OPEN);
    pending.side[s] = rec.side[i]!;
    pending.lotsA[s] = rec.lotsA[i]!;
    pending.lotsB[s] = rec.lotsB[i]!;
    pending.z[s] = r.z[i]!;
    pending.prob[s] = r.returnProb ? r.returnProb[i]! : Number.NaN;
    pending.risk[s] = r.riskScore ? r.riskScore[i]! : Number.NaN;
  } else if (code === ACTION_CODES.close || code === ACTION_CODES.flatten) {
    const s = pending.push(i + ctx.latency, FILL_CLOSE);
    pending.reason[s] = EXIT_REASONS[rec.reason[i]!]!;
  }
  finishBar(ctx, r, i);
}

/**
 * A bar where the kernel has nothing to decide and the book nothing to do: flat, no order in
 * flight, no event starting, not the pair's last bar (the kernel's idleAt). Most bars of a run.
 */
function isIdle(r: PairRun, i: number): boolean {
  return (
    r.replay === undefined &&
    r.pending.size === 0 &&
    r.book.side === 0 &&
    i !== r.n - 1 &&
    r.kernel.idleAt(r.eventStart[i]! as SpreadSide)
  );
}

/** The kernel's decision at the close of bar i and the orders it gives; adds the change of the pair's P&L to ctx.valueUsd. */
function decidePair(ctx: RunContext, r: PairRun, i: number): void {
  if (r.replay) {
    replayPair(ctx, r, r.replay, i);
    return;
  }
  const { book, pending, kernel } = r;
  ctx.valueUsd -= book.valueUsd;
  const p = r.input;
  const bar = r.bar;
  bar.tsMs = r.ts[i]!;
  bar.closeMs = bar.tsMs + ctx.barMs;
  bar.closeA = r.closeA[i]!;
  bar.closeB = r.closeB[i]!;
  bar.filled = p.filled !== undefined && p.filled[i] === 1;
  bar.z = r.z[i]!;
  bar.deltaZ = r.deltaZ[i]!;
  bar.beta = r.beta[i]!;
  bar.valid = p.features.valid[i] === 1;
  if (ctx.everyBar) kernel.observe(bar);
  else kernel.observeEvent(bar, r.eventStart[i]! as SpreadSide, r.eventOutcome[i]! as EventOutcome);
  bar.returnProb = r.returnProb ? r.returnProb[i]! : Number.NaN;
  bar.riskScore = r.riskScore ? r.riskScore[i]! : Number.NaN;
  const heldAfter = kernel.state.barsHeld + 1;
  const out = kernel.decide(bar, r.ops);
  if (out.candidate) {
    ctx.filter.candidates++;
    if (out.passTheta1) ctx.filter.passTheta1++;
    if (out.passTheta2) ctx.filter.passTheta2++;
    if (out.rejectedByAi) ctx.filter.rejectedByAi++;
  }
  if (out.skipReason !== '') ctx.skips[out.skipReason] = (ctx.skips[out.skipReason] ?? 0) + 1;
  const code = actionCode(out.action);
  r.actions[i] = code;
  const rec = r.decisions;
  rec.action[i] = code;
  if (out.action === 'open') {
    rec.side[i] = out.targetSide;
    rec.lotsA[i] = out.targetLotsA;
    rec.lotsB[i] = out.targetLotsB;
    const s = pending.push(i + ctx.latency, FILL_OPEN);
    pending.side[s] = out.targetSide;
    pending.lotsA[s] = out.targetLotsA;
    pending.lotsB[s] = out.targetLotsB;
    pending.z[s] = out.z;
    pending.prob[s] = out.returnProb;
    pending.risk[s] = out.riskScore;
  } else if (out.action === 'close' || out.action === 'flatten') {
    rec.reason[i] = exitReasonCode(out.reason);
    const s = pending.push(i + ctx.latency, FILL_CLOSE);
    pending.reason[s] = out.reason;
    if (out.reason === 'risk_stop') ctx.stops.push({ run: r, bar: i, barsHeld: heldAfter });
  }
  finishBar(ctx, r, i);
}

/** Fills due at bar i, the end of the pair's data, and the mark at its close; adds the pair's P&L back to ctx.valueUsd. */
function finishBar(ctx: RunContext, r: PairRun, i: number): void {
  const { book, pending, bar } = r;
  if (pending.size > 0) fillDue(ctx, r, i);
  if (i === r.n - 1) {
    if (book.side !== 0)
      ctx.trades.push(
        book.close(
          ctx.trades.length + 1,
          bar.closeA,
          bar.closeB,
          bar.usdPerQuoteA,
          bar.usdPerQuoteB,
          bar.closeMs,
          r.z[i]!,
          'end_of_data',
        ),
      );
    for (; pending.size > 0; pending.shift()) {
      if (pending.kind[pending.head] === FILL_OPEN) ctx.skips.fill_past_end = (ctx.skips.fill_past_end ?? 0) + 1;
    }
  }
  if (book.side !== 0) book.mark(bar.closeA, bar.closeB, bar.usdPerQuoteA, bar.usdPerQuoteB);
  else book.unrealizedUsd = 0;
  ctx.valueUsd += book.valueUsd;
  r.valueUsd[i] = book.valueUsd;
}

/** Orders due at or before bar i fill at its close, in decision order; a DQ-filled bar fills nothing (they wait for the next real bar). */
function fillDue(ctx: RunContext, r: PairRun, i: number): void {
  const { book, pending } = r;
  if (r.input.filled !== undefined && r.input.filled[i] === 1) return;
  const closeA = r.closeA[i]!;
  const closeB = r.closeB[i]!;
  const closeMs = r.ts[i]! + ctx.barMs;
  const usdA = r.bar.usdPerQuoteA;
  const usdB = r.bar.usdPerQuoteB;
  for (let s = pending.due(i); s >= 0; s = pending.due(i)) {
    if (pending.kind[s] === FILL_OPEN) {
      book.open(
        pending.side[s]! as -1 | 1,
        pending.lotsA[s]!,
        pending.lotsB[s]!,
        closeA,
        closeB,
        usdA,
        usdB,
        closeMs,
        pending.z[s]!,
        pending.prob[s]!,
        pending.risk[s]!,
      );
    } else if (book.side !== 0) {
      ctx.trades.push(
        book.close(ctx.trades.length + 1, closeA, closeB, usdA, usdB, closeMs, r.z[i]!, pending.reason[s]!),
      );
    }
    pending.shift();
  }
}
