// The repository config with the twelvedata entry pointed at a mock server, plus small test overrides.
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../src/config/loadConfig.js';
import type { PtConfig } from '../../../src/config/schemas/index.js';

const base = loadConfig(fileURLToPath(new URL('../../../config', import.meta.url)));

export const TEST_KEY = 'td-test-key-9f8e7d6c5b4a';
export const KEY_ENV = { TWELVEDATA_API_KEY: TEST_KEY };

export interface TestOverrides {
  pageSize?: number;
  retryMax?: number;
  timeoutSeconds?: number;
  restQps?: number;
  openThresholdErrors?: number;
  halfOpenAfterSeconds?: number;
}

export function tdTestConfig(mock: { baseUrl: string; wsUrl: string }, o: TestOverrides = {}): PtConfig {
  const c = structuredClone(base);
  const td = c.sources.providers.twelvedata!;
  td.base_url = mock.baseUrl;
  td.ws_url = mock.wsUrl;
  if (o.pageSize !== undefined) td.page_size = o.pageSize;
  // A high qps keeps rate-limit waits out of the recorded backoff sleeps unless a test wants them.
  td.rate_limits = { rest_qps: o.restQps ?? 1000, credits_per_minute: 1_000_000, ws_channels: 500 };
  if (o.retryMax !== undefined) c.pipeline_policy.retry_max = o.retryMax;
  c.pipeline_policy.request_timeout_seconds = o.timeoutSeconds ?? 2;
  if (o.openThresholdErrors !== undefined)
    c.pipeline_policy.circuit_breaker.open_threshold_errors = o.openThresholdErrors;
  if (o.halfOpenAfterSeconds !== undefined)
    c.pipeline_policy.circuit_breaker.half_open_after_seconds = o.halfOpenAfterSeconds;
  return c;
}

/** A clock fixed unless advanced; sleep() records the wait and moves the clock. */
export class TestClock {
  readonly sleeps: number[] = [];
  constructor(public t: number) {}
  now = (): number => this.t;
  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.t += ms;
  };
}
