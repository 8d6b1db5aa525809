// A scriptable TwelveData stand-in for tests: a real HTTP server (/time_series) and a real WebSocket server (/v1/quotes/price) on 127.0.0.1.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface MockRequest {
  path: string;
  query: URLSearchParams;
  /** The key as the client sent it (Authorization header or apikey parameter). */
  apiKey: string | undefined;
  at: number;
}

export interface MockReply {
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
  /** Never answer (the socket stays open until the server closes). */
  hang?: boolean;
}

export type Responder = (req: MockRequest) => MockReply | undefined;

export interface MockBarSeries {
  /** Price of the bar opening at ts (ms); open/high/low/close are derived from it. */
  price(symbol: string, ts: number): number;
  /** Slots with no bar (e.g. the weekend); none unless given. */
  isClosed?(ts: number): boolean;
}

const INTERVAL_MS: Record<string, number> = { '15min': 900_000, '1h': 3_600_000, '4h': 14_400_000 };

/** Deterministic default prices: a slow wave around 2000 for XAU/USD, 25 for XAG/USD, 1.1 otherwise. */
export const defaultSeries: MockBarSeries = {
  price(symbol, ts) {
    const base = symbol.startsWith('XAU') ? 2000 : symbol.startsWith('XAG') ? 25 : 1.1;
    return base * (1 + 0.01 * Math.sin(ts / 3.6e7));
  },
};

