// PostgreSQL connections from PG_URL: a missing URL or a server that does not answer is one error line,
// with the URL's password never in it.
import pg from 'pg';
import { PtError } from '../../core/ptError.js';

/** Drops the password from a postgres:// URL (and a `password=` parameter, key=value form too) so it can be printed. */
export function redactPgUrl(url: string): string {
  return url
    .replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:***@')
    .replace(/([?&]password=)[^&]*/i, '$1***')
    .replace(/(\bpassword\s*=\s*)('[^']*'|\S+)/gi, '$1***');
}

/** PG_URL, or CORE_ENV_MISSING saying what needs it. */
export function pgUrlFromEnv(env: NodeJS.ProcessEnv = process.env, what = 'the PostgreSQL history'): string {
  const url = env.PG_URL?.trim();
  if (!url)
    throw new PtError(
      'CORE_ENV_MISSING',
      `PG_URL is not set: ${what} needs a PostgreSQL URL, e.g. PG_URL=postgres://user@127.0.0.1:5432/pt`,
      { source: 'postgres', exitCode: 2 },
    );
  // Only a URL is taken: libpq's key=value form, another scheme or an unencoded # / @ in the password would be
  // misread, and the value is never echoed (it holds the password).
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') || !parsed.host)
    throw new PtError(
      'CORE_ENV_INVALID',
      'PG_URL is not a postgres:// URL (its value is not shown): give postgres://user:password@host:5432/db, with # / @ : in the password percent-encoded',
      { source: 'postgres', exitCode: 2 },
    );
  return url;
}

/** A connected client; OPS_PG_CONNFAIL (the URL redacted) when the server refuses or does not answer. */
export async function connectPg(url: string, connectTimeoutMs = 5000): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  // A connection lost later surfaces through the failing query; without a listener it would crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    const why = error instanceof Error ? error.message : String(error);
    throw new PtError('OPS_PG_CONNFAIL', `PostgreSQL did not accept a connection at ${redactPgUrl(url)}: ${why}`, {
      source: 'postgres',
      cause: error,
    });
  }
  return client;
}
