// pt serve and pt token issue as a user runs them: the refusals to start (no or short PT_JWT_SECRET,
// SERVICE_ENV=prod without TLS or a proxy), HTTPS from PT_TLS_CERT_FILE/PT_TLS_KEY_FILE, and a token
// that the server's own check accepts.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPg, migrate } from '../../src/adapters/postgres/index.js';
import { issueToken, verifyToken } from '../../src/api/auth/jwt.js';
import { createTestSchema, postgresAvailable } from '../helpers/postgres.js';
import { repoRoot, runPt } from '../helpers/runPt.js';

const SECRET = 'a-secret-for-the-cli-tests-0123456789abcdef';
let dir = '';
const base = { SERVICE_ENV: '', REDIS_URL: '', PT_TLS_CERT_FILE: '', PT_TLS_KEY_FILE: '', PG_URL: '' };
const pt = (args: string[], env: NodeJS.ProcessEnv) =>
  runPt(['-c', join(repoRoot, 'config'), ...args], { HOME: dir, ...base, ...env }, dir);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-serve-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts pt serve on a free port, waits for its listening line, runs `use`, then stops it (SIGTERM). */
async function withServer(args: string[], env: NodeJS.ProcessEnv, use: (url: string) => Promise<void>): Promise<void> {
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'bin/pt.js'), '-c', join(repoRoot, 'config'), 'serve', '--port', '0', ...args],
    {
      cwd: dir,
      env: { ...process.env, HOME: dir, ...base, ...env },
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /listening on (https?:\/\/\S+)/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`pt serve exited ${code}: ${stderr}`)));
  });
  try {
    await use(url);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

describe('pt serve refuses to start', () => {
  it('without PT_JWT_SECRET, or with one shorter than 32 bytes', () => {
    const none = pt(['serve', '--port', '0'], { PT_JWT_SECRET: '' });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^ERROR UI_AUTH_SECRET: PT_JWT_SECRET is not set/m);
    const short = pt(['serve', '--port', '0'], { PT_JWT_SECRET: 'x'.repeat(31) });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/UI_AUTH_SECRET: PT_JWT_SECRET is 31 bytes: it must be at least 32/);
  });

  it('with SERVICE_ENV=prod and neither TLS files nor --behind-proxy', () => {
    const r = pt(['serve', '--port', '0'], { PT_JWT_SECRET: SECRET, SERVICE_ENV: 'prod' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ERROR UI_API_NOTLS: SERVICE_ENV=prod/m);
    const half = pt(['serve', '--port', '0'], { PT_JWT_SECRET: SECRET, PT_TLS_CERT_FILE: join(dir, 'cert.pem') });
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/CORE_CLI_USAGE: PT_TLS_CERT_FILE and PT_TLS_KEY_FILE go together/);
    const missing = pt(['serve', '--port', '0'], {
      PT_JWT_SECRET: SECRET,
      SERVICE_ENV: 'prod',
      PT_TLS_CERT_FILE: join(dir, 'nope.pem'),
      PT_TLS_KEY_FILE: join(dir, 'nope.key'),
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/UI_API_NOTLS: PT_TLS_CERT_FILE .*nope\.pem cannot be read/);
    // Files that are there but are no certificate: the user's input, not an internal bug.
    writeFileSync(join(dir, 'garbage.pem'), 'not a certificate\n');
    const garbage = pt(['serve', '--port', '0'], {
      PT_JWT_SECRET: SECRET,
      PT_TLS_CERT_FILE: join(dir, 'garbage.pem'),
      PT_TLS_KEY_FILE: join(dir, 'garbage.pem'),
    });
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toMatch(/^ERROR UI_API_NOTLS: PT_TLS_CERT_FILE \/ PT_TLS_KEY_FILE are not a PEM/m);
  });
});

