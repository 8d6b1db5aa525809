// Structured JSON logs (pino) with the SPEC §8 fields: ts, level, source, timeframe, symbol, run_id, event, details.
import { pino, type Logger } from 'pino';
import type { PtError } from './ptError.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogContext {
  source: string;
  run_id?: string;
  timeframe?: string;
  symbol?: string;
}

/** Maps LOG_LEVEL (INFO|DEBUG|WARN|ERROR, any case) to a pino level; `fallback` when unset or unknown. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env, fallback: LogLevel = 'info'): LogLevel {
  const raw = (env.LOG_LEVEL ?? '').toLowerCase();
  return raw === 'debug' || raw === 'info' || raw === 'warn' || raw === 'error' ? raw : fallback;
}

/**
 * Whether LOG_LEVEL names a level. Cron, CI and services set it to collect the JSON log lines; a
 * bare terminal, without it, sees only the human lines.
 */
export function logLevelIsSet(env: NodeJS.ProcessEnv = process.env): boolean {
  return logLevelFromEnv(env, 'info') === (env.LOG_LEVEL ?? '').toLowerCase();
}

/** LOG_LEVEL as given when it is set but names no level (it is then ignored), else undefined. */
export function unknownLogLevel(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.LOG_LEVEL;
  if (raw === undefined || raw === '') return undefined;
  return ['debug', 'info', 'warn', 'error'].includes(raw.toLowerCase()) ? undefined : raw;
}

export function isDebug(env: NodeJS.ProcessEnv = process.env): boolean {
  return logLevelFromEnv(env) === 'debug';
}

/**
 * A logger writing one JSON object per line to stderr (stdout stays for command output).
 * Call it as `log.info({ event: 'ingest_done', details: {...} })`. One-shot commands pass
 * `defaultLevel: 'warn'` so a terminal shows their summary, not JSON; LOG_LEVEL=INFO (cron, CI)
 * brings the info lines back. Long-lived processes keep `info`.
 */
export function createLogger(
  context: LogContext,
  destination: NodeJS.WritableStream = process.stderr,
  defaultLevel: LogLevel = 'info',
): Logger {
  return pino(
    {
      level: logLevelFromEnv(process.env, defaultLevel),
      base: context,
      messageKey: 'message',
      timestamp: () => `,"ts":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination as pino.DestinationStream,
  );
}

/**
 * One log line holding a PtError's SPEC §11 payload (error_id, event_id, occurred_at, severity,
 * details) with `event`, at `level`; the error's message is the line's message. `source` is the
 * logger's own (give it the error's): pino would print a second `source` key, not replace it.
 */
export function logPtError(log: Logger, level: 'warn' | 'error', event: string, error: PtError): void {
  const p = error.toPayload();
  log[level](
    {
      event,
      error_id: p.error_id,
      event_id: p.event_id,
      occurred_at: p.occurred_at,
      severity: p.severity,
      details: p.details,
    },
    p.message,
  );
}

export type { Logger };
