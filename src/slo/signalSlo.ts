// Signal availability and freshness (seed NFR: core inference / signal delivery ≥ 99.5% a month;
// data freshness ≤ freshness_budget_seconds), measured from the signals history.

/** When the shard first wrote a signal for one pair's bar: the earliest generated_at of its rows. */
export type Deliveries = Map<string, number>;

/** The key of `Deliveries`: pair id and bar open time. */
export const deliveryKey = (pairId: string, barOpenMs: number): string => `${pairId}|${barOpenMs}`;

export interface PairExpectation {
  pairId: string;
  /** Bar open times owed a signal (expectedBarOpens). */
  barOpens: readonly number[];
}

export interface FreshnessStats {
  /** Delivered bars measured. */
  n: number;
  /** Seconds from the bar's close to its first signal.json, nearest-rank quantiles; NaN when n = 0. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Share of the n within the budget (≤ budget); NaN when n = 0. */
  withinBudget: number;
}

export interface MissedBar {
  pairId: string;
  /** Bar open, ISO UTC. */
  barTs: string;
  /** Seconds after the close the signal came, or null when it never came. */
  lateSeconds: number | null;
}

export interface SignalSlo {
  /** (pair, bar) owed a signal whose deadline (close + budget) has passed at `asOfMs`. */
  expected: number;
  /** Of those, with a signal at all / within the budget. */
  delivered: number;
  inTime: number;
  /** inTime / expected (the SLO's measure); NaN when nothing was expected. */
  availability: number;
  /** delivered / expected. */
  availabilityAnyTime: number;
  freshness: FreshnessStats;
  /** Every bar not delivered in time, in bar order (missing first within a time). */
  missed: MissedBar[];
}

/** The nearest-rank quantile of an ascending array: the value at rank ⌈q·n⌉. */
export function nearestRank(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

/**
 * Availability counts a bar as served only when its first signal came within `budgetMs` of the bar's
 * close (a signal later than the budget reached the EA too late to act on the bar); a bar whose deadline
 * is after `asOfMs` is not yet owed and is left out. Freshness is measured on the expected bars that got a
 * signal at all: generated_at − (bar open + barMs).
 *
 * `replay`: generated_at is the wall clock of the run, not the replay's clock, so no time is judged:
 * every expected bar is owed, served means served at all, and freshness has no measure (n = 0).
 */
export function measureSignalSlo(
  pairs: readonly PairExpectation[],
  deliveries: Deliveries,
  o: { barMs: number; budgetMs: number; asOfMs: number; replay?: boolean },
): SignalSlo {
  let expected = 0;
  let delivered = 0;
  let inTime = 0;
  const lags: number[] = [];
  const missed: Array<MissedBar & { t: number }> = [];
  for (const p of pairs) {
    for (const open of p.barOpens) {
      const close = open + o.barMs;
      if (!o.replay && close + o.budgetMs > o.asOfMs) continue;
      expected++;
      const at = deliveries.get(deliveryKey(p.pairId, open));
      if (at === undefined) {
        missed.push({ pairId: p.pairId, barTs: new Date(open).toISOString(), lateSeconds: null, t: open });
        continue;
      }
      delivered++;
      if (o.replay) {
        inTime++;
        continue;
      }
      const lag = at - close;
      lags.push(lag / 1000);
      if (lag <= o.budgetMs) inTime++;
      else missed.push({ pairId: p.pairId, barTs: new Date(open).toISOString(), lateSeconds: lag / 1000, t: open });
    }
  }
  lags.sort((a, b) => a - b);
  const within = lags.filter((s) => s * 1000 <= o.budgetMs).length;
  missed.sort((a, b) => a.t - b.t || a.pairId.localeCompare(b.pairId));
  return {
    expected,
    delivered,
    inTime,
    availability: expected > 0 ? inTime / expected : Number.NaN,
    availabilityAnyTime: expected > 0 ? delivered / expected : Number.NaN,
    freshness: {
      n: lags.length,
      p50: nearestRank(lags, 0.5),
      p95: nearestRank(lags, 0.95),
      p99: nearestRank(lags, 0.99),
      max: lags.length > 0 ? lags[lags.length - 1]! : Number.NaN,
      withinBudget: lags.length > 0 ? within / lags.length : Number.NaN,
    },
    missed: missed.map(({ t: _t, ...m }) => m),
  };
}
