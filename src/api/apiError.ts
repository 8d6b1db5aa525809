// An error of pt serve with its HTTP status, and the status of any other pt error a route lets through.
import type { ErrorId } from '../core/errorCatalog.js';
import { isPtError, PtError } from '../core/ptError.js';

export class ApiError extends PtError {
  readonly status: number;
  constructor(status: number, id: ErrorId, message: string, details: Record<string, unknown> = {}) {
    super(id, message, { source: 'api', details });
    this.status = status;
  }
}

/** The library's ids a client can act on; every other pt error is the server's (500). */
const STATUS_OF: Partial<Record<ErrorId, number>> = {
  CORE_CLI_USAGE: 400,
  UI_API_JSON: 400,
  UI_API_SCHEMA: 400,
  UI_AUTH_MISSING: 401,
  UI_AUTH_INVALID: 401,
  UI_AUTH_EXPIRED: 401,
  UI_AUTH_FORBIDDEN: 403,
  UI_API_NOTFOUND: 404,
  BT_RUN_MISSING: 404,
  CORE_FS_MISSING: 404,
  CORE_MODEL_NOCURRENT: 404,
  CORE_MODEL_NOTFOUND: 404,
  OPS_ROLLBACK_UNKNOWN: 404,
  OPS_CONFIG_UNKNOWN: 404,
  OPS_CONFIG_PATH: 400,
  OPS_CONFIG_SELF: 403,
  OPS_CONFIG_STATE: 409,
  OPS_CONFIG_APPROVALS: 409,
  OPS_CONFIG_CONFLICT: 409,
  OPS_CONFIG_NOCHANGE: 409,
  OPS_CONFIG_NOPREV: 409,
  OPS_CONFIG_INVALID: 422,
  OPS_CONFIG_GIT: 503,
  UI_API_NOTREADY: 409,
  OPS_RESUME_REFUSED: 409,
  OPS_RESUME_NOTHING: 409,
  OPS_FLAGS_INVALID: 409,
  UI_API_BUSY: 429,
  OPS_BUS_DOWN: 503,
};

export interface ApiFailure {
  status: number;
  id: ErrorId;
  message: string;
}

/** What a thrown value answers; undefined for a value that is no pt error (the caller's 500). */
export function apiFailureOf(e: unknown): ApiFailure | undefined {
  if (e instanceof ApiError) return { status: e.status, id: e.id, message: e.message };
  if (!isPtError(e)) return undefined;
  // A library usage error names CLI flags; over HTTP it is a request that does not fit.
  const id: ErrorId = e.id === 'CORE_CLI_USAGE' ? 'UI_API_SCHEMA' : e.id;
  return { status: STATUS_OF[e.id] ?? 500, id, message: e.message };
}

export const badRequest = (message: string, details: Record<string, unknown> = {}): ApiError =>
  new ApiError(400, 'UI_API_SCHEMA', message, details);
