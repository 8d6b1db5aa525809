// pt serve flags and environment → typed options: where to listen, TLS or a proxy, which ops bus,
// where the data, models and reports are. Pure: the TLS files are named here and read by the command.
import { resolve } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';
import { PtError } from '../../core/ptError.js';
import { isProdEnv } from '../../core/serviceEnv.js';
import { maybePath, tableDefaulted, tableDefaultedPath, usageError, type RawOptions } from './cliOptions.js';
import { parseOpsBus, type OpsBusOptions } from './parseOpsOptions.js';

export interface ServeOptions extends OpsBusOptions {
  host: string;
  /** 0: any free port (printed once listening). */
  port: number;
  behindProxy: boolean;
  /** PEM files from PT_TLS_CERT_FILE / PT_TLS_KEY_FILE: the server speaks HTTPS. */
  tls?: { certFile: string; keyFile: string };
  /** runbook_policy.yaml audit_log_path, absolute. */
  auditPath: string;
  dataDir: string;
  modelsDir: string;
  /** reports/dq, reports/bt (pt bt run's default --out) and reports/bt_api (the API's runs), absolute. */
  dqReportsDir: string;
  /** The backtest outputs read without run_id (--bt-dir, else reports/bt; pt serve falls back to the newest run when not given). */
  btDefaultRun: string;
  btDirGiven: boolean;
  btRunsDir: string;
  serviceEnv: string;
  /** The git repository of the config workflow (the working folder); the /configs routes are off without it. */
  configRepo?: string;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw usageError(`--port ${value}: give 0 to 65535`);
  return n;
}

export function parseServeOptions(
  raw: RawOptions,
  config: PtConfig,
  env: NodeJS.ProcessEnv = process.env,
): ServeOptions {
  const certFile = env.PT_TLS_CERT_FILE || undefined;
  const keyFile = env.PT_TLS_KEY_FILE || undefined;
  if ((certFile === undefined) !== (keyFile === undefined))
    throw usageError('PT_TLS_CERT_FILE and PT_TLS_KEY_FILE go together: set both (PEM files) or neither');
  const behindProxy = raw.behindProxy === true;
  // In production the tokens must never cross the network in clear text (prod as the model keys read it).
  if (isProdEnv(env) && certFile === undefined && !behindProxy)
    throw new PtError(
      'UI_API_NOTLS',
      'SERVICE_ENV=prod: set PT_TLS_CERT_FILE and PT_TLS_KEY_FILE, or pass --behind-proxy when a TLS proxy fronts pt serve',
      { source: 'api', exitCode: 2 },
    );
  const host = tableDefaulted(raw, 'host', '--host').trim();
  if (host === '') throw usageError('--host needs an address');
  const btDir = maybePath(raw.btDir);
  return {
    ...parseOpsBus(raw, config, env),
    host,
    port: port(tableDefaulted(raw, 'port', '--port')),
    behindProxy,
    ...(certFile && keyFile ? { tls: { certFile: resolve(certFile), keyFile: resolve(keyFile) } } : {}),
    auditPath: resolve(config.runbook_policy.audit_log_path),
    dataDir: tableDefaultedPath(raw, 'dataDir', '--data-dir'),
    modelsDir: tableDefaultedPath(raw, 'modelsDir', '--models-dir'),
    dqReportsDir: resolve('reports', 'dq'),
    btDefaultRun: btDir ?? resolve('reports', 'bt'),
    btDirGiven: btDir !== undefined,
    btRunsDir: resolve('reports', 'bt_api'),
    serviceEnv: env.SERVICE_ENV ?? '',
    configRepo: resolve('.'),
  };
}