describe('pt serve starts', () => {
  it('with SERVICE_ENV=prod behind a proxy: plain HTTP, /healthz open, the rest closed', async () => {
    await withServer(['--behind-proxy'], { PT_JWT_SECRET: SECRET, SERVICE_ENV: 'prod' }, async (url) => {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const h = await fetch(`${url}/healthz`);
      expect(h.status).toBe(200);
      expect(((await h.json()) as { status: string }).status).toBe('ok');
      expect((await fetch(`${url}/api/v1/metrics/model`)).status).toBe(401);
    });
  }, 30_000);

  it('with SERVICE_ENV=prod and TLS files: HTTPS with that certificate', async () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { encoding: 'utf8' },
    );
    expect(made.status, `openssl is needed for this test: ${made.stderr}`).toBe(0);
    const env = { PT_JWT_SECRET: SECRET, SERVICE_ENV: 'prod', PT_TLS_CERT_FILE: cert, PT_TLS_KEY_FILE: key };
    await withServer([], env, async (url) => {
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const body = await new Promise<string>((resolve, reject) =>
        get(`${url}/healthz`, { ca: readFileSync(cert) }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve(text));
        }).on('error', reject),
      );
      expect(JSON.parse(body)).toMatchObject({ status: 'ok', data: { service: 'pt' } });
    });
  }, 30_000);
});

describe('pt token issue', () => {
  it('prints a token the server accepts, with the role, sub and lifetime asked for', async () => {
    const r = pt(['token', 'issue', '--role', 'approver', '--sub', 'alice', '--ttl', '15m'], { PT_JWT_SECRET: SECRET });
    expect(r.code, r.stderr).toBe(0);
    const token = r.stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    expect(await verifyToken(new TextEncoder().encode(SECRET), token)).toEqual({ sub: 'alice', role: 'approver' });
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      number | string
    >;
    expect(claims).toMatchObject({ iss: 'pt', sub: 'alice', role: 'approver' });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(900);
    // Signed with another secret it is no token of this server.
    await expect(verifyToken(new TextEncoder().encode(`${SECRET}-other`), token)).rejects.toMatchObject({
      id: 'UI_AUTH_INVALID',
    });
  });

  it('refuses without the secret, an unknown role or a bad --ttl', () => {
    expect(pt(['token', 'issue', '--role', 'viewer', '--sub', 'x'], { PT_JWT_SECRET: '' }).stderr).toMatch(
      /UI_AUTH_SECRET/,
    );
    const role = pt(['token', 'issue', '--role', 'root', '--sub', 'x'], { PT_JWT_SECRET: SECRET });
    expect(role.code).toBe(2);
    expect(role.stderr).toMatch(/CORE_CLI_USAGE: --role root/);
    const ttl = pt(['token', 'issue', '--role', 'viewer', '--sub', 'x', '--ttl', '1y'], { PT_JWT_SECRET: SECRET });
    expect(ttl.code).toBe(2);
    expect(ttl.stderr).toMatch(/--ttl 1y/);
  });
});

describe.runIf(await postgresAvailable())('pt serve with PG_URL', () => {
  it('answers trading and risk from PostgreSQL (source postgres), the files without PG_URL; refuses a schema behind', async () => {
    const s = await createTestSchema('serve');
    try {
      const behind = pt(['serve', '--port', '0'], { PT_JWT_SECRET: SECRET, PG_URL: s.url });
      expect(behind.code).toBe(2);
      expect(behind.stderr).toMatch(/^ERROR OPS_PG_SCHEMA: schema .* run pt db migrate first/m);
      const c = await connectPg(s.url);
      await migrate(c, { lockTimeoutMs: 5000 });
      await c.end();
      const token = await issueToken(new TextEncoder().encode(SECRET), { sub: 'cli', role: 'viewer', ttlSeconds: 60 });
      const sourceOf = async (url: string, route: string) => {
        const r = await fetch(`${url}/api/v1/metrics/${route}`, { headers: { authorization: `Bearer ${token}` } });
        expect(r.status).toBe(200);
        return ((await r.json()) as { data: { source: string } }).data.source;
      };
      await withServer([], { PT_JWT_SECRET: SECRET, PG_URL: s.url }, async (url) => {
        expect(await sourceOf(url, 'risk')).toBe('postgres');
        expect(await sourceOf(url, 'model')).toBe('duckdb');
      });
      await withServer([], { PT_JWT_SECRET: SECRET }, async (url) => {
        expect(await sourceOf(url, 'risk')).toBe('duckdb');
      });
    } finally {
      await s.drop();
    }
  }, 60_000);
});
