// A model version that learned nothing must not filter trades: θ1 on a constant AI1 passes every
// entry or none. The model bundle (backtest and live) refuses it when loading (docs/models.md).
import { PtError } from '../core/ptError.js';
import { describeDegenerate, type DegenerateReason } from './degenerateModel.js';
import { onnxSplitCount, readOnnxGraphInfo } from './onnx/index.js';

type Kind = 'ai1' | 'ai2';

/** The reasons pt train recorded in metrics.json `final.<kind>.degenerate` (absent in older and imported versions). */
function recordedReasons(metrics: unknown, kind: Kind): string[] {
  const final = (metrics as { final?: Record<string, { degenerate?: { degenerate?: unknown; reasons?: unknown } }> })
    ?.final?.[kind]?.degenerate;
  if (final?.degenerate !== true) return [];
  return Array.isArray(final.reasons) ? final.reasons.map(String) : ['degenerate'];
}

/**
 * Why each model of a version learned nothing: the flags pt train signed into metrics.json, and for
 * any version (imported ones carry no flags) `no_split` when its ONNX tree ensemble has no branch node.
 */
export function degenerateReasons(metrics: unknown, onnx: Record<Kind, Uint8Array>): Record<Kind, string[]> {
  const out = { ai1: [] as string[], ai2: [] as string[] };
  for (const kind of ['ai1', 'ai2'] as const) {
    const reasons = recordedReasons(metrics, kind);
    const noSplit: DegenerateReason = 'no_split';
    if (!reasons.includes(noSplit) && onnxSplitCount(readOnnxGraphInfo(onnx[kind])) === 0) reasons.push(noSplit);
    out[kind] = reasons;
  }
  return out;
}

/** Throws CORE_MODEL_DEGEN naming each model of `version` that learned nothing, and why. */
export function refuseDegenerateBundle(version: string, metrics: unknown, onnx: Record<Kind, Uint8Array>): void {
  const reasons = degenerateReasons(metrics, onnx);
  const bad = (['ai1', 'ai2'] as const).filter((k) => reasons[k].length > 0);
  if (bad.length === 0) return;
  const what = bad
    .map((k) => `${k.toUpperCase()} learned nothing (${reasons[k].join(', ')}: ${describeDegenerate(reasons[k])})`)
    .join('; ');
  throw new PtError(
    'CORE_MODEL_DEGEN',
    `${version}: ${what}; refusing to filter trades with it: run with --rule-only for the z-score rules alone, or retrain on more data`,
    { source: 'models', details: reasons },
  );
}
