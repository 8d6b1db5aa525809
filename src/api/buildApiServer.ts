// pt serve's HTTP app: routes and schemas from openapi.yaml, Bearer-token RBAC on every route but
// /healthz (denials audited), the ApiResponse wrapper with a request_id on every answer, pt error ids
// for every failure, and each request's latency on the Prometheus registry.
import { randomUUID } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ErrorId } from '../core/errorCatalog.js';
import { appendAudit } from '../ops/audit/appendAudit.js';
import { apiMetrics } from '../observability/apiMetrics.js';
import { registry } from '../observability/metrics.js';
import { localAnalytics } from './analytics/localAnalytics.js';
import { ApiError, apiFailureOf, type ApiFailure } from './apiError.js';
import type { ApiContext, ApiDeps, Handler } from './apiTypes.js';
import { AuthError, verifyToken, type DeniedClaims } from './auth/jwt.js';
import { BtQueue } from './btQueue.js';
import { loadOpenApi, OPENAPI_PATH, routeDefsOf, type RouteDef } from './openapiRoutes.js';
import { roleAtLeast, type Principal, type Role } from './roles.js';
import { getMetricsDataQuality, getMetricsModel, getMetricsRisk, getMetricsTrading } from './routes/analyticsRoutes.js';
import { getBtRun, getBtSummary, getBtTrades, postBtRun } from './routes/btRoutes.js';
import {
  getConfigAudit,
  postConfigApply,
  postConfigApprove,
  postConfigMerge,
  postConfigPr,
  postConfigRollback,
  postConfigValidate,
} from './routes/configRoutes.js';
import { postOpsFlatten, postOpsHalt, postOpsResume, postOpsRollback } from './routes/opsRoutes.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    minRole?: Role;
  }
}

export interface ApiServerOptions {
  /** PEM cert and key: the server speaks HTTPS. */
  https?: { cert: string | Buffer; key: string | Buffer };
  /** Behind a TLS proxy: the client address from X-Forwarded-For. */
  trustProxy?: boolean;
  /** Another openapi.yaml (tests). */
  openapiPath?: string;
}

export interface ApiServer {
  app: FastifyInstance;
  /** The routes derived from openapi.yaml. */
  routes: RouteDef[];
  /** What fastify registered (its onRoute record): the check that the routes are the file's. */
  registered: RegisteredRoute[];
  bt: BtQueue;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  schema: Record<string, unknown> | undefined;
  minRole: Role | undefined;
}

const getHealth: Handler = async (_req, ctx) => ({ data: { service: 'pt', version: ctx.deps.version } });

/** Every operationId of openapi.yaml with its handler (/metrics answers text and is registered apart). */
const HANDLERS: Record<string, Handler> = {
  getHealth,
  getMetricsModel,
  getMetricsTrading,
  getMetricsDataQuality,
  getMetricsRisk,
  postOpsHalt,
  postOpsFlatten,
  postOpsResume,
  postOpsRollback,
  postBtRun,
  getBtRun,
  getBtSummary,
  getBtTrades,
  postConfigValidate,
  postConfigPr,
  postConfigApprove,
  postConfigMerge,
  postConfigApply,
  postConfigRollback,
  getConfigAudit,
};
const PROMETHEUS_OPERATION = 'getPrometheusMetrics';

/**
 * Query strings and path parameters are text: numbers and booleans are coerced. Bodies are JSON: a
 * string where a number belongs is an error, and so is an unknown field (a misspelt `level` must not
 * turn a hard halt into the default soft one).
 */
function validators() {
  const base = { useDefaults: true, removeAdditional: false, allErrors: false, strict: true } as const;
  return {
    text: new Ajv2020({ ...base, coerceTypes: 'array' }),
    body: new Ajv2020({ ...base, coerceTypes: false }),
  };
}

function errorBody(req: FastifyRequest, f: ApiFailure) {
  return { status: 'error', data: null, error: { id: f.id, message: f.message }, request_id: req.id };
}

/** fastify's own errors: body parsing and schema validation. */
function fastifyFailure(e: FastifyError): ApiFailure | undefined {
  if (e.validation) {
    // Name the unknown field: ajv's message says only that there is one.
    const extra = e.validation[0]?.params?.additionalProperty;
    return { status: 400, id: 'UI_API_SCHEMA', message: extra ? `${e.message}: ${String(extra)}` : e.message };
  }
  if (typeof e.code === 'string' && e.code.startsWith('FST_ERR_CTP_'))
    return { status: e.statusCode ?? 400, id: 'UI_API_JSON', message: e.message };
  if (e instanceof SyntaxError && e.statusCode === 400)
    return { status: 400, id: 'UI_API_JSON', message: `the body is not valid JSON: ${e.message}` };
  return undefined;
}

