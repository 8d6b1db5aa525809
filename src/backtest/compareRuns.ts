// A run against a baseline run (SPEC §7): the relative verdicts and Diebold–Mariano on the weekly
// returns of the weeks both runs cover. `bt_run.json` in each output folder carries what is needed.
import type { PtConfig } from '../config/schemas/index.js';
import {
  dailyReturns,
  dieboldMariano,
  relativeAcceptance,
  weeklyReturns,
  type AcceptanceKpis,
  type DieboldMarianoResult,
  type Verdict,
} from './kpis/index.js';

export interface RunRecord {
  run_id: string;
  model_version: string;
  initial_capital_usd: number;
  kpis: AcceptanceKpis & Record<string, unknown>;
  daily: { dayMs: number[]; equity: number[] };
}

function weekly(r: RunRecord): Map<number, number> {
  const ret = dailyReturns(
    { dayMs: Float64Array.from(r.daily.dayMs), equity: Float64Array.from(r.daily.equity) },
    r.initial_capital_usd,
  );
  const w = weeklyReturns(r.daily.dayMs, ret);
  return new Map(Array.from(w.weekStartMs, (t, i) => [t, w.returns[i]!]));
}

/** The relative verdicts and Diebold–Mariano over the weeks both runs cover. */
export interface RunComparison {
  verdict: Verdict;
  dm: DieboldMarianoResult;
  weeks: number;
}

export function compareRuns(config: PtConfig, next: RunRecord, prev: RunRecord): RunComparison {
  const a = weekly(next);
  const b = weekly(prev);
  const common = [...a.keys()].filter((t) => b.has(t)).sort((x, y) => x - y);
  const dm = dieboldMariano(
    common.map((t) => a.get(t)!),
    common.map((t) => b.get(t)!),
  );
  return {
    verdict: relativeAcceptance(next.kpis, prev.kpis, config.backtest_policy.acceptance),
    dm,
    weeks: common.length,
  };
}
