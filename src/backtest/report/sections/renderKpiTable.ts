// KPI table: every KPI with its formatted value and, when given, its bootstrap 95% CI.
import { escapeHtml } from '../escapeHtml.js';
import { DASH, formatKpi } from '../formatNumber.js';
import type { ReportData } from '../reportData.js';

const LABELS: Record<string, string> = {
  annual_return_simple: 'Annual return (simple)',
  annual_return_compound: 'Annual return (compound)',
  sharpe: 'Sharpe (daily, ×√252)',
  max_dd: 'Max drawdown',
  calmar: 'Calmar',
  e_per_trade: 'E / trade (of capital)',
  trades_per_year: 'Trades / year',
  win_rate: 'Win rate',
  monthly_win_rate: 'Monthly win rate',
  halt_rate: 'Halt rate (AI filter rejections)',
  theta1_pass_rate: 'θ1 pass rate',
  theta2_pass_rate: 'θ2 pass rate',
  false_stop_rate: 'AI2 false-stop rate',
  pnl_sigma: 'PnL σ',
};

export function kpiLabel(name: string): string {
  return LABELS[name] ?? name.replace(/_/g, ' ');
}

export function renderKpiTable(d: ReportData): string {
  const names = Object.keys(d.kpis);
  if (names.length === 0) return '<section><h2>KPIs</h2><p class="none">No KPIs: none.</p></section>';
  const rows = names.map((n) => {
    const ci = d.cis?.[n];
    const ciText = ci ? `${formatKpi(n, ci.lower)} … ${formatKpi(n, ci.upper)}` : DASH;
    return `<tr><th scope="row">${escapeHtml(kpiLabel(n))}</th><td class="num">${escapeHtml(formatKpi(n, d.kpis[n] as number))}</td><td class="num ci">${escapeHtml(ciText)}</td></tr>`;
  });
  return `<section><h2>KPIs</h2><table class="kpis"><thead><tr><th>KPI</th><th>Value</th><th>95% CI (bootstrap)</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}
