// Normalises raw commander option values once, at entry, into typed values (or one-line usage errors).
// Pure: no file or network access; the config comes in for config-driven defaults.
import { resolve } from 'node:path';
import { PtError } from '../../core/ptError.js';
import { checkedYearMonth, maybeTimeframe, parseUtcMs, type Timeframe } from '../../core/time.js';
import type { PtConfig } from '../../config/schemas/index.js';
import { ZoneClock } from '../../core/zoneClock.js';

/** The raw option record commander hands a command (flags camelCased, table defaults applied). */
export type RawOptions = Record<string, unknown>;

export function usageError(message: string): PtError {
  return new PtError('CORE_CLI_USAGE', message, { exitCode: 2 });
}

/** -c/--config-dir, before the config is loaded. */
export function configDirOption(raw: RawOptions): string | undefined {
  return raw.configDir === undefined ? undefined : String(raw.configDir);
}

/**
 * A flag whose default the command table declares (commander has set it before any parser runs);
 * empty or absent is a usage error, never a second default here.
 */
export function tableDefaulted(raw: RawOptions, key: string, flag: string): string {
  const value = raw[key];
  if (value === undefined || value === '') throw usageError(`${flag} needs a value`);
  return String(value);
}

/**
 * --tz: a zone, a shifted zone (`NY+7`, `EET@-1`) or `file`, checked up front (CORE_CLI_USAGE for an
 * unknown one); undefined when not given (the csv reader then decides by layout).
 */
export function maybeClock(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  if (text === '') throw usageError('--tz needs a value (e.g. UTC, EET, NY+7 or file)');
  if (text.toLowerCase() === 'file') return 'file';
  ZoneClock.of(text);
  return text;
}

/**
 * --ignore-offsets: read the wall times of timestamps that carry a wrong offset (MT5 Python exports
 * label broker time +00:00) in the clock --tz names. It needs a --tz zone to read them in.
 */
export function ignoreOffsetsOption(raw: RawOptions, tz: string | undefined): boolean {
  if (!raw.ignoreOffsets) return false;
  if (tz === undefined || tz === 'file')
    throw usageError(
      '--ignore-offsets reads the written wall times in the clock --tz names: pass --tz ZONE (e.g. --tz EET), not --tz file',
    );
  return true;
}

/** A path flag with a table default, as an absolute path. */
export function tableDefaultedPath(raw: RawOptions, key: string, flag: string): string {
  return resolve(tableDefaulted(raw, key, flag));
}

/** An optional path flag as an absolute path. */
export function maybePath(value: unknown): string | undefined {
  return value === undefined ? undefined : resolve(String(value));
}

/** One of a few words (e.g. ai1 | ai2 | all). */
export function maybeChoice<T extends string>(value: unknown, flag: string, choices: readonly T[]): T {
  const text = String(value);
  if (!(choices as readonly string[]).includes(text)) {
    const listed = `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`;
    throw usageError(`${flag} must be ${listed}, got "${text}"`);
  }
  return text as T;
}

/** Longest canonical symbol accepted on the command line (the store uses it as a folder name). */
export const MAX_SYMBOL_LENGTH = 32;
const CANONICAL_SYMBOL = /^[A-Z0-9]+$/;

/**
 * `--symbols xauusd,XAGUSD` → `['XAUUSD', 'XAGUSD']`: upper-cased and de-duplicated, nothing else
 * rewritten. SPEC §1.1: a canonical symbol is A–Z and 0–9 only (a broker's suffixes such as `.m`
 * belong in universe.yaml's `broker_symbol`), so `../x`, `a/b` or `A B` are refused, not mended.
 */
export function maybeSymbols(value: unknown, required = true): string[] {
  if (value === undefined) {
    if (required) throw usageError('--symbols is required (e.g. --symbols XAUUSD,XAGUSD)');
    return [];
  }
  const list = String(value)
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  if (list.length === 0) throw usageError(`--symbols "${String(value)}" names no symbol`);
  for (const symbol of list) {
    if (symbol.length > MAX_SYMBOL_LENGTH)
      throw usageError(`--symbols: "${symbol.slice(0, 40)}…" is longer than ${MAX_SYMBOL_LENGTH} characters`);
    if (!CANONICAL_SYMBOL.test(symbol))
      throw usageError(
        `--symbols: "${symbol}" is not a canonical symbol (letters A-Z and digits only, e.g. XAUUSD; a broker's suffix belongs in universe.yaml broker_symbol)`,
      );
  }
  return [...new Set(list)];
}

export function maybeTimeframeOption(value: unknown, config: PtConfig): Timeframe {
  const tf = maybeTimeframe(String(value ?? config.pipeline_policy.timeframe_default));
  if (!(config.pipeline_policy.timeframe_allowed as string[]).includes(tf)) {
    throw usageError(`timeframe ${tf} is not in timeframe_allowed of pipeline_policy.yaml`);
  }
  return tf;
}

export function maybeDate(value: unknown, flag: string): number | undefined {
  return value === undefined ? undefined : parseUtcMs(String(value), flag);
}

export function maybePositiveNumber(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw usageError(`${flag} must be a positive number, got "${String(value)}"`);
  return n;
}

/** --seed as an integer; retrain_policy.yaml's seed when not given. */
export function maybeSeed(value: unknown, config: PtConfig): number {
  return value === undefined ? config.retrain_policy.seed : Math.floor(maybePositiveNumber(value, '--seed')!);
}

/** A probability threshold in [0, 1] (θ1, θ2). */
export function maybeProbability(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (String(value).trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
    throw usageError(`${flag} must be a number in [0, 1], got "${String(value)}"`);
  return n;
}

/** --from/--to as UTC ms, the start before the end. */
export function maybeDateRange(raw: RawOptions): { fromMs?: number; toMs?: number } {
  const fromMs = maybeDate(raw.from, '--from');
  const toMs = maybeDate(raw.to, '--to');
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) throw usageError(`--from must be before --to`);
  return { fromMs, toMs };
}

/** `2022-01:2024-06` → [2022-01-01, 2024-07-01) UTC. */
export function maybePeriod(text: unknown): { fromMs?: number; toMs?: number } {
  if (text === undefined) return {};
  const m = /^(\d{4})-(\d{2}):(\d{4})-(\d{2})$/.exec(String(text).trim());
  if (!m) throw usageError(`--period "${String(text)}" must look like 2022-01:2024-06`);
  // Checked, not handed to Date.UTC as is: month 13 would roll over into the next year.
  for (const [year, month] of [
    [m[1]!, m[2]!],
    [m[3]!, m[4]!],
  ])
    if (!checkedYearMonth(Number(year), Number(month)))
      throw usageError(`--period "${String(text)}": ${year}-${month} is not a month (01–12)`);
  const fromMs = Date.UTC(Number(m[1]), Number(m[2]) - 1, 1);
  const toMs = Date.UTC(Number(m[3]), Number(m[4]), 1);
  if (!(fromMs < toMs)) throw usageError(`--period "${String(text)}": the start must be before the end`);
  return { fromMs, toMs };
}
