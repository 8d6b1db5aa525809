// The text pt bt run prints: notes, the run line, θ, DD-level shares, KPIs and verdicts, gross vs net,
// the baseline comparison, the stress table and where the outputs went.
import { DD_LEVEL_NAMES } from '../../decision/ddPolicy.js';
import type { GrossNet } from '../costSensitivity.js';
import type { RunSummary } from '../summarizeRun.js';
import type { BacktestJobResult } from './backtestJobTypes.js';

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(2)}%` : '-');
const num = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');

/** KPIs, bootstrap CIs and the acceptance verdicts, one per line. */
export function formatKpis(s: RunSummary): string {
  const k = s.kpis;
  const rows: Array<[string, string]> = [
    ['annual return (simple / compound)', `${pct(k.annualReturnSimple)} / ${pct(k.annualReturnCompound)}`],
    ['Sharpe (daily ×√252)', num(k.sharpe)],
    ['max drawdown', pct(k.maxDrawdown)],
    ['Calmar', num(k.calmar)],
    ['trades / year', num(k.tradesPerYear)],
    ['win rate', pct(k.winRate)],
    ['E/trade (of capital)', pct(k.ePerTrade)],
    ['monthly win rate', pct(k.monthlyWinRate)],
    ['halt rate (AI filter)', pct(k.haltRate)],
    ['θ1 / θ2 pass rate', `${pct(k.theta1PassRate)} / ${pct(k.theta2PassRate)}`],
    ['AI2 false-stop rate', pct(k.falseStopRate)],
  ];
  for (const [name, ci] of Object.entries(s.cis)) rows.push([`95% CI ${name}`, `${num(ci.lower)} … ${num(ci.upper)}`]);
  const w = Math.max(...rows.map((r) => r[0].length));
  const verdicts = s.verdict.checks.map((c) => `  ${c.pass ? 'PASS' : 'FAIL'} ${c.name}: ${c.reason}`).join('\n');
  return `${rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`).join('\n')}\nacceptance: ${s.verdict.pass ? 'PASS' : 'FAIL'}\n${verdicts}`;
}

/** Gross beside net, the cost-sensitivity table, the break-even cost and the sizing skips. */
export function formatGrossNet(g: GrossNet): string {
  const rows = g.rows.map(
    (r) =>
      `  ${(r.scale === 0 ? '0 (gross)' : `${r.scale}`).padEnd(10)} ${num(r.sharpe).padStart(7)} ${pct(r.annualReturn).padStart(9)} ${pct(r.maxDrawdown).padStart(8)} ${num(r.pnlUsd).padStart(12)}`,
  );
  const reasons = Object.entries(g.sizing.reasons)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return [
    `gross (no costs, no swaps): Sharpe ${num(g.gross.sharpe)}, annual return ${pct(g.gross.annualReturnSimple)}, MaxDD ${pct(g.gross.maxDrawdown)}`,
    'cost sensitivity (the same decisions; only the accounting re-run with the whole cost table × scale):',
    `  ${'× costs'.padEnd(10)} ${'Sharpe'.padStart(7)} ${'annual'.padStart(9)} ${'MaxDD'.padStart(8)} ${'P&L USD'.padStart(12)}`,
    ...rows,
    `break-even cost: ${num(g.breakEvenBps)} bps per round trip of both legs' entry notional (the cost table costs ${num(g.costBps)} bps)`,
    `lot sizing skipped ${g.sizing.skipped} of ${g.sizing.attempted} entries (${pct(g.sizing.rate)})${reasons ? `: ${reasons}` : ''}`,
  ].join('\n');
}

/** Everything pt bt run prints after a run, ending with a newline. */
export function formatRunSummary(r: BacktestJobResult): string {
  const { params, thetaSource } = r.decision;
  const thetaLine = params.useTheta
    ? `θ1 ${params.theta1} θ2 ${params.theta2} from ${thetaSource}`
    : `θ ${thetaSource}`;
  const ddLine = r.pairIds
    .map((id, i) => {
      const sh = r.ddShares[i]!;
      return `${id} ${DD_LEVEL_NAMES.slice(1)
        .map((name, k) => `${name} ${pct([sh.dd_warn_share, sh.dd_halt_share, sh.dd_flatten_share][k]!)}`)
        .join(' ')}`;
    })
    .join('; ');
  let text = r.decision.notes.map((note) => `note: ${note}\n`).join('');
  text += `backtest ${r.modelVersion} ${r.timeframe} ${r.period}: ${r.pairIds.join(', ')}\n${thetaLine}\nbars in DD levels: ${ddLine}\n${formatKpis(r.summary)}\n${formatGrossNet(r.grossNet)}\n`;
  if (r.comparison) {
    const { baseline, result: c } = r.comparison;
    text += `vs baseline ${baseline.model_version} (run ${baseline.run_id}): ${c.verdict.pass ? 'PASS' : 'FAIL'}\n${c.verdict.checks.map((x) => `  ${x.pass ? 'PASS' : 'FAIL'} ${x.name}: ${x.reason}`).join('\n')}\n  Diebold–Mariano on ${c.weeks} common weeks: statistic ${num(c.dm.statistic)}, p ${Number.isFinite(c.dm.pValue) ? c.dm.pValue.toFixed(4) : '-'} (negative: the new run is better)\n`;
  }
  if (r.stress.length)
    text += `stress:\n${r.stress.map((s) => `  ${s.scenario.padEnd(24)} Sharpe ${num(s.sharpe)}  MaxDD ${pct(s.max_dd)}  ann ${pct(s.ann_return)}`).join('\n')}\n`;
  text += `outputs in ${r.outDir}; report ${r.reportPath}\n`;
  return text;
}