export async function buildApiServer(deps: ApiDeps, options: ApiServerOptions = {}): Promise<ApiServer> {
  const routes = routeDefsOf(loadOpenApi(options.openapiPath ?? OPENAPI_PATH));
  for (const r of routes)
    if (r.operationId !== PROMETHEUS_OPERATION && !HANDLERS[r.operationId])
      throw new Error(`openapi.yaml: no handler for ${r.operationId} (${r.method} ${r.path})`);
  const ctx: ApiContext = {
    deps,
    analytics: deps.analytics ?? localAnalytics({ modelsDir: deps.modelsDir, dqReportsDir: deps.dqReportsDir }),
    bt: new BtQueue(deps.btRunsDir, deps.btMaxQueued ?? 8),
  };
  const ajv = validators();
  const app = Fastify({
    logger: false,
    genReqId: () => randomUUID(),
    // Only the operations of openapi.yaml: no implicit HEAD twins of the GET routes.
    exposeHeadRoutes: false,
    trustProxy: options.trustProxy ?? false,
    ...(options.https ? { https: options.https } : {}),
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? ajv.body : ajv.text).compile(schema as object),
  );
  app.decorateRequest('principal', null);
  // Bodies are JSON only: text is refused as such (415) rather than failing the schema as a string.
  app.removeContentTypeParser('text/plain');
  const registered: RegisteredRoute[] = [];
  app.addHook('onRoute', (r) => {
    registered.push({
      method: String(r.method),
      url: r.url,
      schema: r.schema as Record<string, unknown> | undefined,
      minRole: (r.config as { minRole?: Role } | undefined)?.minRole,
    });
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    const minRole = req.routeOptions.config?.minRole;
    if (minRole === undefined) return; // /healthz, and unknown paths (404)
    try {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
      if (!m)
        throw new AuthError('UI_AUTH_MISSING', 'this route needs an Authorization: Bearer <token> header', {
          sub: null,
          role: null,
          verified: false,
        });
      const p = await verifyToken(deps.jwtSecret, m[1]!);
      if (!roleAtLeast(p.role, minRole))
        throw Object.assign(
          new ApiError(
            403,
            'UI_AUTH_FORBIDDEN',
            `${req.method} ${req.routeOptions.url} needs role ${minRole} or above; the token's role is ${p.role}`,
          ),
          { claims: { sub: p.sub, role: p.role, verified: true } satisfies DeniedClaims },
        );
      req.principal = p;
    } catch (e) {
      await auditDenial(deps, req, e);
      throw e;
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    apiMetrics.requestLatencyMs.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime,
    );
  });

  app.setErrorHandler(async (e: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const f = fastifyFailure(e) ?? apiFailureOf(e);
    if (f) {
      if (f.status >= 500) deps.log?.('error', 'api_failed', { request_id: req.id, id: f.id, message: f.message });
      return reply.code(f.status).send(errorBody(req, f));
    }
    deps.log?.('error', 'api_failed', {
      request_id: req.id,
      url: req.url,
      message: e instanceof Error ? e.message : String(e),
      stack: e instanceof Error ? e.stack : undefined,
    });
    return reply.code(500).send(
      errorBody(req, {
        status: 500,
        id: 'UI_API_INTERNAL',
        message: 'unexpected error; the server log has it under this request_id',
      }),
    );
  });

  app.setNotFoundHandler(async (req, reply) =>
    reply.code(404).send(
      errorBody(req, {
        status: 404,
        id: 'UI_API_NOTFOUND',
        message: `no route ${req.method} ${req.url.split('?')[0]} (openapi.yaml lists them)`,
      }),
    ),
  );

  for (const r of routes) {
    const config: { minRole?: Role } = r.minRole ? { minRole: r.minRole } : {};
    if (r.operationId === PROMETHEUS_OPERATION) {
      app.route({
        method: r.method,
        url: r.url,
        config,
        handler: async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()),
      });
      continue;
    }
    const handler = HANDLERS[r.operationId]!;
    app.route({
      method: r.method,
      url: r.url,
      config,
      schema: r.schema,
      handler: async (req, reply) => {
        const out = await handler(
          { query: req.query, params: req.params, body: req.body, principal: req.principal },
          ctx,
        );
        return reply.code(out.status ?? 200).send({ status: 'ok', data: out.data, error: null, request_id: req.id });
      },
    });
  }
  await app.ready();
  return { app, routes, registered, bt: ctx.bt };
}

/** A 401 or 403 as an `api.denied` entry of the ops audit log; the answer goes out even if the log fails. */
async function auditDenial(deps: ApiDeps, req: FastifyRequest, e: unknown): Promise<void> {
  const f = apiFailureOf(e);
  if (!f || (f.status !== 401 && f.status !== 403)) return;
  const claims: DeniedClaims = (e as { claims?: DeniedClaims }).claims ?? { sub: null, role: null, verified: false };
  const route = `${req.method} ${req.routeOptions.url}`;
  try {
    await appendAudit(deps.auditPath, {
      action: 'api.denied',
      scope: `route:${route}`,
      reason: `${f.id as ErrorId}: ${f.message}`,
      before: null,
      after: null,
      // Only a signed claim names the actor; a forged token's claims are kept apart, as claims.
      actor: claims.verified && claims.sub ? claims.sub : 'anonymous',
      sub: claims.verified ? claims.sub : null,
      role: claims.verified ? claims.role : null,
      ...(claims.verified ? {} : { claimed_sub: claims.sub, claimed_role: claims.role }),
      route,
      status: f.status,
      error_id: f.id,
      request_id: req.id,
      ip: req.ip,
    });
  } catch (err) {
    deps.log?.('error', 'audit_failed', { request_id: req.id, why: err instanceof Error ? err.message : String(err) });
  }
}
