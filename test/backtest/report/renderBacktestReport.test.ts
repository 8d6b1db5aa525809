// The HTML report: well-formed, offline, escaped, with the right sections, heat map cells and empty-input lines.
import { describe, expect, it } from 'vitest';
import {
  MAX_TRADE_ROWS,
  divergingColor,
  formatKpi,
  formatPercent,
  formatUsd,
  renderBacktestReport,
  type ReportData,
} from '../../../src/backtest/report/index.js';
import { day, emptyReport, loadSample, tagProblems } from './reportTestData.js';

const count = (s: string, re: RegExp): number => (s.match(re) ?? []).length;

describe('renderBacktestReport on the sample fixture', () => {
  const data = loadSample();
  const html = renderBacktestReport(data);

  it('is one well-formed HTML document with every <svg> closed', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(count(html, /<html[\s>]/g)).toBe(1);
    expect(count(html, /<\/html>/g)).toBe(1);
    expect(count(html, /<body>/g)).toBe(1);
    expect(count(html, /<svg[\s>]/g)).toBe(3); // equity, drawdown, heat map
    expect(count(html, /<\/svg>/g)).toBe(3);
    expect(tagProblems(html)).toEqual([]);
  });

  it('needs no network: no URLs, no external scripts, styles, fonts or images', () => {
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain("default-src 'none'");
  });

  it('has the header, KPI table with CIs, verdict badges and the tables', () => {
    expect(html).toContain('bt-20241231-sample');
    expect(html).toContain('2024.12.30-ab12cd3');
    expect(html).toContain('2023-01-02 → 2024-12-30');
    expect(html).toContain('<td class="num">14.20%</td><td class="num ci">5.10% … 23.60%</td>');
    expect(html).toContain('<td class="num">1.48</td><td class="num ci">0.71 … 2.25</td>');
    expect(count(html, /class="badge pass">PASS</g)).toBe(2);
    expect(count(html, /class="badge fail">FAIL</g)).toBe(1);
    expect(count(html, /<table class="pairs">/g)).toBe(1);
    expect(count(html, /<table class="stress">/g)).toBe(1);
    const tradesTable = html.slice(html.indexOf('<table class="trades">'));
    expect(count(tradesTable.slice(0, tradesTable.indexOf('</table>')), /<tr>/g)).toBe(1 + data.trades.length);
  });

  it('puts one heat-map cell per month with a red or green fill by the sign of the return', () => {
    const cells = [
      ...html.matchAll(
        /<g class="hm-cell" data-month="(\d{4}-\d{2})" data-ret="([^"]+)">(?:<title>[^<]*<\/title>)?<rect [^>]*fill="rgb\((\d+),(\d+),(\d+)\)"/g,
      ),
    ];
    expect(cells.map((c) => c[1])).toEqual(data.monthlyReturns.map((m) => m.month));
    for (const [, , ret, r, g] of cells) {
      const v = Number(ret);
      if (v > 0) expect(Number(g)).toBeGreaterThan(Number(r));
      else if (v < 0) expect(Number(r)).toBeGreaterThan(Number(g));
    }
    expect(count(html, /data-year-total=/g)).toBe(2);
  });
});

describe('renderBacktestReport details', () => {
  it('escapes every string: a malicious pair id, title, verdict and stress note never become markup', () => {
    const evil = '<img src=x onerror="alert(1)">';
    const d: ReportData = {
      ...loadSample(),
      title: `</title>${evil}`,
      runId: `run"'&<>`,
      verdicts: [{ name: evil, pass: false, reason: evil }],
      pairs: [{ pairId: evil, trades: 1, winRate: 1, pnlUsd: 1, sharpe: 1, maxDd: 0 }],
      stress: [{ scenario: evil, pairId: evil, sharpe: 0, maxDd: 0, annReturn: 0, notes: evil }],
      trades: [
        {
          tradeId: evil,
          pairId: evil,
          side: evil,
          tsEntry: evil,
          tsExit: evil,
          pnlUsd: 1,
          zEntry: 2,
          zExit: 0,
          returnProb: 0.7,
          riskScore: 0.1,
        },
      ],
      kpis: { [evil]: 0.5 },
    };
    const html = renderBacktestReport(d);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror="');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(html).toContain('run&quot;&#39;&amp;&lt;&gt;');
    expect(tagProblems(html)).toEqual([]);
  });

  it('renders a short "none" line instead of a chart or table for empty inputs', () => {
    const html = renderBacktestReport(emptyReport());
    expect(html).not.toContain('<svg');
    expect(html).not.toContain('<table');
    expect(html).toContain('No trades: none.');
    expect(html).toContain('No stress scenarios: none.');
    expect(html).toContain('No monthly returns: none.');
    expect(html).toContain('Fewer than two days of equity: none.');
    expect(html).toContain('No pairs: none.');
    expect(html).toContain('<dd>none</dd>'); // model version null
    expect(tagProblems(html)).toEqual([]);
  });

  it('draws a flat or single-month report without NaN in any coordinate', () => {
    const d: ReportData = {
      ...emptyReport(),
      dailyEquity: { dayMs: [day('2024-01-01'), day('2024-01-02')], equity: [1000, 1000] },
      monthlyReturns: [{ month: '2024-01', ret: 0 }],
    };
    const html = renderBacktestReport(d);
    expect(count(html, /<svg[\s>]/g)).toBe(3);
    expect(html).not.toMatch(/NaN|Infinity/);
    expect(html).toContain(`fill="${divergingColor(0, 1)}"`);
  });

  it('caps the trades table with a note', () => {
    const sample = loadSample();
    const t = sample.trades[0]!;
    const trades = Array.from({ length: MAX_TRADE_ROWS + 5 }, (_, i) => ({ ...t, tradeId: `T${i}` }));
    const html = renderBacktestReport({ ...emptyReport(), trades });
    expect(html).toContain('Showing the first 2,000 of 2,005 trades');
    expect(count(html, /<tr>/g)).toBe(1 + MAX_TRADE_ROWS);
    expect(html).toContain('>T1999<');
    expect(html).not.toContain('>T2000<');
  });

  it('formats returns and rates as percentages, money as USD, and non-finite as a dash', () => {
    expect(formatKpi('annual_return_compound', 0.1514)).toBe('15.14%');
    expect(formatKpi('max_dd', 0.061)).toBe('6.10%');
    expect(formatKpi('halt_rate', 0.27)).toBe('27.00%');
    expect(formatKpi('e_per_trade', 0.00058)).toBe('0.058%');
    expect(formatKpi('sharpe', 1.4849)).toBe('1.48');
    expect(formatKpi('trades_per_year', 152.04)).toBe('152.0');
    expect(formatPercent(-0.00001, 2)).toBe('0.00%');
    expect(formatUsd(-1234.5)).toBe('-$1,234.50');
    expect(formatKpi('sharpe', Number.NaN)).toBe('—');
  });
});
