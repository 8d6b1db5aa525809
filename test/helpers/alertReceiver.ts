// A real HTTP receiver on 127.0.0.1 for alert tests: records each POST's path and JSON body, and
// answers as told: 200 (Slack's "ok"), 202 (PagerDuty), 500, or never (a hung receiver).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceiverMode = 'ok' | 'accepted' | 'error' | 'hang';

export interface Received {
  path: string;
  body: unknown;
}

export interface AlertReceiver {
  url(path: string): string;
  received: Received[];
  mode: ReceiverMode;
  /** Requests that arrived (a hung one too). */
  requests: number;
  /** Resolves when `n` bodies were received. */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startAlertReceiver(mode: ReceiverMode = 'ok'): Promise<AlertReceiver> {
  const hung: ServerResponse[] = [];
  const r: AlertReceiver = {
    url: (path) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    received: [],
    mode,
    requests: 0,
    waitFor: (n, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = setInterval(() => {
          if (r.received.length >= n) {
            clearInterval(poll);
            resolve(r.received);
          } else if (Date.now() - started > timeoutMs) {
            clearInterval(poll);
            reject(new Error(`receiver got ${r.received.length} of ${n} bodies`));
          }
        }, 10);
      }),
    close: () =>
      new Promise((resolve) => {
        for (const res of hung) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    r.requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (r.mode === 'hang') {
        hung.push(res);
        return;
      }
      r.received.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      if (r.mode === 'error') res.writeHead(500).end('boom');
      else if (r.mode === 'accepted')
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"success"}');
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return r;
}
