// Normalises raw commander option values once, at entry, into typed values (or one-line usage errors).
import { PtError } from '../core/ptError.js';
import { maybeTimeframe, parseUtcMs, type Timeframe } from '../core/time.js';
import type { PtConfig } from '../config/schemas/index.js';

export function maybeSymbols(value: unknown, required = true): string[] {
  if (value === undefined || value === '') {
    if (required)
      throw new PtError('CORE_CLI_USAGE', '--symbols is required (e.g. --symbols XAUUSD,XAGUSD)', { exitCode: 2 });
    return [];
  }
  const list = String(value)
    .split(',')
    .map((s) =>
      s
        .trim()
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, ''),
    )
    .filter(Boolean);
  if (list.length === 0)
    throw new PtError('CORE_CLI_USAGE', `--symbols "${String(value)}" names no symbol`, { exitCode: 2 });
  return [...new Set(list)];
}

export function maybeTimeframeOption(value: unknown, config: PtConfig): Timeframe {
  const tf = maybeTimeframe(String(value ?? config.pipeline_policy.timeframe_default));
  if (!(config.pipeline_policy.timeframe_allowed as string[]).includes(tf)) {
    throw new PtError('CORE_CLI_USAGE', `timeframe ${tf} is not in timeframe_allowed of pipeline_policy.yaml`, {
      exitCode: 2,
    });
  }
  return tf;
}

export function maybeDate(value: unknown, flag: string): number | undefined {
  return value === undefined ? undefined : parseUtcMs(String(value), flag);
}

export function maybePositiveNumber(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new PtError('CORE_CLI_USAGE', `${flag} must be a positive number, got "${String(value)}"`, { exitCode: 2 });
  return n;
}

/** A probability threshold in [0, 1] (θ1, θ2). */
export function maybeProbability(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (String(value).trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
    throw new PtError('CORE_CLI_USAGE', `${flag} must be a number in [0, 1], got "${String(value)}"`, { exitCode: 2 });
  return n;
}

export function maybeRange(fromMs: number | undefined, toMs: number | undefined): void {
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    throw new PtError('CORE_CLI_USAGE', `--from must be before --to`, { exitCode: 2 });
  }
}
