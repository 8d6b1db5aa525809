// Alerts (seed: アラート, error id naming v1): what a job raises, the record every accepted alert
// leaves (alerts.jsonl, the Redis list pt monitor reads) and the channel that delivers a payload.
import type { ErrorId, Severity } from '../core/errorCatalog.js';

/** What a caller raises: an error id of the catalog, who raised it, one line, and the facts. */
export interface AlertInput {
  errorId: ErrorId;
  /** The raising process or part: `live shard_0`, `ops`, `ingest twelvedata`, `retrain g1`. */
  source: string;
  message: string;
  details?: Record<string, unknown>;
  /** What makes two raises of one id the same alert for suppression (a pair, a shard); '' by default. */
  dedupeKey?: string;
}

/** One accepted alert as recorded: a line of `<ops_dir>/alerts.jsonl` and an entry of `<prefix>:alerts`. */
export interface AlertRecord {
  event_id: string;
  error_id: string;
  severity: Severity;
  source: string;
  message: string;
  /** ISO UTC. */
  occurred_at: string;
  details: Record<string, unknown>;
}

/** Where accepted alerts are kept (a file, Redis). Failures are the caller's to log, never the raiser's. */
export interface AlertRecordStore {
  readonly name: string;
  append(record: AlertRecord): Promise<void>;
  close(): Promise<void>;
}

/** An HTTP receiver of alert payloads (Slack webhook, PagerDuty Events API v2). Throws on a non-2xx answer. */
export interface AlertChannel {
  readonly name: string;
  send(body: object, signal: AbortSignal): Promise<void>;
}

/** What jobs are given: raise is synchronous and cheap; delivery happens in the background. */
export interface AlertSink {
  raise(alert: AlertInput): void;
}
