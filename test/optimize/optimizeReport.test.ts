// The outputs of an optimise run: the printed summary, the trials table and report.html, from hand-built
// runs (13×13 seed grid + 13×13 quantile grid + 40 TPE trials; and one where nothing is feasible).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCsvTable } from '../../src/adapters/files/tableCsvWriter.js';
import { formatOptimizeSummary, MAX_PARETO_ROWS } from '../../src/optimize/formatOptimizeSummary.js';
import type { OptimizeRun } from '../../src/optimize/optimizeRun.js';
import { bestSoFar, gridTrials, renderOptimizeReport } from '../../src/optimize/report/index.js';
import { TRIAL_COLUMNS, trialsTable, trialsTableMetadata } from '../../src/optimize/trialsTable.js';
import { buildInfeasibleRun, buildRun } from './optimizeRunFixture.js';

const HEADER =
  'optimize 20261203T084000Z-opt: model v20261201-001, 2 pairs (XAUUSD_XAGUSD, EURUSD_GBPUSD), 1h; ' +
  'selection 2023-01-01 → 2025-05-31, holdout 2025-06-01 → 2025-12-31 (UTC); ' +
  '169 seed grid + 169 quantile grid + 40 TPE = 378 trials, seed 42';
const NO_FEASIBLE = 'no feasible θ (nearest θ1=0.62, θ2=0.44; binding: trades_per_year 31 < 150)';

const count = (text: string, needle: string | RegExp): number =>
  typeof needle === 'string' ? text.split(needle).length - 1 : (text.match(needle) ?? []).length;

describe('the fixtures', () => {
  it('are what the tests below assume: 378 trials, some feasible, the best feasible one chosen', () => {
    const run = buildRun();
    expect(run.trials).toHaveLength(378);
    const feasible = run.trials.filter((t) => t.feasible);
    expect(feasible.length).toBeGreaterThan(3);
    expect(feasible.length).toBeLessThan(378);
    expect(run.trials.filter((t) => t.stage === 'seed_grid' && t.feasible)).toHaveLength(0);
    expect(run.best).toBeDefined();
    expect(run.trials[run.best!]!.score).toBe(Math.max(...feasible.map((t) => t.score)));
    const none = buildInfeasibleRun();
    expect(none.best).toBeUndefined();
    expect(none.trials.some((t) => t.feasible)).toBe(false);
  });
});

