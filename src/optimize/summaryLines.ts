// The sentences an optimise run is told in, shared by the printed summary and report.html so both say
// the same thing: the run line, the chosen θ, the no-feasible line, the held-out result, DSR and PBO.
import type { OptimizeRun, TrialKpis, TrialRecord, TrialStage } from './optimizeRun.js';

export const STAGES: readonly TrialStage[] = ['seed_grid', 'quantile_grid', 'tpe'];

const STAGE_NAMES: Record<TrialStage, string> = { seed_grid: 'seed grid', quantile_grid: 'quantile grid', tpe: 'TPE' };

export function stageName(stage: TrialStage): string {
  return STAGE_NAMES[stage];
}

/** `the seed grid`, `the quantile grid`, `the TPE search`. */
export function spaceText(stage: TrialStage): string {
  return stage === 'tpe' ? 'the TPE search' : `the ${STAGE_NAMES[stage]}`;
}

/** θ for reading: at most 4 decimals, trailing zeros dropped (0.62, 0.0735); full precision is in trials.csv. */
export function formatTheta(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toFixed(4))) : '-';
}

export const pct = (x: number, digits = 2): string => (Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : '-');
export const num = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : '-');

const day = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '?');

/** `2024-01-01 → 2025-06-30` (UTC days). */
export function periodText(p: { from: number; to: number }): string {
  return `${day(p.from)} → ${day(p.to)}`;
}

export function stageCounts(run: OptimizeRun): Record<TrialStage, number> {
  const counts: Record<TrialStage, number> = { seed_grid: 0, quantile_grid: 0, tpe: 0 };
  for (const t of run.trials) counts[t.stage]++;
  return counts;
}

/** `169 seed grid + 169 quantile grid + 40 TPE = 378 trials` */
export function trialCountText(run: OptimizeRun): string {
  const c = stageCounts(run);
  return `${STAGES.map((s) => `${c[s]} ${stageName(s)}`).join(' + ')} = ${run.trials.length} trials`;
}

/** The one header line: model, pairs, timeframe, periods and trial counts per stage. */
export function headerLine(run: OptimizeRun): string {
  const pairs = `${run.pairIds.length} pair${run.pairIds.length === 1 ? '' : 's'} (${run.pairIds.join(', ')})`;
  return `optimize ${run.runId}: model ${run.modelVersion}, ${pairs}, ${run.timeframe}; selection ${periodText(run.selection)}, holdout ${periodText(run.holdout)} (UTC); ${trialCountText(run)}, seed ${run.seed}`;
}

/** `annual return 18.20%, Sharpe 1.45, MaxDD 8.10%, trades/yr 212.0, AI2 false-stop 6.00%, 530 trades` */
export function kpiText(k: TrialKpis): string {
  return `annual return ${pct(k.annualReturn)}, Sharpe ${num(k.sharpe)} (daily ×√252), MaxDD ${pct(k.maxDd)}, trades/yr ${num(k.tradesPerYear, 1)}, AI2 false-stop ${pct(k.fpRateAi2)}, ${k.trades} trades`;
}

export function thetaText(t: Pick<TrialRecord, 'theta1' | 'theta2'>): string {
  return `θ1=${formatTheta(t.theta1)}, θ2=${formatTheta(t.theta2)}`;
}

/** The chosen θ, its space, score and KPIs; undefined when nothing is feasible. */
export function chosenLine(run: OptimizeRun): string | undefined {
  const t = run.best === undefined ? undefined : run.trials[run.best];
  if (!t) return undefined;
  return `chosen ${thetaText(t)} from ${spaceText(t.stage)} (trial ${t.index}): score ${num(t.score, 4)}; ${kpiText(t.kpis)}`;
}

/** `no feasible θ (nearest θ1=0.62, θ2=0.44; binding: trades_per_year 31 < 150)` */
export function noFeasibleLine(run: OptimizeRun): string {
  const t = run.nearest === undefined ? undefined : run.trials[run.nearest];
  if (!t) return `no feasible θ (no trial ran)`;
  return `no feasible θ (nearest ${thetaText(t)}; binding: ${t.reason || 'unknown'})`;
}

/** What is never done when nothing is feasible. */
export function nothingAppliedLine(run: Pick<OptimizeRun, 'constraints'>): string {
  const c = run.constraints;
  const which = c ? ` (MaxDD ≤ ${pct(c.maxDd, 0)}, trades/yr ≥ ${c.tradesPerYear})` : '';
  return `nothing applied: the hard constraints${which} are never relaxed`;
}

/** The chosen θ re-run on the held-out last 20 % of the OOS period. */
export function holdoutLine(run: OptimizeRun): string {
  const head = `held out ${periodText(run.holdout)}`;
  if (!run.holdoutKpis) return `${head}: not run${run.best === undefined ? ' (no chosen θ)' : ''}`;
  return `${head}, chosen θ: ${kpiText(run.holdoutKpis)}`;
}

/** `Deflated Sharpe 0.73 (N = 378 trials, SR0 0.041/day, observed 0.055/day)` */
export function dsrLine(run: Pick<OptimizeRun, 'dsr'> & { best?: unknown }): string {
  const d = run.dsr;
  if (!d) return `Deflated Sharpe: not computed${run.best === undefined ? ' (no chosen θ)' : ''}`;
  return `Deflated Sharpe ${num(d.dsr)} (N = ${d.trials} trials, SR0 ${num(d.sr0, 3)}/day, observed ${num(d.srHat, 3)}/day)`;
}

/** `PBO 0.31 (CSCV, 16 blocks, 12870 combinations)` */
export function pboLine(run: Pick<OptimizeRun, 'pbo'>): string {
  const p = run.pbo;
  if (!p) return 'PBO: not computed';
  return `PBO ${num(p.pbo)} (CSCV, ${p.blocks} blocks, ${p.combinations} combinations)`;
}
