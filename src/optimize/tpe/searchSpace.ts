// The TPE search space: bounded continuous parameters, optionally quantised to a step (θ step 0.02).
import { PtError } from '../../core/ptError.js';
import type { SeededRng } from '../../core/rng.js';

export interface TpeParam {
  name: string;
  low: number;
  high: number;
  /** Grid spacing; values are low + k·step. The top is lowered to the last grid point, as Optuna does. */
  step?: number;
}

/** A checked parameter; `low`/`high` below are the bounds the Parzen kernels are truncated to. */
export interface SpaceParam {
  readonly name: string;
  readonly low: number;
  readonly high: number;
  /** 0 for continuous. */
  readonly step: number;
  /** Kernel bounds: low − step/2 and high + step/2 for a stepped parameter, so every grid point gets a full cell. */
  readonly kernelLow: number;
  readonly kernelHigh: number;
}

/** Validates and normalises a search space; empty or inverted ranges are refused, never widened. */
export function searchSpace(params: readonly TpeParam[]): SpaceParam[] {
  if (params.length === 0) throw invalid('the TPE search space has no parameter');
  const seen = new Set<string>();
  return params.map((p) => {
    if (seen.has(p.name)) throw invalid(`TPE parameter ${p.name} is listed twice`);
    seen.add(p.name);
    if (!Number.isFinite(p.low) || !Number.isFinite(p.high) || !(p.low < p.high)) {
      throw invalid(`TPE parameter ${p.name} has an empty range [${p.low}, ${p.high}]`);
    }
    const step = p.step ?? 0;
    if (!Number.isFinite(step) || step < 0) throw invalid(`TPE parameter ${p.name} has a bad step ${p.step}`);
    if (step > p.high - p.low) {
      throw invalid(`TPE parameter ${p.name}: step ${step} is wider than the range [${p.low}, ${p.high}]`);
    }
    const high = step > 0 ? tidy(p.low + Math.floor((p.high - p.low) / step + 1e-9) * step) : p.high;
    return { name: p.name, low: p.low, high, step, kernelLow: p.low - step / 2, kernelHigh: high + step / 2 };
  });
}

/** Rounds a kernel draw to the grid and into the bounds (Optuna's discrete truncnorm). */
export function quantize(param: SpaceParam, x: number): number {
  if (param.step === 0) return Math.min(param.high, Math.max(param.low, x));
  const k = Math.round((x - param.low) / param.step);
  return Math.min(param.high, Math.max(param.low, tidy(param.low + k * param.step)));
}

/** A uniform draw: continuous on [low, high], or uniform over the grid points (the startup trials). */
export function sampleUniform(param: SpaceParam, rng: SeededRng): number {
  return quantize(param, param.kernelLow + rng.next() * (param.kernelHigh - param.kernelLow));
}

/** Drops float noise such as 0.62000000000000001 from grid values, so θ prints and compares cleanly. */
function tidy(x: number): number {
  return Number.parseFloat(x.toPrecision(12));
}

function invalid(message: string): PtError {
  return new PtError('CORE_CONFIG_INVALID', message, { source: 'optimize' });
}
