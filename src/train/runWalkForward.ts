// Expanding walk-forward (SPEC §4): each step fits on the purged past, predicts its test window; the
// out-of-sample predictions of all steps are concatenated and scored.
import type { PtConfig } from '../config/schemas/index.js';
import { evaluate, type ModelMetrics } from './evaluate.js';
import { degenerateFit, fitModel, predictRows } from './fitModel.js';
import type { KindPlan, ModelKind } from './kindPlan.js';

export interface WalkForwardReport {
  kind: ModelKind;
  steps: number;
  /** Dataset rows predicted out of sample, in step order, and their calibrated probabilities. */
  rows: Uint32Array;
  probs: Float64Array;
  /** Per OOS row: the walk-forward step that predicted it, and the last bar time (UTC ms) any label its model fitted on reached (max t1 of the step's train and validation rows). */
  rowStep: Int32Array;
  rowTrainEnd: Float64Array;
  metrics: ModelMetrics;
  warnings: string[];
  /** Steps whose model learned nothing (degenerateFit on the step's test rows). */
  degenerateSteps: number;
}

export function runWalkForward(
  config: PtConfig,
  plan: KindPlan,
  seed: number,
  onStep?: (done: number, total: number) => void,
): WalkForwardReport {
  const { data, kind } = plan;
  const wf = plan.walkForward;
  const rows: number[] = [];
  const probs: number[] = [];
  const rowStep: number[] = [];
  const rowTrainEnd: number[] = [];
  let degenerateSteps = 0;
  wf.steps.forEach((step, i) => {
    // A step whose past holds fewer than two events, or only validation, has nothing to fit on.
    const past = step.train.length + step.valid.length + step.validationPurged;
    if (past >= 2 && step.train.length > 0 && step.test.length > 0) {
      const fit = fitModel(config, data, step.train, step.valid, seed);
      const p = predictRows(fit, data, step.test);
      if (degenerateFit(fit, data, step.test).degenerate) degenerateSteps++;
      // What the step's model saw: the optimiser refuses predictions at or before it (OOS only).
      let trainEnd = Number.NEGATIVE_INFINITY;
      for (const k of step.train) trainEnd = Math.max(trainEnd, data.t1[k]!);
      for (const k of step.valid) trainEnd = Math.max(trainEnd, data.t1[k]!);
      for (let j = 0; j < step.test.length; j++) {
        rows.push(step.test[j]!);
        probs.push(p[j]!);
        rowStep.push(i);
        rowTrainEnd.push(trainEnd);
      }
    }
    onStep?.(i + 1, wf.steps.length);
  });
  const r = Uint32Array.from(rows);
  const p = Float64Array.from(probs);
  return {
    kind,
    steps: wf.steps.length,
    rows: r,
    probs: p,
    rowStep: Int32Array.from(rowStep),
    rowTrainEnd: Float64Array.from(rowTrainEnd),
    metrics: evaluate(
      kind,
      p,
      Uint8Array.from(r, (k) => data.y[k]!),
      config.core_policy.theta2_initial,
    ),
    warnings: wf.warnings,
    degenerateSteps,
  };
}
