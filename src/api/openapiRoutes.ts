// openapi.yaml (the repo root) → pt serve's routes: method, URL, minimum role and the JSON Schemas
// fastify validates and serialises with. The file is the one description of the API: a route exists
// only when it is there, and its schemas are the file's, dereferenced.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { PtError } from '../core/ptError.js';
import { isRole, type Role } from './roles.js';

/** Two folders up from both src/api/ and dist/api/. */
export const OPENAPI_PATH = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));

type Json = Record<string, unknown>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export interface RouteSchema {
  querystring?: Json;
  params?: Json;
  body?: Json;
  /** Status code → the JSON body's schema (only JSON responses: /metrics is text). */
  response?: Record<string, Json>;
}

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path as openapi.yaml writes it (`/api/v1/bt/runs/{run_id}`). */
  path: string;
  /** The same in fastify's form (`/api/v1/bt/runs/:run_id`). */
  url: string;
  operationId: string;
  /** undefined: no token needed (only /healthz). */
  minRole?: Role;
  schema: RouteSchema;
}

export function loadOpenApi(path = OPENAPI_PATH): Json {
  return parse(readFileSync(path, 'utf8')) as Json;
}

function pointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`openapi.yaml: only local $refs are supported, not ${ref}`);
  let at: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    at = (at as Json | undefined)?.[key];
    if (at === undefined) throw new Error(`openapi.yaml: $ref ${ref} points at nothing`);
  }
  return at;
}

/** `value` with every local $ref replaced by its target (siblings of a $ref override the target's keys). */
export function dereference(doc: Json, value: unknown, seen: readonly string[] = []): unknown {
  if (Array.isArray(value)) return value.map((v) => dereference(doc, v, seen));
  if (value === null || typeof value !== 'object') return value;
  const { $ref, ...rest } = value as Json;
  if (typeof $ref === 'string') {
    if (seen.includes($ref)) throw new Error(`openapi.yaml: $ref cycle through ${$ref}`);
    const target = dereference(doc, pointer(doc, $ref), [...seen, $ref]) as Json;
    return { ...target, ...(dereference(doc, rest, seen) as Json) };
  }
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, dereference(doc, v, seen)]));
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema: Json;
}

function paramsObject(params: Parameter[], where: 'query' | 'path'): Json | undefined {
  const own = params.filter((p) => p.in === where);
  if (own.length === 0) return undefined;
  const required = own.filter((p) => p.required).map((p) => p.name);
  return {
    type: 'object',
    properties: Object.fromEntries(own.map((p) => [p.name, p.schema])),
    ...(required.length > 0 ? { required } : {}),
    // A misspelt parameter is an error, not a silently ignored one.
    additionalProperties: false,
  };
}

/** Every operation of the document as a route, in the file's order. */
export function routeDefsOf(doc: Json): RouteDef[] {
  const routes: RouteDef[] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const m of METHODS) {
      const raw = item[m] as Json | undefined;
      if (!raw) continue;
      const op = dereference(doc, raw) as Json;
      const operationId = op.operationId;
      if (typeof operationId !== 'string') throw new Error(`openapi.yaml: ${m} ${path} has no operationId`);
      const role = op['x-pt-min-role'];
      if (role !== undefined && !isRole(role))
        throw new PtError('CORE_CONFIG_INVALID', `openapi.yaml: ${operationId}: x-pt-min-role ${String(role)}`);
      const params = (op.parameters ?? []) as Parameter[];
      const schema: RouteSchema = {};
      const qs = paramsObject(params, 'query');
      if (qs) schema.querystring = qs;
      const ps = paramsObject(params, 'path');
      if (ps) schema.params = ps;
      const body = ((op.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as
        | Json
        | undefined;
      if (body) schema.body = body.schema as Json;
      const response: Record<string, Json> = {};
      for (const [code, r] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
        const json = (r.content as Json | undefined)?.['application/json'] as Json | undefined;
        if (json) response[code] = json.schema as Json;
      }
      if (Object.keys(response).length > 0) schema.response = response;
      routes.push({
        method: m.toUpperCase() as RouteDef['method'],
        path,
        url: path.replace(/\{([^}]+)\}/g, ':$1'),
        operationId,
        ...(role !== undefined ? { minRole: role } : {}),
        schema,
      });
    }
  }
  return routes;
}
