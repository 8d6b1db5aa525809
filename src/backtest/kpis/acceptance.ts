// SPEC §7 acceptance verdicts, absolute and versus the previous model, each with its reason.
import type { PtConfig } from '../../config/schemas/index.js';

export type AcceptanceThresholds = PtConfig['backtest_policy']['acceptance'];

/** The KPIs a verdict reads (a subset of BacktestKpis). */
export interface AcceptanceKpis {
  sharpe: number;
  maxDrawdown: number;
  tradesPerYear: number;
  ePerTrade: number;
  falseStopRate: number;
  riskStops: number;
}

export interface Check {
  name: string;
  pass: boolean;
  reason: string;
}

export interface Verdict {
  pass: boolean;
  checks: Check[];
  reason: string;
}

/**
 * Thresholds are decimals in YAML and products like 0.1 + 0.03 are not exact in binary; this slack
 * makes a value equal to the written bound decide as the decimal would (inclusive passes, strict fails).
 */
const EPS = 1e-12;

const fmt = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x));

function check(name: string, value: number, op: '>' | '<' | '>=' | '<=', bound: number, boundText: string): Check {
  let pass: boolean;
  if (op === '>') pass = value > bound + EPS;
  else if (op === '<') pass = value < bound - EPS;
  else if (op === '>=') pass = value >= bound - EPS;
  else pass = value <= bound + EPS;
  if (Number.isNaN(value) || Number.isNaN(bound)) pass = false;
  const opText = { '>': '>', '<': '<', '>=': '≥', '<=': '≤' }[op];
  return { name, pass, reason: `${name} ${fmt(value)} ${pass ? '' : 'not '}${opText} ${boundText}` };
}

function verdict(checks: Check[]): Verdict {
  const failed = checks.filter((c) => !c.pass);
  return {
    pass: failed.length === 0,
    checks,
    reason: failed.length === 0 ? 'all bounds hold' : failed.map((c) => c.reason).join('; '),
  };
}

/**
 * The Deflated Sharpe bound of an optimised θ (issue 16): the chosen trial's Sharpe must beat the
 * best of N unskilled trials with 95 % probability (Bailey & López de Prado 2014).
 */
export const DSR_MIN = 0.95;

/**
 * `verdict` plus a `dsr` check when θ came from a search: DSR ≥ DSR_MIN over its `trials`; a search
 * that could not compute one (null) fails the check, because the selection bias is then unmeasured.
 */
export function withDeflatedSharpe(v: Verdict, search: { trials: number; dsr: number | null }): Verdict {
  const c = check(
    'dsr',
    search.dsr ?? Number.NaN,
    '>=',
    DSR_MIN,
    `${DSR_MIN} (Deflated Sharpe over ${search.trials} trials)`,
  );
  return verdict([...v.checks, c]);
}

/** `Sharpe > sharpe_min AND MaxDD < max_dd_max AND trades_per_year ≥ trades_per_year_min`; NaN fails. */
export function absoluteAcceptance(k: AcceptanceKpis, t: AcceptanceThresholds): Verdict {
  return verdict([
    check('sharpe', k.sharpe, '>', t.sharpe_min, fmt(t.sharpe_min)),
    check('max_dd', k.maxDrawdown, '<', t.max_dd_max, fmt(t.max_dd_max)),
    check('trades_per_year', k.tradesPerYear, '>=', t.trades_per_year_min, fmt(t.trades_per_year_min)),
  ]);
}

/**
 * Versus the previous model: Sharpe_new ≥ ratio·Sharpe_old, MaxDD_new ≤ MaxDD_old + increase,
 * E/trade_new ≥ 0, false-stop_new < false_stop_max. With no risk stops the false-stop rate is
 * undefined but no stop was false, so that check passes and says why.
 */
export function relativeAcceptance(next: AcceptanceKpis, prev: AcceptanceKpis, t: AcceptanceThresholds): Verdict {
  const sharpeBound = t.sharpe_ratio_vs_old * prev.sharpe;
  const ddBound = prev.maxDrawdown + t.max_dd_increase_vs_old;
  const falseStop: Check =
    next.riskStops === 0
      ? { name: 'false_stop', pass: true, reason: 'false_stop: no risk stops, none false' }
      : check('false_stop', next.falseStopRate, '<', t.false_stop_max, fmt(t.false_stop_max));
  return verdict([
    check(
      'sharpe_vs_old',
      next.sharpe,
      '>=',
      sharpeBound,
      `${fmt(t.sharpe_ratio_vs_old)}·${fmt(prev.sharpe)} = ${fmt(sharpeBound)}`,
    ),
    check(
      'max_dd_vs_old',
      next.maxDrawdown,
      '<=',
      ddBound,
      `${fmt(prev.maxDrawdown)} + ${fmt(t.max_dd_increase_vs_old)} = ${fmt(ddBound)}`,
    ),
    check('e_per_trade', next.ePerTrade, '>=', 0, '0'),
    falseStop,
  ]);
}
