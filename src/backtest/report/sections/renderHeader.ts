// Report header: title, run id, model version, period and generation time.
import { escapeHtml } from '../escapeHtml.js';
import type { ReportData } from '../reportData.js';

export function renderHeader(d: ReportData): string {
  const rows: Array<[string, string]> = [
    ['Run id', d.runId],
    ['Model version', d.modelVersion ?? 'none'],
    ...(d.theta
      ? [
          [
            'θ1 / θ2',
            d.theta.theta1 === null
              ? d.theta.source
              : `${d.theta.theta1} / ${d.theta.theta2 ?? '–'} (${d.theta.source})`,
          ] as [string, string],
        ]
      : []),
    ['Period', `${d.period.from} → ${d.period.to}`],
    ['Generated', d.generatedAt],
  ];
  return `<header><h1>${escapeHtml(d.title)}</h1><dl class="meta">${rows
    .map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`)
    .join('')}</dl></header>`;
}
