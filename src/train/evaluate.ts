// SPEC §4 metrics of one model on one set of rows: AI1 — AUC, Brier, PR-AUC, ECE; AI2 — weighted F1
// at risk = 1, PR-AUC, recall in the low-risk band (score < θ2). Undefined metrics are NaN.
import { auc, averagePrecision, brier, ece, recallInBand, weightedF1AtPositive } from '../ml/metrics/index.js';

export interface ModelMetrics {
  n: number;
  positives: number;
  auc: number;
  brier: number;
  pr_auc: number;
  ece: number;
  /** AI2 only. */
  f1_risk?: number;
  recall_low_risk?: number;
}

function safe(f: () => number): number {
  try {
    return f();
  } catch {
    return Number.NaN;
  }
}

export function evaluate(kind: 'ai1' | 'ai2', probs: Float64Array, labels: Uint8Array, theta2: number): ModelMetrics {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  const twoClasses = positives > 0 && positives < labels.length;
  const m: ModelMetrics = {
    n: labels.length,
    positives,
    auc: twoClasses ? safe(() => auc(probs, labels)) : Number.NaN,
    brier: labels.length ? safe(() => brier(probs, labels)) : Number.NaN,
    pr_auc: positives > 0 ? safe(() => averagePrecision(probs, labels)) : Number.NaN,
    ece: labels.length ? safe(() => ece(probs, labels, 10)) : Number.NaN,
  };
  if (kind === 'ai2') {
    const preds = Uint8Array.from(probs, (p) => (p >= theta2 ? 1 : 0));
    m.f1_risk = safe(() => weightedF1AtPositive(preds, labels));
    m.recall_low_risk = safe(() => recallInBand(probs, labels, theta2));
  }
  return m;
}

export const METRIC_COLUMNS: Record<'ai1' | 'ai2', Array<keyof ModelMetrics>> = {
  ai1: ['n', 'positives', 'auc', 'brier', 'pr_auc', 'ece'],
  ai2: ['n', 'positives', 'auc', 'pr_auc', 'f1_risk', 'recall_low_risk', 'brier', 'ece'],
};

/** Mean and sample std of each metric over folds (NaN folds left out). */
export function summarise(
  rows: ModelMetrics[],
  keys: Array<keyof ModelMetrics>,
): Record<string, { mean: number; std: number }> {
  const out: Record<string, { mean: number; std: number }> = {};
  for (const k of keys) {
    const xs = rows.map((r) => r[k] as number).filter((v) => Number.isFinite(v));
    const mean = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;
    const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : Number.NaN;
    out[k] = { mean, std };
  }
  return out;
}
