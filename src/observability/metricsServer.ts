// Serves the registry's metrics over HTTP for Prometheus to scrape: GET /metrics on a local port.
import { createServer } from 'node:http';
import { registry } from './metrics.js';

export interface MetricsServer {
  /** The bound port (the one asked for, or the one the system chose for port 0). */
  port: number;
  /** Stops listening and ends open connections; a second call is a no-op. */
  close(): Promise<void>;
}

/**
 * Listens on `host` (loopback by default: the metrics are not for the network at large) and `port`
 * (0: any free port). GET or HEAD /metrics answers the text format; anything else is 404 or 405.
 * Resolves once listening; rejects when the port is taken.
 */
export async function startMetricsServer(port: number, host = '127.0.0.1'): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (e: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`${e instanceof Error ? e.message : String(e)}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  let closed: Promise<void> | undefined;
  return {
    port: typeof address === 'object' && address !== null ? address.port : port,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive scrapers would hold close() open until their sockets time out.
        server.closeAllConnections();
      })),
  };
}
