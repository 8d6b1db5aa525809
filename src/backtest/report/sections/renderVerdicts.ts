// Acceptance verdicts as pass/fail badges with their reasons.
import { escapeHtml } from '../escapeHtml.js';
import type { ReportData } from '../reportData.js';

export function renderVerdicts(d: ReportData): string {
  if (d.verdicts.length === 0) return '<section><h2>Verdicts</h2><p class="none">No verdicts: none.</p></section>';
  const items = d.verdicts.map((v) => {
    const cls = v.pass ? 'pass' : 'fail';
    return `<li><span class="badge ${cls}">${v.pass ? 'PASS' : 'FAIL'}</span> <strong>${escapeHtml(v.name)}</strong> <span class="reason">${escapeHtml(v.reason)}</span></li>`;
  });
  return `<section><h2>Verdicts</h2><ul class="verdicts">${items.join('')}</ul></section>`;
}
