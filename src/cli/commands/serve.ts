// pt serve: the HTTP API (docs/api.md) on --host:--port until SIGINT or SIGTERM; pt token issue.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { newestBacktestRun } from '../../adapters/files/newestBacktestRun.js';
import { buildApiServer } from '../../api/buildApiServer.js';
import { issueToken, jwtSecretFrom } from '../../api/auth/jwt.js';
import { loadConfig } from '../../config/loadConfig.js';
import { PtError } from '../../core/ptError.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { busLabel } from '../options/parseOpsOptions.js';
import { parseServeOptions } from '../options/parseServeOptions.js';
import { parseTokenIssueOptions } from '../options/parseTokenOptions.js';
import { serveAnalytics } from '../serveAnalytics.js';
import { serveDeps } from '../serveDeps.js';

function readPem(path: string, variable: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new PtError('UI_API_NOTLS', `${variable} ${path} cannot be read: ${(e as Error).message}`, {
      source: 'api',
      exitCode: 2,
    });
  }
}

export async function runServe(raw: RawOptions): Promise<number> {
  // The secret first: no server starts that could not check a token.
  const secret = jwtSecretFrom();
  const config = loadConfig(configDirOption(raw));
  const parsed = parseServeOptions(raw, config);
  const o = parsed.btDirGiven
    ? parsed
    : { ...parsed, btDefaultRun: newestBacktestRun(parsed.btDefaultRun, resolve('reports')) };
  const https = o.tls
    ? { cert: readPem(o.tls.certFile, 'PT_TLS_CERT_FILE'), key: readPem(o.tls.keyFile, 'PT_TLS_KEY_FILE') }
    : undefined;
  const analytics = await serveAnalytics(config, o);
  const { app, bt } = await buildApiServer(
    { ...serveDeps(config, o, secret), analytics },
    {
      ...(https ? { https } : {}),
      trustProxy: o.behindProxy,
    },
  ).catch((e: unknown) => {
    // OpenSSL refusing the files (not PEM, key and certificate apart) is the user's input, not a bug.
    const code = (e as { code?: unknown }).code;
    if (https && typeof code === 'string' && code.startsWith('ERR_OSSL'))
      throw new PtError(
        'UI_API_NOTLS',
        `PT_TLS_CERT_FILE / PT_TLS_KEY_FILE are not a PEM certificate and its key: ${(e as Error).message}`,
        { source: 'api', exitCode: 2 },
      );
    throw e;
  });
  await app.listen({ host: o.host, port: o.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  process.stdout.write(
    `pt serve listening on ${https ? 'https' : 'http'}://${host}:${port} ` +
      `(ops bus ${busLabel(o)}, analytics trading/risk from ${analytics.sources.trading}, backtest ${o.btDefaultRun}${o.behindProxy ? ', behind a TLS proxy' : ''}${o.serviceEnv ? `, SERVICE_ENV=${o.serviceEnv}` : ''})\n`,
  );
  // Runs until a signal: SIGINT and SIGTERM end the process through the CLI's interrupt handlers.
  await new Promise<void>((resolve) => app.server.once('close', () => resolve()));
  await bt.idle();
  await analytics.close?.();
  return 0;
}

export async function runTokenIssue(raw: RawOptions): Promise<number> {
  const secret = jwtSecretFrom();
  const o = parseTokenIssueOptions(raw);
  process.stdout.write(`${await issueToken(secret, { sub: o.sub, role: o.role, ttlSeconds: o.ttlSeconds })}\n`);
  return 0;
}
