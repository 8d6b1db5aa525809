// HTTP client for the TwelveData REST API: timeout, latency metric, and error mapping to PtError ids.
import { PtError } from '../../core/ptError.js';
import { metrics as defaultMetrics, type PtMetrics } from '../../observability/metrics.js';
import { parseRetryAfter } from '../../data/resilience/retryWithBackoff.js';
import { redactSecrets, TWELVEDATA_SOURCE_ID } from './config.js';
import { isNoDataError, isTdErrorBody } from './parse.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface TwelveDataClientOptions {
  baseUrl: string;
  apiKey: () => string;
  timeoutMs: number;
  fetch?: FetchLike;
  now?: () => number;
  metrics?: Pick<PtMetrics, 'apiLatencyMs' | 'apiRequestsTotal'>;
}

export interface TdResponse {
  /** Parsed JSON body, or `{ status: 'ok', values: [] }` for TwelveData's "no data" answer. */
  body: unknown;
  latencyMs: number;
}

const SNIPPET = 200;

const isRetryableCode = (code: number) => code === 429 || code >= 500;

export class TwelveDataClient {
  private readonly fetch: FetchLike;
  private readonly now: () => number;
  private readonly m: Pick<PtMetrics, 'apiLatencyMs' | 'apiRequestsTotal'>;

  constructor(private readonly options: TwelveDataClientOptions) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.now = options.now ?? Date.now;
    this.m = options.metrics ?? defaultMetrics;
  }

  /**
   * GET `path` with `params`. The key travels in the `Authorization: apikey …` header (the
   * documented recommendation), so no URL this client builds carries it.
   */
  async get(path: string, params: Record<string, string>, timeframe: string): Promise<TdResponse> {
    const key = this.options.apiKey();
    const url = `${this.options.baseUrl}${path}?${new URLSearchParams(params).toString()}`;
    const shown = redactSecrets(url, key);
    const labels = { source: TWELVEDATA_SOURCE_ID, timeframe };
    const fail = (
      id: 'DATA_API_TIMEOUT' | 'DATA_API_HTTP' | 'DATA_API_PROVIDER' | 'DATA_API_MALFORMED',
      message: string,
      details: Record<string, unknown>,
      cause?: unknown,
    ) => {
      this.m.apiRequestsTotal.inc({ ...labels, outcome: 'error' });
      return new PtError(id, redactSecrets(`twelvedata ${message} (${shown})`, key), {
        source: TWELVEDATA_SOURCE_ID,
        details: { url: shown, ...details },
        cause: undefined === cause ? undefined : redactCause(cause, key),
      });
    };
    const started = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    let status: number;
    let text: string;
    let retryAfterHeader: string | null;
    try {
      const res = await this.fetch(url, {
        headers: { Authorization: `apikey ${key}`, Accept: 'application/json' },
        signal: controller.signal,
      });
      status = res.status;
      retryAfterHeader = res.headers.get('retry-after');
      text = await res.text();
    } catch (error) {
      const latencyMs = performance.now() - started;
      this.m.apiLatencyMs.observe(labels, latencyMs);
      if (controller.signal.aborted) {
        throw fail('DATA_API_TIMEOUT', `request timed out after ${this.options.timeoutMs} ms`, {
          retryable: true,
          timeoutMs: this.options.timeoutMs,
        });
      }
      const reason =
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw fail('DATA_API_HTTP', `network error: ${reason}`, { retryable: true, network: true }, error);
    } finally {
      clearTimeout(timer);
    }
    const latencyMs = performance.now() - started;
    this.m.apiLatencyMs.observe(labels, latencyMs);

    let body: unknown;
    let parsed = true;
    try {
      body = JSON.parse(text);
    } catch {
      parsed = false;
    }
    const providerBody = parsed && isTdErrorBody(body) ? body : undefined;
    if (status < 200 || status >= 300) {
      const retryAfterMs = status === 429 ? parseRetryAfter(retryAfterHeader, this.now()) : undefined;
      const what = providerBody
        ? `code ${providerBody.code}: ${String(providerBody.message ?? '').slice(0, SNIPPET)}`
        : text.slice(0, SNIPPET).replace(/\s+/g, ' ');
      throw fail('DATA_API_HTTP', `HTTP ${status} — ${what}`, {
        status,
        providerCode: providerBody?.code,
        retryable: isRetryableCode(status),
        retryAfterMs,
      });
    }
    if (!parsed) {
      throw fail(
        'DATA_API_MALFORMED',
        `answered HTTP ${status} with a body that is not JSON: ${text.slice(0, 80).replace(/\s+/g, ' ')}`,
        { status, retryable: false },
      );
    }
    if (providerBody) {
      if (isNoDataError(providerBody)) {
        this.m.apiRequestsTotal.inc({ ...labels, outcome: 'ok' });
        return { body: { status: 'ok', values: [] }, latencyMs };
      }
      const code = Number(providerBody.code);
      throw fail('DATA_API_PROVIDER', `error ${code}: ${String(providerBody.message ?? '').slice(0, SNIPPET)}`, {
        providerCode: code,
        retryable: Number.isFinite(code) && isRetryableCode(code),
      });
    }
    this.m.apiRequestsTotal.inc({ ...labels, outcome: 'ok' });
    return { body, latencyMs };
  }
}

/** Keeps the cause's class and a redacted message only; fetch errors can carry the request URL. */
function redactCause(cause: unknown, key: string): Error {
  const e = cause instanceof Error ? cause : new Error(String(cause));
  const out = new Error(redactSecrets(e.message, key));
  out.name = e.name;
  return out;
}
