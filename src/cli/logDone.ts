// The structured `<command>_done` log line of a one-shot command (shown at LOG_LEVEL=INFO; a terminal sees the summary).
import { createLogger, type LogContext } from '../core/logger.js';

export function logDone(context: LogContext, event: string, details: Record<string, unknown>): void {
  createLogger(context, process.stderr, 'warn').info({ event, details });
}
