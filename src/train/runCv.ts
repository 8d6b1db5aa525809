// Purged K-fold of one model kind over a group (SPEC §4): a fit per fold, metrics on its test block.
import type { PtConfig } from '../config/schemas/index.js';
import { countRoles, type FoldRoleCounts } from '../cv/index.js';
import { evaluate, METRIC_COLUMNS, summarise, type ModelMetrics } from './evaluate.js';
import type { DegenerateVerdict } from '../ml/degenerateModel.js';
import { degenerateFit, fitModel, predictRows } from './fitModel.js';
import { positivesIn, type KindPlan, type ModelKind } from './kindPlan.js';

export type { ModelKind } from './kindPlan.js';

/** What one fold or walk-forward step holds: role counts, positives and its test/validation spans (UTC ms). */
export interface FoldLayout {
  fold: number;
  counts: FoldRoleCounts;
  positives: { train: number; valid: number; test: number };
  test: { start: number; end: number };
  valid?: { start: number; end: number };
  /** Walk-forward only: a last step shorter than wf_step_days. */
  partial?: boolean;
}

export interface FoldReport extends FoldLayout {
  metrics: ModelMetrics;
  /** Whether the fold's model learned anything, judged on its test rows. */
  degenerate: DegenerateVerdict;
}

export interface CvReport {
  kind: ModelKind;
  folds: FoldReport[];
  summary: Record<string, { mean: number; std: number }>;
  warnings: string[];
}

interface SplitSets {
  roles: Uint8Array;
  train: Uint32Array;
  valid: Uint32Array;
  test: Uint32Array;
  validSpan?: { start: number; end: number };
}

function layoutOf(y: Uint8Array, index: number, sets: SplitSets, test: { start: number; end: number }): FoldLayout {
  return {
    fold: index + 1,
    counts: countRoles(sets.roles),
    positives: {
      train: positivesIn(y, sets.train),
      valid: positivesIn(y, sets.valid),
      test: positivesIn(y, sets.test),
    },
    test,
    ...(sets.validSpan ? { valid: { start: sets.validSpan.start, end: sets.validSpan.end } } : {}),
  };
}

/** The K-fold folds of a plan, counted from their roles. */
export function kFoldLayouts(plan: KindPlan): FoldLayout[] {
  return plan.kFold.folds.map((f, i) => layoutOf(plan.data.y, i, f, { start: f.block.start, end: f.block.end }));
}

/** The walk-forward steps of a plan, counted from their roles. */
export function walkForwardLayouts(plan: KindPlan): FoldLayout[] {
  return plan.walkForward.steps.map((s, i) => ({
    ...layoutOf(plan.data.y, i, s, { start: s.testStart, end: s.testEnd }),
    partial: s.partial,
  }));
}

/** Warnings of the plan's options and splitters, in the order they arise. */
export function planWarnings(plan: KindPlan): string[] {
  return [...plan.options.warnings, ...plan.kFold.warnings];
}

export function runCv(
  config: PtConfig,
  plan: KindPlan,
  seed: number,
  onFold?: (done: number, total: number) => void,
): CvReport {
  const { data, kind } = plan;
  const layouts = kFoldLayouts(plan);
  const theta2 = config.core_policy.theta2_initial;
  const folds: FoldReport[] = [];
  plan.kFold.folds.forEach((fold, i) => {
    if (fold.train.length === 0 || fold.test.length === 0) return;
    const fit = fitModel(config, data, fold.train, fold.valid, seed);
    const probs = predictRows(fit, data, fold.test);
    folds.push({
      ...layouts[i]!,
      metrics: evaluate(
        kind,
        probs,
        Uint8Array.from(fold.test, (r) => data.y[r]!),
        theta2,
      ),
      degenerate: degenerateFit(fit, data, fold.test),
    });
    onFold?.(i + 1, plan.kFold.folds.length);
  });
  return {
    kind,
    folds,
    summary: summarise(
      folds.map((f) => f.metrics),
      METRIC_COLUMNS[kind],
    ),
    warnings: planWarnings(plan),
  };
}
