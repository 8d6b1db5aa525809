// The retrain gate (SPEC §7, "versus the previous model"): whether a candidate model replaces the one in
// force, as a table of checks and a one-line reason. Pure: the KPIs come from backtests of both models
// on the same out-of-sample period (pt retrain, docs/operations.md "Retrain").
import type { PtConfig } from '../../config/schemas/index.js';

export type PromotionThresholds = PtConfig['backtest_policy']['acceptance'];

/** What the gate reads of a model's backtest on the comparison period. */
export interface PromotionKpis {
  sharpe: number;
  /** Maximum drawdown as a positive fraction of equity. */
  maxDrawdown: number;
  /** Mean net P&L per closed trade (USD); NaN without a trade. */
  ePerTrade: number;
  trades: number;
  tradesPerYear: number;
}

export interface PromotionCheck {
  name: 'sharpe_vs_old' | 'max_dd_vs_old' | 'e_per_trade' | 'false_stop' | 'sharpe' | 'max_dd' | 'trades_per_year';
  value: number;
  /** The bound the value is held to, and how (`≥`, `≤`, `<`, `>`). */
  limit: number;
  op: '≥' | '≤' | '<' | '>';
  pass: boolean;
  /** How the bound was made (`0.95·1.31`), or why a check passes without a value. */
  note: string;
}

export interface PromotionDecision {
  promote: boolean;
  checks: PromotionCheck[];
  reason: string;
}

/** Decimal bounds from YAML: a value equal to the written bound decides as the decimal would. */
const EPS = 1e-12;
const fmt = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x));

function check(name: PromotionCheck['name'], value: number, op: PromotionCheck['op'], limit: number, note = '') {
  const pass =
    !Number.isNaN(value) &&
    !Number.isNaN(limit) &&
    (op === '≥'
      ? value >= limit - EPS
      : op === '≤'
        ? value <= limit + EPS
        : op === '<'
          ? value < limit - EPS
          : value > limit + EPS);
  return { name, value, limit, op, pass, note };
}

/**
 * Versus the model in force: Sharpe_new ≥ ratio·Sharpe_old, MaxDD_new ≤ MaxDD_old + increase,
 * E/trade_new ≥ 0, false-stop_new < false_stop_max. A model in force that made no trade in the
 * period is a flat account there: its Sharpe and MaxDD count as 0. A candidate with no risk stop
 * (`falseStopRate` null) had no false stop, so that check passes and says so.
 *
 * With no model in force (`inForce` null) there is nothing to be compared with: the candidate must
 * pass SPEC §7's absolute acceptance instead (Sharpe > sharpe_min, MaxDD < max_dd_max,
 * trades/year ≥ trades_per_year_min), plus the same E/trade and false-stop checks.
 */
export function promotionDecision(
  candidate: PromotionKpis,
  inForce: PromotionKpis | null,
  falseStopRate: number | null,
  t: PromotionThresholds,
): PromotionDecision {
  const checks: PromotionCheck[] = [];
  if (inForce) {
    const flat = inForce.trades === 0;
    const oldSharpe = flat ? 0 : inForce.sharpe;
    const oldDd = flat ? 0 : inForce.maxDrawdown;
    const why = flat ? ' (in force made no trade: a flat account)' : '';
    checks.push(
      check(
        'sharpe_vs_old',
        candidate.sharpe,
        '≥',
        t.sharpe_ratio_vs_old * oldSharpe,
        `${fmt(t.sharpe_ratio_vs_old)}·${fmt(oldSharpe)}${why}`,
      ),
      check(
        'max_dd_vs_old',
        candidate.maxDrawdown,
        '≤',
        oldDd + t.max_dd_increase_vs_old,
        `${fmt(oldDd)} + ${fmt(t.max_dd_increase_vs_old)}${why}`,
      ),
    );
  } else
    checks.push(
      check('sharpe', candidate.sharpe, '>', t.sharpe_min, 'absolute (no model in force)'),
      check('max_dd', candidate.maxDrawdown, '<', t.max_dd_max, 'absolute (no model in force)'),
      check('trades_per_year', candidate.tradesPerYear, '≥', t.trades_per_year_min, 'absolute (no model in force)'),
    );
  checks.push(check('e_per_trade', candidate.ePerTrade, '≥', 0, candidate.trades === 0 ? 'no trade' : ''));
  checks.push(
    falseStopRate === null
      ? {
          name: 'false_stop',
          value: Number.NaN,
          limit: t.false_stop_max,
          op: '<',
          pass: true,
          note: 'no risk stop, none false',
        }
      : check('false_stop', falseStopRate, '<', t.false_stop_max),
  );
  const failed = checks.filter((c) => !c.pass);
  const reason =
    failed.length === 0
      ? inForce
        ? 'every check versus the model in force holds'
        : 'no model in force, and the candidate passes the absolute acceptance'
      : failed
          .map((c) => `${c.name} ${fmt(c.value)} not ${c.op} ${fmt(c.limit)}${c.note ? ` (${c.note})` : ''}`)
          .join('; ');
  return { promote: failed.length === 0, checks, reason };
}

/** The checks as printed lines: name, value, bound, pass/FAIL. */
export function formatPromotionChecks(d: PromotionDecision): string[] {
  const rows = d.checks.map((c) => [c.name, fmt(c.value), `${c.op} ${fmt(c.limit)}`, c.pass ? 'pass' : 'FAIL', c.note]);
  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(...rows.map((r) => r[i]!.length), ['check', 'value', 'bound', ''][i]!.length),
  );
  const line = (r: string[]) =>
    r
      .map((x, i) => (i < 4 ? x.padEnd(widths[i]!) : x))
      .join('  ')
      .trimEnd();
  return [line(['check', 'value', 'bound', '', '']), ...rows.map(line)];
}
