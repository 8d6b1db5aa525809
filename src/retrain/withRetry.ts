// A retrain step tried again when it throws (retrain_policy.retrain_retry_max), each failure reported.

export interface StepFailure {
  step: string;
  /** 1-based try that failed. */
  attempt: number;
  tries: number;
  error: unknown;
}

/**
 * Runs `run` up to `1 + retries` times; returns its first result, or throws the last error after the
 * last try. `onFailure` hears every failed try (the retry notice, or the final one).
 */
export async function withRetry<T>(
  step: string,
  retries: number,
  run: () => Promise<T>,
  onFailure?: (f: StepFailure) => void,
): Promise<T> {
  const tries = 1 + Math.max(0, Math.floor(retries));
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      onFailure?.({ step, attempt, tries, error });
      if (attempt >= tries) throw error;
    }
  }
}
