// pt's Bearer tokens: HS256 JWTs signed with PT_JWT_SECRET, claims sub, role, iat, exp and iss "pt".
import { decodeJwt, errors, jwtVerify, SignJWT } from 'jose';
import { PtError } from '../../core/ptError.js';
import { ApiError } from '../apiError.js';
import { isRole, type Principal, type Role } from '../roles.js';

export const JWT_ISSUER = 'pt';
/** HS256 with a shorter key is guessable offline from any token it signed (RFC 7518 §3.2: ≥ 256 bits). */
export const MIN_SECRET_BYTES = 32;
/** The longest lifetime a token may have (pt token issue's --ttl bound; the server checks it again). */
export const MAX_TTL_SECONDS = 90 * 86_400;
/** What pt token issue allows in a sub: it becomes the actor of audit entries and alert texts. */
export function validSub(sub: string): boolean {
  return sub !== '' && sub.length <= 200 && !/[\u0000-\u001f\u007f]/.test(sub);
}

/** PT_JWT_SECRET as key bytes; UI_AUTH_SECRET when it is unset or shorter than 32 bytes. */
export function jwtSecretFrom(env: NodeJS.ProcessEnv = process.env): Uint8Array {
  const s = env.PT_JWT_SECRET ?? '';
  const bytes = new TextEncoder().encode(s);
  if (bytes.length < MIN_SECRET_BYTES)
    throw new PtError(
      'UI_AUTH_SECRET',
      s === ''
        ? 'PT_JWT_SECRET is not set: export at least 32 random bytes (e.g. `openssl rand -base64 48`)'
        : `PT_JWT_SECRET is ${bytes.length} bytes: it must be at least ${MIN_SECRET_BYTES}`,
      { source: 'api', exitCode: 2 },
    );
  return bytes;
}

export interface TokenClaims {
  sub: string;
  role: Role;
  /** Lifetime in seconds. */
  ttlSeconds: number;
  /** Issue time, ms (tests); now when undefined. */
  nowMs?: number;
}

export async function issueToken(secret: Uint8Array, c: TokenClaims): Promise<string> {
  const iat = Math.floor((c.nowMs ?? Date.now()) / 1000);
  return new SignJWT({ role: c.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(JWT_ISSUER)
    .setSubject(c.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + c.ttlSeconds)
    .sign(secret);
}

/** The claims a denial records: trusted after the signature held (an expired token), else only claimed. */
export interface DeniedClaims {
  sub: string | null;
  role: string | null;
  /** The signature held: sub and role are the issuer's, not the client's word. */
  verified: boolean;
}

export class AuthError extends ApiError {
  readonly claims: DeniedClaims;
  constructor(id: 'UI_AUTH_MISSING' | 'UI_AUTH_INVALID' | 'UI_AUTH_EXPIRED', message: string, claims: DeniedClaims) {
    super(401, id, message);
    this.claims = claims;
  }
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function claimedOf(token: string): DeniedClaims {
  try {
    const p = decodeJwt(token);
    return { sub: text(p.sub), role: text(p.role), verified: false };
  } catch {
    return { sub: null, role: null, verified: false };
  }
}

/** The principal of a Bearer token, or an AuthError (401) saying why not. */
export async function verifyToken(secret: Uint8Array, token: string): Promise<Principal> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, secret, {
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      requiredClaims: ['sub', 'exp', 'iat'],
      // A token signed with the secret but beyond what pt token issue makes (iat in the future, older
      // than the longest lifetime) is refused too.
      maxTokenAge: MAX_TTL_SECONDS,
      clockTolerance: 60,
    }));
  } catch (e) {
    if (e instanceof errors.JWTExpired)
      throw new AuthError('UI_AUTH_EXPIRED', `the token expired (exp ${String(e.payload.exp)})`, {
        sub: text(e.payload.sub),
        role: text(e.payload.role),
        verified: true,
      });
    const why = e instanceof errors.JOSEError ? e.code : 'unreadable';
    throw new AuthError('UI_AUTH_INVALID', `the token is not valid (${why})`, claimedOf(token));
  }
  const sub = text(payload.sub);
  if (typeof payload.exp === 'number' && typeof payload.iat === 'number' && payload.exp - payload.iat > MAX_TTL_SECONDS)
    throw new AuthError('UI_AUTH_INVALID', 'the token lives longer than 90 days', {
      sub: null,
      role: text(payload.role),
      verified: true,
    });
  if (sub === null || !validSub(sub) || !isRole(payload.role))
    throw new AuthError('UI_AUTH_INVALID', 'the token has no sub or no role of viewer|editor|approver|admin', {
      sub,
      role: text(payload.role),
      verified: true,
    });
  return { sub, role: payload.role };
}
