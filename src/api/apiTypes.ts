// What pt serve is given (config, secret, paths, the backtest job and the hooks the CLI wires) and
// what a route handler sees.
import type { PtConfig } from '../config/schemas/index.js';
import type { ConfigFlowContext } from '../configflow/index.js';
import type { OpsControl } from '../ports/opsControl.js';
import type { AnalyticsSource } from './analytics/analyticsSource.js';
import type { BtJobOutcome, BtQueue } from './btQueue.js';
import type { Principal } from './roles.js';

/** An applied ops action, for the INFO alert pt ops raises too (wired by the CLI). */
export interface ApiOpsEvent {
  action: 'halt' | 'flatten' | 'resume' | 'rollback';
  scope: string;
  level: string;
  actor: string;
  reason: string | null;
  auditSha256: string;
}

/** POST /api/v1/bt/runs's body (openapi.yaml BtRunRequest), validated. */
export interface BtRunRequest {
  pair_ids?: string[];
  timeframe?: string;
  period?: string;
  rule_only?: boolean;
  model_version?: string;
  theta1?: number;
  theta2?: number;
  stress?: boolean;
  seed?: number;
}

export interface ApiDeps {
  config: PtConfig;
  /** PT_JWT_SECRET's bytes (jwtSecretFrom). */
  jwtSecret: Uint8Array;
  /** runbook_policy.yaml audit_log_path, absolute: ops actions and denials. */
  auditPath: string;
  /** The ops bus (Redis or the files of the ops folder), opened per request and closed after it. */
  openOpsControl: () => Promise<OpsControl>;
  /** The model registry (models/). */
  modelsDir: string;
  /** pt dq's reports (reports/dq). */
  dqReportsDir: string;
  /** pt bt run's default --out (reports/bt): the outputs read when no run_id is given. */
  btDefaultRun: string;
  /** Where queued runs write, one folder per run id. */
  btRunsDir: string;
  /** The job of pt bt run for a request, writing into outDir. */
  backtest: (request: BtRunRequest, outDir: string) => Promise<BtJobOutcome>;
  /** After an ops action is applied and audited (the CLI raises OPS_ACTION_APPLIED); must not throw. */
  onOpsAction?: (e: ApiOpsEvent) => Promise<void>;
  /** After a rollback: ask running shards to reload; one line per channel told. */
  requestReload?: () => Promise<string[]>;
  /** The config workflow over the working folder's git repository; the /configs routes answer 503 without it. */
  configFlow?: ConfigFlowContext;
  /** The analytics' store; the local files (DuckDB) when undefined. */
  analytics?: AnalyticsSource;
  /** Backtests waiting (besides the running one) before UI_API_BUSY; 8 when undefined. */
  btMaxQueued?: number;
  /** pt's version, for /healthz. */
  version: string;
  /** Server-side log lines (failures with their request_id); silent when undefined. */
  log?: (level: 'info' | 'warn' | 'error', event: string, details: Record<string, unknown>) => void;
}

export interface ApiContext {
  deps: ApiDeps;
  analytics: AnalyticsSource;
  bt: BtQueue;
}

/** A handler's answer: the ApiResponse's data, and the status when not 200. */
export interface HandlerResult {
  status?: number;
  data: unknown;
}

export interface HandlerRequest {
  query: unknown;
  params: unknown;
  body: unknown;
  /** Set by the auth hook on every route but /healthz. */
  principal: Principal | null;
}

export type Handler = (req: HandlerRequest, ctx: ApiContext) => Promise<HandlerResult>;
