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
  /** The `api-credits-used` / `api-credits-left` headers, when sent. */
  credits: TdCredits;
}

export interface TdCredits {
  used?: number;
  left?: number;
}

/** Which credit window a 429 is about: the minute (wait for the next one) or the day (stop). */
export type TdRateLimit = 'minute' | 'day' | 'unknown';

/** Waits for the minute window end this much after the UTC minute boundary (clock skew, server lag). */
export const MINUTE_WINDOW_MARGIN_MS = 1000;

/** Milliseconds from `nowMs` to the next UTC minute boundary plus the margin. */
export function msToNextMinuteWindow(nowMs: number): number {
  return Math.ceil((nowMs + 1) / 60_000) * 60_000 + MINUTE_WINDOW_MARGIN_MS - nowMs;
}

/**
 * The documented texts: "You have run out of API credits for the current minute. …" and
 * "You have run out of API credits for the day. The current limit being 800 API credits per day."
 * A 429 that names neither but leaves 0 credits in `api-credits-left` is a minute limit.
 */
export function classifyRateLimit(message: string, credits: TdCredits): TdRateLimit {
  if (/\bfor the day\b|\bper day\b|\bdaily\b/i.test(message)) return 'day';
  if (/\bcurrent minute\b|\bper minute\b/i.test(message) || credits.left === 0) return 'minute';
  return 'unknown';
}

function headerNumber(res: Response, name: string): number | undefined {
  const v = res.headers.get(name);
  if (v === null || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** A provider's text for a message: whitespace collapsed, long ones cut at a word with `…` (never mid-URL). */
function snippet(text: string, max = 400): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.lastIndexOf(' ', max);
  return `${flat.slice(0, cut > max / 2 ? cut : max)} …`;
}

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
      id: 'DATA_API_TIMEOUT' | 'DATA_API_HTTP' | 'DATA_API_PROVIDER' | 'DATA_API_MALFORMED' | 'DATA_API_QUOTA',
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
    let credits: TdCredits;
    try {
      const res = await this.fetch(url, {
        headers: { Authorization: `apikey ${key}`, Accept: 'application/json' },
        signal: controller.signal,
      });
      status = res.status;
      retryAfterHeader = res.headers.get('retry-after');
      credits = { used: headerNumber(res, 'api-credits-used'), left: headerNumber(res, 'api-credits-left') };
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
    // "No data is available on the specified dates" is an empty window whatever the HTTP status:
    // the live API sends it with HTTP 400, third-party mocks with 200.
    if (providerBody && isNoDataError(providerBody)) {
      this.m.apiRequestsTotal.inc({ ...labels, outcome: 'ok' });
      return { body: { status: 'ok', values: [] }, latencyMs, credits };
    }
    const providerCode = providerBody ? Number(providerBody.code) : undefined;
    if (status === 429 || providerCode === 429) {
      const message = snippet(String(providerBody?.message ?? text));
      const limit = classifyRateLimit(message, credits);
      const creditDetails = { creditsUsed: credits.used, creditsLeft: credits.left, rateLimit: limit };
      if (limit === 'day') {
        // Retrying burns nothing but time: the quota comes back at the daily reset, not within the run.
        const reset = new Date(Math.ceil((this.now() + 1) / 86_400_000) * 86_400_000).toISOString();
        throw fail(
          'DATA_API_QUOTA',
          `daily API credits are spent (${message}); they reset at the start of the next UTC day (${reset}); run again then`,
          { status, providerCode, retryable: false, resetAt: reset, ...creditDetails },
        );
      }
      const retryAfter = parseRetryAfter(retryAfterHeader, this.now());
      const retryAfterMs = retryAfter ?? (limit === 'minute' ? msToNextMinuteWindow(this.now()) : undefined);
      throw fail(
        status === 429 ? 'DATA_API_HTTP' : 'DATA_API_PROVIDER',
        status === 429 ? `HTTP 429 — code 429: ${message}` : `error 429: ${message}`,
        { status, providerCode: providerCode ?? 429, retryable: true, retryAfterMs, ...creditDetails },
      );
    }
    if (status < 200 || status >= 300) {
      const what = providerBody
        ? `code ${providerBody.code}: ${snippet(String(providerBody.message ?? ''))}`
        : snippet(text, 200);
      throw fail('DATA_API_HTTP', `HTTP ${status} — ${what}`, {
        status,
        providerCode: providerBody?.code,
        retryable: isRetryableCode(status),
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
      const code = Number(providerBody.code);
      throw fail('DATA_API_PROVIDER', `error ${code}: ${snippet(String(providerBody.message ?? ''))}`, {
        providerCode: code,
        retryable: Number.isFinite(code) && isRetryableCode(code),
      });
    }
    this.m.apiRequestsTotal.inc({ ...labels, outcome: 'ok' });
    return { body, latencyMs, credits };
  }
}

/** Keeps the cause's class and a redacted message only; fetch errors can carry the request URL. */
function redactCause(cause: unknown, key: string): Error {
  const e = cause instanceof Error ? cause : new Error(String(cause));
  const out = new Error(redactSecrets(e.message, key));
  out.name = e.name;
  return out;
}
