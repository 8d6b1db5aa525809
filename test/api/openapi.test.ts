// openapi.yaml is a valid OpenAPI 3.1 document, and pt serve registers exactly its operations with
// exactly its schemas: compared with the document as @readme/openapi-parser dereferences it, not as
// the server's own reader does.
import { readFileSync } from 'node:fs';
import { compileErrors, dereference, validate } from '@readme/openapi-parser';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiServer, type ApiServer } from '../../src/api/buildApiServer.js';
import { OPENAPI_PATH } from '../../src/api/openapiRoutes.js';
import { ROLES } from '../../src/api/roles.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { serveDeps } from '../../src/cli/serveDeps.js';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { repoRoot } from '../helpers/runPt.js';

type Json = Record<string, any>;
const doc = () => parse(readFileSync(OPENAPI_PATH, 'utf8')) as Json;

let server: ApiServer;
let spec: Json;
let dir = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pt-openapi-'));
  spec = (await dereference(doc() as never)) as Json;
  const config = loadConfig(join(repoRoot, 'config'));
  const paths = {
    bus: 'files' as const,
    redisPrefix: 'core',
    opsDir: join(dir, 'ops'),
    auditPath: join(dir, 'ops', 'audit.jsonl'),
    dataDir: join(dir, 'data'),
    modelsDir: join(dir, 'models'),
    dqReportsDir: join(dir, 'reports', 'dq'),
    btDefaultRun: join(dir, 'reports', 'bt'),
    btRunsDir: join(dir, 'reports', 'bt_api'),
  };
  server = await buildApiServer(serveDeps(config, paths, new Uint8Array(32), true));
});

afterAll(async () => {
  await server?.app.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The spec's operations as `METHOD fastify-url`. */
function operations(): Array<{ key: string; op: Json; path: string; method: string }> {
  const out = [];
  for (const [path, item] of Object.entries(spec.paths as Json))
    for (const [method, op] of Object.entries(item as Json))
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method))
        out.push({
          key: `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`,
          op: op as Json,
          path,
          method,
        });
  return out;
}

describe('openapi.yaml', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const d = doc();
    expect(d.openapi).toMatch(/^3\.1\./);
    const r = await validate(d as never);
    expect(r.valid, r.valid ? '' : compileErrors(r)).toBe(true);
  });

  it('a broken document fails the validation (the check can fail)', async () => {
    const d = doc();
    d.paths['/api/v1/bt/trades'].get.parameters[0] = { $ref: '#/components/parameters/Nope' };
    expect((await validate(d as never)).valid).toBe(false);
    const e = doc();
    delete e.info;
    expect((await validate(e as never)).valid).toBe(false);
  });

  it('the server registers exactly its operations, each with its minimum role', () => {
    const registered = server.registered.map((r) => `${r.method} ${r.url}`).sort();
    expect(registered).toEqual(
      operations()
        .map((o) => o.key)
        .sort(),
    );
    for (const o of operations()) {
      const r = server.registered.find((x) => `${x.method} ${x.url}` === o.key)!;
      expect(r.minRole, o.key).toBe(o.op['x-pt-min-role']);
      if (o.path === '/healthz') expect(r.minRole).toBeUndefined();
      else expect(ROLES, o.key).toContain(r.minRole);
    }
  });

  it("each route's body, query, path and response schemas are the document's", () => {
    for (const o of operations()) {
      const r = server.registered.find((x) => `${x.method} ${x.url}` === o.key)!;
      const schema = (r.schema ?? {}) as Json;
      const params = (o.op.parameters ?? []) as Json[];
      for (const where of ['query', 'path'] as const) {
        const own = params.filter((p) => p.in === where);
        const got = schema[where === 'query' ? 'querystring' : 'params'];
        if (own.length === 0) {
          expect(got, o.key).toBeUndefined();
          continue;
        }
        expect(got.additionalProperties, o.key).toBe(false);
        expect(got.properties, o.key).toEqual(Object.fromEntries(own.map((p) => [p.name, p.schema])));
        expect(got.required ?? [], o.key).toEqual(own.filter((p) => p.required).map((p) => p.name));
      }
      expect(schema.body, o.key).toEqual(o.op.requestBody?.content?.['application/json']?.schema);
      const responses = Object.fromEntries(
        Object.entries(o.op.responses as Json)
          .filter(([, v]) => (v as Json).content?.['application/json'])
          .map(([code, v]) => [code, (v as Json).content['application/json'].schema]),
      );
      if (o.path === '/metrics') expect(schema.response, o.key).toBeUndefined();
      else expect(schema.response, o.key).toEqual(responses);
    }
  });
});
