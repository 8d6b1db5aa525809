// The SPEC §11 payload of a failed command as one JSON log line (error level), beside the human `ERROR` line.
import { createLogger, logLevelIsSet, logPtError } from '../core/logger.js';
import type { PtError } from '../core/ptError.js';

/**
 * Written only when LOG_LEVEL is set (cron, CI, systemd collect it): a terminal without it keeps
 * the one human line. The line is written here only, once per failed command.
 */
export function logFailure(error: PtError, destination: NodeJS.WritableStream = process.stderr): void {
  if (!logLevelIsSet()) return;
  logPtError(createLogger({ source: error.source }, destination, 'error'), 'error', 'command_failed', error);
}
