// runBacktest: SPEC §7 over many pairs on one merged timeline, one USD portfolio, via the shared decide().
import { timeframeMs } from '../core/time.js';
import { cancelOpen, decideInto } from '../decision/decide.js';
import { decisionParamsFrom } from '../decision/decisionParams.js';
import { ddPolicyParamsFrom, opsForLevels, PortfolioDdPolicy, type DdPolicyParams } from '../decision/ddPolicy.js';
import { sizePair } from '../decision/sizePair.js';
import { usdPerQuote } from '../decision/usdPerQuote.js';
import { ACTION_CODES, type BacktestInput, type BacktestResult, type BacktestTrade } from './backtestTypes.js';
import { computeKpis, dailyEquity, utcDayStart, type FilterCounts } from './kpis/index.js';
import { FILL_CLOSE, FILL_OPEN } from './pendingFills.js';
import { preparePairRun, type PairRun } from './pairRun.js';
import { countRevertedStops, type RiskStop } from './countRevertedStops.js';

interface RunContext {
  input: BacktestInput;
  params: ReturnType<typeof decisionParamsFrom>;
  barMs: number;
  latency: number;
  pairNotionalUsd: number;
  positionScale: number;
  filter: FilterCounts;
  skips: Record<string, number>;
  trades: BacktestTrade[];
  stops: RiskStop[];
}

/**
 * Walks every bar time of every pair in order (a k-way merge of the pairs' timelines). At a pair's
 * bar t, in this order: swaps due in [previous close, close_t) on the filled legs, the decision at
 * the close of t (decideInto with that pair's ops), the fills due at t (at close_t; with latency L a
 * decision at t fills at t+L), and the mark at close_t. The portfolio equity at a merged time is the
 * initial capital plus every pair's realised and marked P&L, keyed by the bar's open time (SPEC §0)
 * and marked at its close. The DD policy runs at each UTC day change on the previous day's last
 * equity (SPEC §0 daily close) and applies from the next bar; so no decision sees a later bar.
 * A position still open at a pair's last bar is closed there ('end_of_data'); an open whose fill
 * would fall after the last bar is dropped and counted in skips.fill_past_end.
 */
export function runBacktest(input: BacktestInput): BacktestResult {
  const { config } = input;
  if (input.pairs.length === 0) throw new RangeError('runBacktest needs at least one pair');
  const barMs = timeframeMs(input.timeframe);
  const latency = input.latencyBars ?? config.backtest_policy.latency_bars;
  if (!Number.isInteger(latency) || latency < 0) throw new RangeError(`latencyBars must be a non-negative integer, got ${latency}`);
  const capital = input.initialCapitalUsd ?? config.backtest_policy.initial_capital_usd;
  const ddParams: DdPolicyParams = ddPolicyParamsFrom(config.dd_policy);
  const costTable = input.costTable ?? config.cost_table;
  const runs = input.pairs.map((p) => preparePairRun(p, config, costTable, barMs, latency, config.core_policy.speed_lookback_bars, ddParams));
  const ctx: RunContext = {
    input, params: decisionParamsFrom(config, input.ruleOnly ?? false, input.params), barMs, latency,
    pairNotionalUsd: config.signals_policy.pair_notional_usd, positionScale: input.positionScale ?? 1,
    filter: { candidates: 0, passTheta1: 0, passTheta2: 0, rejectedByAi: 0 }, skips: {}, trades: [], stops: [],
  };
  const portfolioDd = new PortfolioDdPolicy(ddParams, capital);
  for (const r of runs) opsForLevels(portfolioDd.level, r.dd.level, ddParams, r.ops, input.ops);
  const ddDays: [number, number, number, number] = [0, 0, 0, 0];

  let total = 0;
  for (const r of runs) total += r.n;
  const times = new Float64Array(total);
  const equity = new Float64Array(total);
  let k = 0;
  let day = Number.NaN;
  let pnlUsd = 0;
  const m = runs.length;
  for (;;) {
    let t = Number.POSITIVE_INFINITY;
    for (let j = 0; j < m; j++) {
      const r = runs[j]!;
      if (r.cursor < r.n && r.ts[r.cursor]! < t) t = r.ts[r.cursor]!;
    }
    if (t === Number.POSITIVE_INFINITY) break;
    const d = utcDayStart(t);
    if (k > 0 && d !== day) {
      const level = portfolioDd.onDayClose(equity[k - 1]!);
      ddDays[level]++;
      for (let j = 0; j < m; j++) {
        const r = runs[j]!;
        r.dd.onDayClose(r.book.valueUsd);
        opsForLevels(level, r.dd.level, ddParams, r.ops, input.ops);
      }
    }
    day = d;
    for (let j = 0; j < m; j++) {
      const r = runs[j]!;
      if (r.cursor < r.n && r.ts[r.cursor] === t) {
        pnlUsd += stepPair(ctx, r, r.cursor);
        r.cursor++;
      }
    }
    times[k] = t;
    equity[k] = capital + pnlUsd;
    k++;
  }

  const timesMs = times.slice(0, k);
  const equityUsd = equity.slice(0, k);
  const stops = { riskStops: ctx.stops.length, wouldHaveReverted: countRevertedStops(ctx.stops, ctx.params) };
  const kpis = computeKpis({
    daily: dailyEquity(timesMs, equityUsd),
    trades: ctx.trades.map((tr) => ({ entryMs: tr.ts_entry, exitMs: tr.ts_exit, pnlUsd: tr.pnl })),
    initialCapitalUsd: capital, filter: ctx.filter, stops,
  });
  const actions: Record<string, Int8Array> = {};
  for (const r of runs) actions[r.input.pair.pair_id] = r.actions;
  return { timesMs, equityUsd, trades: ctx.trades, skips: ctx.skips, filter: ctx.filter, stops, ddDays, actions, kpis };
}