function fmt(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function parseDate(v: string | null): number | undefined {
  if (!v) return undefined;
  return Date.parse(/Z$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
}

export const ERROR_BODIES = {
  401: {
    code: 401,
    message:
      '**apikey** parameter is incorrect or not specified. You can get your free API key instantly following this link: https://twelvedata.com/pricing. If you believe that everything is correct, you can contact us at https://twelvedata.com/contact/customer',
    status: 'error',
  },
  400: {
    code: 400,
    message: '**symbol** not found: NOPE. Please specify it correctly according to API Documentation.',
    status: 'error',
  },
  404: { code: 404, message: 'Requested data could not be found.', status: 'error' },
  429: {
    code: 429,
    message:
      'You have run out of API credits for the current minute. 27 API credits were used, with the current limit being 8.',
    status: 'error',
  },
  500: { code: 500, message: 'Internal Server Error', status: 'error' },
} as const;

/** The live API's answer to a window without bars (measured with HTTP 400; third-party mocks send it with 200). */
export const NO_DATA_BODY = {
  code: 400,
  message: 'No data is available on the specified dates. Try setting different start/end dates.',
  status: 'error',
} as const;

/** A per-minute 429 as TwelveData sends it: HTTP 429, the documented message, the credit headers. */
export function minuteLimitReply(used = 27, limit = 8, headers: Record<string, string> = {}): MockReply {
  return {
    status: 429,
    headers: { 'api-credits-used': String(used), 'api-credits-left': '0', ...headers },
    body: {
      code: 429,
      message: `You have run out of API credits for the current minute. ${used} API credits were used, with the current limit being ${limit}.`,
      status: 'error',
    },
  };
}

/** A per-day 429 (message as seen in a third-party test of the live API). */
export function dayLimitReply(limit = 800): MockReply {
  return {
    status: 429,
    headers: { 'api-credits-used': String(limit), 'api-credits-left': '0' },
    body: {
      code: 429,
      message: `You have run out of API credits for the day. The current limit being ${limit} API credits per day.`,
      status: 'error',
    },
  };
}

/** A tick as the WebSocket mock sends it; the defaults are the documented shape. */
export interface MockTickOptions {
  /** Send `timestamp` in milliseconds instead of the documented seconds. */
  millis?: boolean;
  /** Send `price` as a string (e.g. "1930.00") instead of a number. */
  priceText?: string;
}

export class MockTwelveData {
  readonly requests: MockRequest[] = [];
  /** Messages the WebSocket clients sent, parsed. */
  readonly wsReceived: Array<Record<string, unknown>> = [];
  /** Every WebSocket connection's `apikey` parameter, in connection order. */
  readonly wsKeys: Array<string | null> = [];
  /** Bars the default /time_series handler serves, in canonical timeframe slots. */
  series: MockBarSeries = defaultSeries;
  /** Bars that exist at ts >= this are still forming and never served (the provider's "now"). */
  nowMs = Date.UTC(2030, 0, 1);
  /** When false the WebSocket server goes silent on heartbeats (a half-dead connection). */
  answerHeartbeats = true;
  /**
   * HTTP status of the "No data is available" answer for an empty window: 200 as third-party
   * mocks send it, 400 as the live API does.
   */
  noDataStatus = 200;
  /** Merged into every default answer's `meta` (e.g. `{ interval: '1day' }` or `{ exchange_timezone: 'America/New_York' }`). */
  metaExtra: Record<string, unknown> = {};
  /** Open times (ms) whose bar is served with high below open and close (an inconsistent bar). */
  readonly badBars = new Set<number>();
  /** Open times (ms) shifted by this many ms on the wire (off-grid datetimes), by bar ts. */
  readonly offGrid = new Map<number, number>();
  /** Sent as `api-credits-used` / `api-credits-left` with every default answer when set. */
  credits: { used: number; left: number } | undefined;
  /** Symbols served besides the six-letter XXX/YYY forms (e.g. the synthetic SYNA). */
  readonly extraSymbols = new Set<string>();
  /** Symbols (as sent, e.g. XAG/USD) whose price events are never sent: a silent symbol on a live connection. */
  readonly silent = new Set<string>();
  private readonly queue: MockReply[] = [];
  private responder: Responder | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<WebSocket>();

  private constructor(
    private readonly server: Server,
    readonly apiKey: string,
  ) {
    this.wss = new WebSocketServer({ server, path: '/v1/quotes/price' });
    this.wss.on('connection', (ws, req) => this.onWsConnection(ws, req));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('request', (req, res) => this.onRequest(req, res));
  }

  static async start(apiKey = 'test-key-SECRET-123'): Promise<MockTwelveData> {
    const server = createServer();
    const mock = new MockTwelveData(server, apiKey);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return mock;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/v1/quotes/price`;
  }

  /** One-shot replies used by the next requests, in order, before the responder and the default. */
  enqueue(...replies: MockReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** A responder consulted for every request after the queue; returning undefined falls through to the default. */
  respond(responder: Responder | undefined): this {
    this.responder = responder;
    return this;
  }

  timeSeriesRequests(): MockRequest[] {
    return this.requests.filter((r) => r.path === '/time_series');
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const auth = /^apikey\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const request: MockRequest = {
      path: url.pathname,
      query: url.searchParams,
      apiKey: auth?.[1] ?? url.searchParams.get('apikey') ?? undefined,
      at: Date.now(),
    };
    this.requests.push(request);
    const reply = this.queue.shift() ?? this.responder?.(request) ?? this.defaultReply(request);
    if (reply.hang) return;
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
    res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json; charset=utf-8', ...reply.headers });
    res.end(body);
  }

  /** The documented /time_series answer: newest first, string values, no volume for FX/metals. */
  private defaultReply(req: MockRequest): MockReply {
    if (req.apiKey !== this.apiKey) return { status: 200, body: ERROR_BODIES[401] };
    if (req.path !== '/time_series') return { status: 404, body: ERROR_BODIES[404] };
    const q = req.query;
    const symbol = q.get('symbol') ?? '';
    const interval = q.get('interval') ?? '';
    const step = INTERVAL_MS[interval];
    if (!step || !(/^[A-Z]{3}\/[A-Z]{3}$/.test(symbol) || this.extraSymbols.has(symbol)))
      return { status: 200, body: ERROR_BODIES[400] };
    const outputsize = Number(q.get('outputsize') ?? 30);
    const end = parseDate(q.get('end_date')) ?? this.nowMs;
    const start = parseDate(q.get('start_date')) ?? end - outputsize * step;
    const values: Array<Record<string, string>> = [];
    // end_date inclusive, as the riskier reading; also serves the still-forming bar at nowMs's slot.
    // Weekends and holidays are served like any other slot (as TwelveData does for FX and metals)
    // unless the series closes them.
    for (let ts = Math.ceil(start / step) * step; ts <= end && ts <= this.nowMs; ts += step) {
      if (this.series.isClosed?.(ts)) continue;
      const c = this.series.price(symbol, ts);
      const o = this.series.price(symbol, ts - step);
      const bad = this.badBars.has(ts);
      values.push({
        datetime: fmt(ts + (this.offGrid.get(ts) ?? 0)),
        open: o.toFixed(5),
        high: (bad ? Math.min(o, c) * 0.998 : Math.max(o, c) * 1.001).toFixed(5),
        low: (Math.min(o, c) * 0.999).toFixed(5),
        close: c.toFixed(5),
      });
    }
    values.reverse();
    const headers: Record<string, string> = this.credits
      ? { 'api-credits-used': String(this.credits.used), 'api-credits-left': String(this.credits.left) }
      : {};
    if (values.length === 0) return { status: this.noDataStatus, headers, body: NO_DATA_BODY };
    return {
      status: 200,
      headers,
      body: {
        meta: {
          symbol,
          interval,
          currency_base: 'Gold Spot',
          currency_quote: 'US Dollar',
          type: 'Physical Currency',
          ...this.metaExtra,
        },
        values: values.slice(0, outputsize),
        status: 'ok',
      },
    };
  }

  private onWsConnection(ws: WebSocket, req: IncomingMessage): void {
    const key = new URL(req.url ?? '/', this.baseUrl).searchParams.get('apikey');
    this.wsKeys.push(key);
    if (key !== this.apiKey) {
      ws.send(
        JSON.stringify({
          event: 'subscribe-status',
          status: 'error',
          success: [],
          fails: [],
          message: 'invalid apikey',
        }),
      );
      ws.close(1008, 'invalid apikey');
      return;
    }
    this.clients.add(ws);
    ws.on('close', () => this.clients.delete(ws));
    ws.on('message', (data) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(data.toString()) as Record<string, unknown>;
      } catch {
        return;
      }
      this.wsReceived.push(msg);
      if (msg.action === 'subscribe') {
        const symbols = String((msg.params as { symbols?: unknown } | undefined)?.symbols ?? '')
          .split(',')
          .filter(Boolean);
        ws.send(
          JSON.stringify({
            event: 'subscribe-status',
            status: 'ok',
            success: symbols.map((s) => ({ symbol: s, exchange: 'FOREX', country: '', type: 'Physical Currency' })),
            fails: [],
          }),
        );
      } else if (msg.action === 'heartbeat' && this.answerHeartbeats) {
        ws.send(JSON.stringify({ event: 'heartbeat', status: 'ok' }));
      }
    });
  }

  /** Subscribe actions received so far. */
  subscriptions(): Array<Record<string, unknown>> {
    return this.wsReceived.filter((m) => m.action === 'subscribe');
  }

  wsClientCount(): number {
    return this.clients.size;
  }

  /**
   * Sends a documented `price` event to every connected client, unless the symbol is silent.
   * `options` bend it: a millisecond timestamp, a string price.
   */
  sendPrice(symbol: string, timestampSec: number, price: number, options: MockTickOptions = {}): void {
    if (this.silent.has(symbol)) return;
    this.sendRaw({
      event: 'price',
      symbol,
      currency: 'USD',
      currency_base: 'Gold Spot',
      currency_quote: 'US Dollar',
      type: 'Physical Currency',
      timestamp: options.millis ? timestampSec * 1000 : timestampSec,
      price: options.priceText ?? price,
      bid: price - 0.1,
      ask: price + 0.1,
    });
  }

  /** Sends any event object as JSON to every connected client (bad prices, odd timestamps …). */
  sendRaw(event: Record<string, unknown>): void {
    for (const c of this.clients) c.send(JSON.stringify(event));
  }

  /** Cuts every WebSocket connection without a closing handshake, like a network drop. */
  dropWsClients(): void {
    for (const c of this.clients) c.terminate();
    this.clients.clear();
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Polls `cond` until true or `timeoutMs` passes (then throws, naming `what`). */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
