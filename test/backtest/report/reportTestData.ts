// Shared helpers for the report tests: the sample fixture, a tiny report and an HTML tag-balance check.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReportData } from '../../../src/backtest/report/index.js';

export const FIXTURE_PATH = fileURLToPath(new URL('../../fixtures/report/sample.json', import.meta.url));

export function loadSample(): ReportData {
  return JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as ReportData;
}

export const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);

/** A small report with nothing optional: no trades, no stress, no pairs, no CIs. */
export function emptyReport(): ReportData {
  return {
    title: 'Empty',
    runId: 'run-0',
    modelVersion: null,
    generatedAt: '2025-01-01T00:00:00Z',
    period: { from: '2024-01-01', to: '2024-01-01' },
    kpis: {},
    verdicts: [],
    dailyEquity: { dayMs: [], equity: [] },
    monthlyReturns: [],
    pairs: [],
    trades: [],
    stress: [],
  };
}

const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link', 'area', 'base', 'col', 'source', 'wbr']);

/** Checks every non-void tag is closed in order (the style block is skipped); returns the problems found. */
export function tagProblems(html: string): string[] {
  const body = html.replace(/<style>[\s\S]*?<\/style>/g, '<style></style>').replace(/<!DOCTYPE html>/i, '');
  const stack: string[] = [];
  const problems: string[] = [];
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g)) {
    const [, close, rawName, , selfClose] = m;
    const name = (rawName as string).toLowerCase();
    if (selfClose || VOID.has(name)) continue;
    if (!close) {
      stack.push(name);
      continue;
    }
    const top = stack.pop();
    if (top !== name) problems.push(`</${name}> closes <${top ?? 'nothing'}> at ${m.index}`);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`);
  return problems;
}