/** One bar of one pair; returns the change of the pair's P&L (USD). */
function stepPair(ctx: RunContext, r: PairRun, i: number): number {
  const { book, pending, state } = r;
  const pair = r.input.pair;
  const before = book.valueUsd;
  const tsMs = r.ts[i]!;
  const closeMs = tsMs + ctx.barMs;
  const closeA = r.closeA[i]!;
  const closeB = r.closeB[i]!;
  const usdA = r.usdQuotedA ? 1 : usdPerQuote(pair.leg_A, ctx.input.conversionRate?.(pair.leg_A.canonical_symbol, tsMs));
  const usdB = r.usdQuotedB ? 1 : usdPerQuote(pair.leg_B, ctx.input.conversionRate?.(pair.leg_B.canonical_symbol, tsMs));

  book.accrueSwaps(closeMs, closeA, closeB, usdA, usdB);

  const bar = r.bar;
  bar.tsMs = tsMs;
  bar.z = r.z[i]!;
  bar.deltaZ = r.deltaZ[i]!;
  bar.speedMean = r.speed[i]!;
  bar.valid = r.valid[i] === 1;
  bar.returnProb = r.returnProb ? r.returnProb[i]! : Number.NaN;
  bar.riskScore = r.riskScore ? r.riskScore[i]! : Number.NaN;
  bar.tradable = r.tradable[i] === 1;
  const heldAfter = state.barsHeld + 1;
  const out = decideInto(state, bar, ctx.params, r.ops, r.decision);
  if (out.candidate) {
    ctx.filter.candidates++;
    if (out.passTheta1) ctx.filter.passTheta1++;
    if (out.passTheta2) ctx.filter.passTheta2++;
    if (out.rejectedByAi) ctx.filter.rejectedByAi++;
  }
  r.actions[i] = ACTION_CODES[out.action];
  if (out.action === 'open') {
    const size = sizePair({
      pair, priceA: closeA, priceB: closeB, beta: r.beta[i]!, pairNotionalUsd: ctx.pairNotionalUsd,
      positionScale: ctx.positionScale, leverageScale: r.ops.leverageScale,
      usdPerQuoteA: r.usdQuotedA ? undefined : usdA, usdPerQuoteB: r.usdQuotedB ? undefined : usdB,
    });
    if (size.ok) {
      const s = pending.push(i + ctx.latency, FILL_OPEN);
      pending.side[s] = state.position;
      pending.lotsA[s] = size.lotsA;
      pending.lotsB[s] = size.lotsB;
      pending.z[s] = bar.z;
      pending.prob[s] = bar.returnProb;
      pending.risk[s] = bar.riskScore;
    } else {
      cancelOpen(state);
      r.actions[i] = ACTION_CODES.none;
      ctx.skips[size.reason] = (ctx.skips[size.reason] ?? 0) + 1;
    }
  } else if (out.action === 'close' || out.action === 'flatten') {
    const s = pending.push(i + ctx.latency, FILL_CLOSE);
    pending.reason[s] = out.reason;
    if (out.reason === 'risk_stop') ctx.stops.push({ run: r, bar: i, barsHeld: heldAfter });
  }

  for (let s = pending.due(i); s >= 0; s = pending.due(i)) {
    if (pending.kind[s] === FILL_OPEN) {
      book.open(pending.side[s]!, pending.lotsA[s]!, pending.lotsB[s]!, closeA, closeB, usdA, usdB, closeMs, pending.z[s]!, pending.prob[s]!, pending.risk[s]!);
    } else if (book.side !== 0) {
      ctx.trades.push(book.close(ctx.trades.length + 1, closeA, closeB, usdA, usdB, closeMs, bar.z, pending.reason[s]!));
    }
    pending.shift();
  }
  if (i === r.n - 1) {
    if (book.side !== 0) ctx.trades.push(book.close(ctx.trades.length + 1, closeA, closeB, usdA, usdB, closeMs, bar.z, 'end_of_data'));
    for (; pending.size > 0; pending.shift()) {
      if (pending.kind[pending.head] === FILL_OPEN) ctx.skips.fill_past_end = (ctx.skips.fill_past_end ?? 0) + 1;
    }
  }
  book.mark(closeA, closeB, usdA, usdB);
  return book.valueUsd - before;
}
