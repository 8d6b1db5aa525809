// Which trial sits on each cell of a θ1 × θ2 grid: the grid stage's trials matched to the grid's axes.
import type { OptimizeRun, TrialRecord, TrialStage } from '../optimizeRun.js';

export interface GridCellTrial {
  /** Position on the axes: i1 into theta1, i2 into theta2. */
  i1: number;
  i2: number;
  /** Index into run.trials; undefined when no trial of the stage ran at that point. */
  trial?: number;
}

/** Index of `v` on `axis` within a relative 1e-9, or -1. */
function axisIndex(axis: readonly number[], v: number): number {
  return axis.findIndex((a) => Math.abs(a - v) <= 1e-9 * Math.max(1, Math.abs(a)));
}

/** Every cell of the grid (theta1.length × theta2.length), with the first trial of `stage` run at it. */
export function gridTrials(
  run: OptimizeRun,
  stage: TrialStage,
  axes: { theta1: readonly number[]; theta2: readonly number[] },
): GridCellTrial[] {
  const at = new Map<string, number>();
  run.trials.forEach((t: TrialRecord, i) => {
    if (t.stage !== stage) return;
    const i1 = axisIndex(axes.theta1, t.theta1);
    const i2 = axisIndex(axes.theta2, t.theta2);
    const key = `${i1},${i2}`;
    if (i1 >= 0 && i2 >= 0 && !at.has(key)) at.set(key, i);
  });
  const cells: GridCellTrial[] = [];
  for (let i2 = 0; i2 < axes.theta2.length; i2++)
    for (let i1 = 0; i1 < axes.theta1.length; i1++) {
      const trial = at.get(`${i1},${i2}`);
      cells.push(trial === undefined ? { i1, i2 } : { i1, i2, trial });
    }
  return cells;
}
