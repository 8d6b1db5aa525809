// pt token issue flags → role, subject and lifetime of the token.
import { MAX_TTL_SECONDS, validSub } from '../../api/auth/jwt.js';
import { isRole, ROLES, type Role } from '../../api/roles.js';
import { tableDefaulted, usageError, type RawOptions } from './cliOptions.js';

export interface TokenIssueOptions {
  role: Role;
  sub: string;
  ttlSeconds: number;
}

/** A token lives at most this long: a leaked one must expire within a quarter. */
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90s`, `15m`, `1h`, `7d` → seconds. */
export function parseTtl(text: string): number {
  const m = /^(\d+)([smhd])$/.exec(text.trim());
  const seconds = m ? Number(m[1]) * UNIT_SECONDS[m[2]!]! : Number.NaN;
  if (!(seconds >= 1 && seconds <= MAX_TTL_SECONDS))
    throw usageError(`--ttl ${text}: give a lifetime such as 15m, 1h or 7d, from 1s to 90d`);
  return seconds;
}

export function parseTokenIssueOptions(raw: RawOptions): TokenIssueOptions {
  const role = raw.role === undefined ? undefined : String(raw.role);
  if (!isRole(role)) throw usageError(`--role ${role ?? '(missing)'}: one of ${ROLES.join(', ')}`);
  const sub = raw.sub === undefined ? '' : String(raw.sub).trim();
  if (!validSub(sub))
    throw usageError(
      '--sub needs a name (who the token is for, recorded as the actor of what it does), up to 200 characters',
    );
  return { role, sub, ttlSeconds: parseTtl(tableDefaulted(raw, 'ttl', '--ttl')) };
}
