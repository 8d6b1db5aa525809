// TwelveData settings read from the loaded config (sources.yaml + pipeline_policy.yaml), and the API key from the environment.
import { PtError } from '../../core/ptError.js';
import type { Timeframe } from '../../core/time.js';
import type { PtConfig } from '../../config/schemas/index.js';

export const TWELVEDATA_SOURCE_ID = 'twelvedata';

export interface TwelveDataSettings {
  baseUrl: string;
  wsUrl: string;
  /** Name of the environment variable holding the key (from `api_key_ref: ENV:NAME`). */
  apiKeyEnv: string;
  /** Bars asked for per REST call (≤ 5000). */
  pageSize: number;
  rateLimits: { rest_qps: number; credits_per_minute?: number; ws_channels?: number };
  timeframes: Timeframe[];
  assets: string[];
  retryMax: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  requestTimeoutMs: number;
  /** The documented recommendation is a heartbeat every 10 s. */
  heartbeatMs: number;
}

const MAX_OUTPUTSIZE = 5000;

/** Reads the `twelvedata` provider entry and the resilience keys; throws CORE_CONFIG_INVALID if absent. */
export function twelveDataSettings(config: PtConfig): TwelveDataSettings {
  const p = config.sources.providers[TWELVEDATA_SOURCE_ID];
  if (!p)
    throw new PtError('CORE_CONFIG_INVALID', 'sources.yaml has no "twelvedata" provider', {
      source: TWELVEDATA_SOURCE_ID,
    });
  const missing = (['base_url', 'ws_url', 'api_key_ref'] as const).filter((k) => !p[k]);
  if (missing.length > 0)
    throw new PtError('CORE_CONFIG_INVALID', `sources.yaml twelvedata is missing ${missing.join(', ')}`, {
      source: TWELVEDATA_SOURCE_ID,
    });
  const ref = p.api_key_ref!;
  const m = /^ENV:([A-Za-z_][A-Za-z0-9_]*)$/.exec(ref);
  if (!m) {
    // Never echo the value: a malformed reference may be a pasted key.
    throw new PtError(
      'CORE_CONFIG_INVALID',
      'sources.yaml twelvedata.api_key_ref must be ENV:NAME (the adapter reads the key only from the environment)',
      { source: TWELVEDATA_SOURCE_ID },
    );
  }
  const pp = config.pipeline_policy;
  return {
    baseUrl: p.base_url!.replace(/\/+$/, ''),
    wsUrl: p.ws_url!,
    apiKeyEnv: m[1]!,
    pageSize: Math.min(MAX_OUTPUTSIZE, p.page_size ?? MAX_OUTPUTSIZE),
    rateLimits: p.rate_limits ?? { rest_qps: 8 },
    timeframes: [...p.timeframes] as Timeframe[],
    assets: [...(p.assets ?? [])],
    retryMax: pp.retry_max,
    backoffBaseMs: pp.retry_backoff_base_seconds * 1000,
    backoffMaxMs: pp.retry_backoff_max_seconds * 1000,
    requestTimeoutMs: pp.request_timeout_seconds * 1000,
    heartbeatMs: 10_000,
  };
}

/** The API key from the environment; CORE_ENV_MISSING naming the variable when unset or blank. */
export function resolveApiKey(
  settings: Pick<TwelveDataSettings, 'apiKeyEnv'>,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const key = env[settings.apiKeyEnv]?.trim();
  if (!key) {
    throw new PtError(
      'CORE_ENV_MISSING',
      `${settings.apiKeyEnv} is not set (sources.yaml twelvedata.api_key_ref = ENV:${settings.apiKeyEnv}); export it before using the twelvedata source`,
      {
        source: TWELVEDATA_SOURCE_ID,
        details: { variable: settings.apiKeyEnv, retryable: false },
      },
    );
  }
  return key;
}

/** Removes the key from text that may reach a log or an error: `apikey=…` parameters and the literal key. */
export function redactSecrets(text: string, key?: string): string {
  let out = text.replace(/(apikey=)[^&\s"']*/gi, '$1***').replace(/(authorization:\s*apikey\s+)\S+/gi, '$1***');
  if (key && key.length >= 4) out = out.split(key).join('***');
  return out;
}
