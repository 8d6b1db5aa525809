// PtError: the one error type pt throws at its boundaries, carrying an id from the catalog.
import { randomUUID } from 'node:crypto';
import { type ErrorId, type Severity, severityOf } from './errorCatalog.js';

export interface ErrorPayload {
  error_id: ErrorId;
  event_id: string;
  occurred_at: string;
  severity: Severity;
  source: string;
  message: string;
  details: Record<string, unknown>;
}

export interface PtErrorOptions {
  /** Which part of pt raised it (e.g. `cli`, `config`, `twelvedata`). */
  source?: string;
  details?: Record<string, unknown>;
  /** Process exit code when this error ends a CLI command; 1 unless said. */
  exitCode?: number;
  cause?: unknown;
}

export class PtError extends Error {
  readonly id: ErrorId;
  readonly severity: Severity;
  readonly eventId: string;
  readonly occurredAt: string;
  readonly source: string;
  readonly details: Record<string, unknown>;
  readonly exitCode: number;

  constructor(id: ErrorId, message: string, options: PtErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PtError';
    this.id = id;
    this.severity = severityOf(id);
    this.eventId = randomUUID();
    this.occurredAt = new Date().toISOString();
    this.source = options.source ?? 'pt';
    this.details = options.details ?? {};
    this.exitCode = options.exitCode ?? 1;
  }

  /** The SPEC §11 payload, for logs and alerts. */
  toPayload(): ErrorPayload {
    return {
      error_id: this.id,
      event_id: this.eventId,
      occurred_at: this.occurredAt,
      severity: this.severity,
      source: this.source,
      message: this.message,
      details: this.details,
    };
  }
}

export function isPtError(value: unknown): value is PtError {
  return value instanceof PtError;
}