describe('formatOptimizeSummary', () => {
  it('prints the header, the chosen θ with its space, the Pareto table, the holdout, DSR and PBO lines', () => {
    const run = buildRun();
    const best = run.trials[run.best!]!;
    const text = formatOptimizeSummary(run, { applied: 'dry run: nothing applied', reportPath: 'r/report.html' });
    const lines = text.split('\n');
    expect(text.endsWith('\n')).toBe(true);
    expect(lines[0]).toBe(HEADER);
    expect(lines[1]).toMatch(
      new RegExp(
        `^chosen θ1=\\d\\.\\d+, θ2=\\d\\.\\d+ from the TPE search \\(trial ${best.index}\\): score \\d\\.\\d{4}; `,
      ),
    );
    expect(lines[1]).toContain(`trades/yr ${best.kpis.tradesPerYear.toFixed(1)}`);
    expect(lines[1]).toContain('Sharpe ');
    expect(lines[1]).toContain('(daily ×√252)');
    expect(lines[2]).toBe(`Pareto set (Sharpe ↑, MaxDD ↓): ${run.pareto.length} trials`);
    const table = lines.slice(3, 4 + Math.min(run.pareto.length, MAX_PARETO_ROWS));
    expect(table[0]).toMatch(/^ {2}trial +stage +θ1 +θ2 +Sharpe +MaxDD +trades\/yr +score +feasible$/);
    expect(table.slice(1).map((l) => Number(l.trim().split(/\s+/)[0]))).toEqual(run.pareto.slice(0, MAX_PARETO_ROWS));
    expect(table.filter((l) => l.endsWith('← chosen'))).toHaveLength(run.pareto.includes(run.best!) ? 1 : 0);
    const rest = lines.slice(3 + table.length);
    expect(rest).toEqual([
      'held out 2025-06-01 → 2025-12-31, chosen θ: annual return 6.10%, Sharpe 0.74 (daily ×√252), MaxDD 8.30%, ' +
        'trades/yr 171.4, AI2 false-stop 7.10%, 100 trades',
      'Deflated Sharpe 0.73 (N = 378 trials, SR0 0.041/day, observed 0.055/day)',
      'PBO 0.31 (CSCV, 16 blocks, 12870 combinations)',
      'dry run: nothing applied',
      'report r/report.html',
      '',
    ]);
    expect(text).not.toContain('no feasible');
  });

  it('names the seed or quantile grid when the chosen θ came from one', () => {
    const run = buildRun();
    run.best = run.trials.findIndex((t) => t.stage === 'quantile_grid' && t.feasible);
    expect(formatOptimizeSummary(run).split('\n')[1]).toMatch(/ from the quantile grid \(trial \d+\)/);
  });

  it('when nothing is feasible prints exactly one no-feasible line, says nothing is applied and applies nothing', () => {
    const run = buildInfeasibleRun();
    const text = formatOptimizeSummary(run, { applied: 'applied θ1=0.62' });
    const lines = text.split('\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines[1]).toBe(NO_FEASIBLE);
    expect(lines.filter((l) => l.startsWith('no feasible θ'))).toEqual([NO_FEASIBLE]);
    expect(lines[2]).toBe('nothing applied: the hard constraints (MaxDD ≤ 12%, trades/yr ≥ 150) are never relaxed');
    expect(text).not.toContain('chosen θ1');
    expect(text).not.toContain('applied θ1');
    expect(text).toContain('held out 2025-06-01 → 2025-12-31: not run (no chosen θ)\n');
    expect(text).toContain('Deflated Sharpe: not computed (no chosen θ)\n');
    expect(text).toContain('PBO 0.31 (CSCV, 16 blocks, 12870 combinations)\n');
  });

  it('says the holdout and DSR were not run without blaming a missing choice when there is one', () => {
    const run = buildRun();
    delete run.holdoutKpis;
    delete run.dsr;
    delete run.pbo;
    const text = formatOptimizeSummary(run);
    expect(text).toContain('held out 2025-06-01 → 2025-12-31: not run\n');
    expect(text).toContain('Deflated Sharpe: not computed\nPBO: not computed\n');
  });

  it('shows quantile θ with four decimals and caps the printed Pareto table', () => {
    const run = buildRun();
    run.pareto = run.trials.map((_, i) => i).slice(0, MAX_PARETO_ROWS + 5);
    const text = formatOptimizeSummary(run);
    expect(text).toContain(`  … 5 more in trials.csv (pareto = 1)`);
    expect(text).toMatch(/chosen θ1=0\.\d{1,4}, θ2=0\.\d{1,4} /);
  });
});

describe('trialsTable', () => {
  it('has one row per trial in the stated columns, with 0/1 flags matching pareto, best and feasibility', async () => {
    const run = buildRun();
    const cols = trialsTable(run);
    expect(cols.map((c) => c.name)).toEqual([...TRIAL_COLUMNS]);
    expect(cols.map((c) => c.name)).toEqual([
      'index',
      'stage',
      'theta1',
      'theta2',
      'score',
      'feasible',
      'reason',
      'annual_return',
      'sharpe',
      'max_dd',
      'trades_per_year',
      'fp_rate_ai2',
      'trades',
      'pareto',
      'chosen',
    ]);
    for (const c of cols) expect(c.values.length).toBe(378);
    const col = (name: string) => Array.from(cols.find((c) => c.name === name)!.values as ArrayLike<number>);
    expect(cols.filter((c) => c.kind === 'varchar').map((c) => c.name)).toEqual(['stage', 'reason']);
    const chosen = col('chosen');
    expect(chosen.filter((v) => v === 1)).toHaveLength(1);
    expect(chosen.indexOf(1)).toBe(run.best);
    expect(chosen.every((v) => v === 0 || v === 1)).toBe(true);
    const pareto = col('pareto');
    expect(pareto.flatMap((v, i) => (v === 1 ? [i] : []))).toEqual([...run.pareto].sort((a, b) => a - b));
    expect(col('feasible')).toEqual(run.trials.map((t) => (t.feasible ? 1 : 0)));
    expect(col('index')).toEqual(run.trials.map((t) => t.index));
    expect(col('trades_per_year')).toEqual(run.trials.map((t) => t.kpis.tradesPerYear));
    expect(trialsTableMetadata(run)).toMatchObject({ run_id: run.runId, model_version: run.modelVersion, seed: '42' });

    // Through the real CSV writer: a header and 378 rows; NaN written empty.
    const dir = mkdtempSync(join(tmpdir(), 'pt-trials-'));
    try {
      const path = join(dir, 'trials.csv');
      await writeCsvTable(path, cols);
      const rows = readFileSync(path, 'utf8').trimEnd().split('\n');
      expect(rows[0]).toBe(TRIAL_COLUMNS.join(','));
      expect(rows).toHaveLength(379);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has no chosen row when nothing is feasible', () => {
    const cols = trialsTable(buildInfeasibleRun());
    const chosen = Array.from(cols.find((c) => c.name === 'chosen')!.values as ArrayLike<number>);
    expect(chosen.every((v) => v === 0)).toBe(true);
    const reasons = cols.find((c) => c.name === 'reason')!.values as readonly string[];
    expect(reasons[25]).toBe('trades_per_year 31 < 150');
  });
});

describe('renderOptimizeReport', () => {
  const cellsOf = (html: string, grid: string) =>
    count(html, new RegExp(`<g class="hm-cell" data-grid="${grid}"`, 'g'));

  it('is one self-contained document: no scripts, no URLs, the same CSP as the backtest report', () => {
    const html = renderOptimizeReport(buildRun());
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(count(html, '<html')).toBe(1);
    expect(count(html, '</html>')).toBe(1);
    expect(count(html, '<body>')).toBe(1);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('draws every cell of both grids for score and trades/yr (169 each), hatches infeasible ones', () => {
    const run = buildRun();
    const html = renderOptimizeReport(run);
    expect(cellsOf(html, 'seed')).toBe(2 * 169);
    expect(cellsOf(html, 'quantile')).toBe(2 * 169);
    for (const grid of ['seed', 'quantile'] as const)
      for (const t1 of run.grids[grid].theta1)
        for (const t2 of run.grids[grid].theta2)
          expect(count(html, `data-grid="${grid}" data-theta1="${t1}" data-theta2="${t2}"`)).toBe(2);
    const infeasibleOnGrids = run.trials.filter((t) => t.stage !== 'tpe' && !t.feasible).length;
    expect(count(html, /fill="url\(#hatch-(seed|quantile)-(score|trades)\)"/g)).toBe(2 * infeasibleOnGrids);
    expect(count(html, 'data-feasible="0"')).toBe(2 * infeasibleOnGrids);
    // The chosen θ came from TPE: no grid cell is outlined, but the scatter rings it.
    expect(count(html, 'class="chosen-outline"')).toBe(0);
    expect(count(html, 'class="chosen-mark"')).toBe(1);
    expect(count(html, /came from the TPE search, so no cell here is outlined/g)).toBe(2);
    expect(html).toContain('Deflated Sharpe 0.73 (N = 378 trials, SR0 0.041/day, observed 0.055/day)');
    expect(html).toContain('PBO 0.31 (CSCV, 16 blocks, 12870 combinations)');
  });

  it('outlines the chosen cell on both maps of its grid', () => {
    const run = buildRun();
    run.best = run.trials.findIndex((t) => t.stage === 'quantile_grid' && t.feasible);
    const t = run.trials[run.best]!;
    const html = renderOptimizeReport(run);
    expect(count(html, 'class="chosen-outline"')).toBe(2);
    expect(
      count(
        html,
        `data-grid="quantile" data-theta1="${t.theta1}" data-theta2="${t.theta2}" data-trial="${t.index}" data-feasible="1" data-chosen="1"`,
      ),
    ).toBe(2);
  });

  it('keeps a cell where no trial ran, grey and marked missing', () => {
    const run = buildRun();
    run.trials = run.trials.filter((t) => !(t.stage === 'seed_grid' && t.theta1 === 0.6 && t.theta2 === 0.2));
    const html = renderOptimizeReport(run);
    expect(cellsOf(html, 'seed')).toBe(2 * 169);
    expect(count(html, 'data-grid="seed" data-theta1="0.6" data-theta2="0.2" data-missing="1"')).toBe(2);
  });

  it('says no feasible θ on one escaped line, outlines the nearest and applies nothing', () => {
    const run = buildInfeasibleRun();
    const html = renderOptimizeReport(run);
    expect(html).toContain(
      '<p class="headline none-feasible">no feasible θ (nearest θ1=0.62, θ2=0.44; binding: trades_per_year 31 &lt; 150)</p>',
    );
    expect(html).toContain('nothing applied');
    expect(count(html, 'class="nearest-outline"')).toBe(2);
    expect(count(html, 'class="chosen-outline"')).toBe(0);
    expect(count(html, 'class="chosen-mark"')).toBe(0);
    expect(cellsOf(html, 'seed')).toBe(2 * 169);
    expect(html).not.toMatch(/<script/i);
  });

  it('escapes every text it is given', () => {
    const run: OptimizeRun = {
      ...buildRun(),
      modelVersion: 'v<b>"&\'',
      pairIds: ['<img src=x onerror=y>'],
      runId: '</title>',
    };
    run.trials = run.trials.map((t, i) => (i === 0 ? { ...t, reason: '<i>bad</i>' } : t));
    const html = renderOptimizeReport(run);
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<i>bad');
    expect(html).toContain('(&lt;/title&gt;)</title>');
    expect(html).toContain('v&lt;b&gt;&quot;&amp;&#39;');
    expect(html).toContain('&lt;img src=x onerror=y&gt;');
    expect(html).toContain('&lt;i&gt;bad&lt;/i&gt;');
  });
});

describe('grid and history helpers', () => {
  it('gridTrials matches float θ to the axes and lists every cell once', () => {
    const run = buildRun();
    const cells = gridTrials(run, 'quantile_grid', run.grids.quantile);
    expect(cells).toHaveLength(169);
    expect(new Set(cells.map((c) => `${c.i1},${c.i2}`)).size).toBe(169);
    for (const c of cells) {
      const t = run.trials[c.trial!]!;
      expect(t.stage).toBe('quantile_grid');
      expect(t.theta1).toBe(run.grids.quantile.theta1[c.i1]);
      expect(t.theta2).toBe(run.grids.quantile.theta2[c.i2]);
    }
  });

  it('bestSoFar is the running maximum of feasible scores, NaN before the first feasible trial', () => {
    const run = buildRun();
    const best = bestSoFar(run);
    const first = run.trials.findIndex((t) => t.feasible);
    expect(best.slice(0, first).every(Number.isNaN)).toBe(true);
    expect(best.at(-1)).toBe(run.trials[run.best!]!.score);
    for (let i = first + 1; i < best.length; i++) expect(best[i]).toBeGreaterThanOrEqual(best[i - 1]!);
    expect(bestSoFar(buildInfeasibleRun()).every(Number.isNaN)).toBe(true);
  });
});
