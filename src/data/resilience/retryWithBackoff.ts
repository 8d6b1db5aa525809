// Exponential backoff with jitter for provider calls: retries only failures marked retryable.
import { isPtError } from '../../core/ptError.js';
import { metrics as defaultMetrics, type PtMetrics } from '../../observability/metrics.js';
import { realSleep, type Random, type Sleep } from './clock.js';

export interface RetryOptions {
  /** Retries after the first attempt (pipeline_policy.retry_max). */
  retryMax: number;
  /** First backoff (retry_backoff_base_seconds × 1000). */
  baseMs: number;
  /** Cap of the exponential part (retry_backoff_max_seconds × 1000). */
  maxMs: number;
  sleep?: Sleep;
  random?: Random;
  isRetryable?: (err: unknown) => boolean;
  /** Server-requested wait (Retry-After on 429), if the error carries one. */
  retryAfterMs?: (err: unknown) => number | undefined;
  /** Labels of `data_retry_total`; no metric is counted without them. */
  labels?: { source: string; timeframe: string };
  metrics?: Pick<PtMetrics, 'retryTotal'>;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/** ±20 % jitter keeps successive waits strictly growing (×2 per step beats 1.2/0.8) until the cap. */
const JITTER = 0.2;

/** The wait before retry number `retry` (0-based): base·2^retry with jitter, never above maxMs. */
export function backoffDelayMs(retry: number, baseMs: number, maxMs: number, random: Random = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** retry);
  const jittered = exp * (1 - JITTER + 2 * JITTER * random());
  return Math.min(maxMs, Math.max(0, Math.round(jittered)));
}

/** Default classification: a PtError whose details say `retryable: true`. */
export function isRetryableError(err: unknown): boolean {
  return isPtError(err) && err.details.retryable === true;
}

/** Default Retry-After lookup: `details.retryAfterMs` of a PtError. */
export function retryAfterOf(err: unknown): number | undefined {
  if (!isPtError(err)) return undefined;
  const v = err.details.retryAfterMs;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/**
 * Parses a Retry-After header (delta-seconds or an HTTP date) into milliseconds from `nowMs`.
 * Returns undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const v = header.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

/**
 * Runs `fn` and retries it on retryable failures, at most `retryMax` times, sleeping
 * base·2^n (jittered, capped) between attempts. A Retry-After longer than the backoff wins,
 * because retrying earlier than the server asked only burns credits on another 429.
 * Rethrows the last error with `details.attempts` set.
 */
export async function retryWithBackoff<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const isRetryable = options.isRetryable ?? isRetryableError;
  const retryAfter = options.retryAfterMs ?? retryAfterOf;
  const m = options.metrics ?? defaultMetrics;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (isPtError(error)) error.details.attempts = attempt + 1;
      if (attempt >= options.retryMax || !isRetryable(error)) throw error;
      const backoff = backoffDelayMs(attempt, options.baseMs, options.maxMs, random);
      const delayMs = Math.max(backoff, retryAfter(error) ?? 0);
      if (options.labels) m.retryTotal.inc(options.labels);
      options.onRetry?.({ attempt: attempt + 1, delayMs, error });
      await sleep(delayMs);
    }
  }
}
