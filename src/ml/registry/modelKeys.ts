// Model signing and verify keys: from options, PT_MODEL_SIGNING_KEY / PT_MODEL_VERIFY_KEY, or the local pair under .pt/keys/.
import { isProdEnv } from '../../core/serviceEnv.js';
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { resolve } from 'node:path';
import { PtError } from '../../core/ptError.js';
import { loadLocalKeyPair, loadOrCreateLocalKeyPair } from './localKeyPair.js';

export interface ModelKeyOptions {
  /** Where PT_MODEL_SIGNING_KEY, PT_MODEL_VERIFY_KEY and SERVICE_ENV are read; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Folder of the local key pair; default `.pt/keys` under the working directory. */
  localKeyDir?: string;
  /** Receives the one line said when the local key pair is created; default: stderr. */
  notice?: (line: string) => void;
  /** Explicit keys (Ed25519); they win over the environment. */
  signingKey?: KeyObject;
  verifyKey?: KeyObject;
}

export type KeySource = 'option' | 'env' | 'local';

export interface ResolvedSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  fingerprint: string;
  source: KeySource;
}
export interface ResolvedVerifyKey {
  publicKey: KeyObject;
  fingerprint: string;
  source: KeySource;
}

const SIGNING_VAR = 'PT_MODEL_SIGNING_KEY';
const VERIFY_VAR = 'PT_MODEL_VERIFY_KEY';

const keyError = (message: string, cause?: unknown) =>
  new PtError('CORE_MODEL_KEY', message, { source: 'model-registry', cause });

/** `sha256:<hex>` of the public key's SPKI DER (`openssl pkey -pubin -outform DER | sha256sum`). */
export function keyFingerprint(publicKey: KeyObject): string {
  return `sha256:${createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;
}

function requireEd25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519')
    throw keyError(`${what} is a ${key.asymmetricKeyType ?? 'non-asymmetric'} key; model keys are Ed25519`);
  return key;
}

/**
 * Parses a key from an environment variable: PEM (PKCS#8 private or SPKI public; `\n` escapes accepted
 * for one-line variables) or base64 of the DER bytes. Error messages never quote the value.
 */
export function parseModelKey(text: string, kind: 'private' | 'public', what: string): KeyObject {
  const value = text.trim().replace(/\\n/g, '\n');
  try {
    if (value.startsWith('-----BEGIN')) {
      if (kind === 'public' && /PRIVATE KEY-----/.test(value))
        throw keyError(`${what} holds a private key; give the public key (SPKI PEM or base64 DER)`);
      return requireEd25519(
        kind === 'private'
          ? createPrivateKey({ key: value, format: 'pem' })
          : createPublicKey({ key: value, format: 'pem' }),
        what,
      );
    }
    const b64 = value.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new Error('not base64');
    const der = Buffer.from(b64, 'base64');
    return requireEd25519(
      kind === 'private'
        ? createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
        : createPublicKey({ key: der, format: 'der', type: 'spki' }),
      what,
    );
  } catch (e) {
    if (e instanceof PtError) throw e;
    const form = kind === 'private' ? 'an Ed25519 PKCS#8 private key' : 'an Ed25519 SPKI public key';
    throw keyError(`${what} is not ${form} (PEM or base64 DER)`, e);
  }
}

function localDir(options: ModelKeyOptions): string {
  return resolve(options.localKeyDir ?? '.pt/keys');
}

function refuseLocalInProd(env: NodeJS.ProcessEnv, use: string): void {
  if (isProdEnv(env))
    throw keyError(
      `SERVICE_ENV=${env.SERVICE_ENV} refuses the local model key under .pt/keys/: set ${SIGNING_VAR} and ${VERIFY_VAR} to ${use} models`,
    );
}

const envValue = (env: NodeJS.ProcessEnv, name: string) => (env[name] ?? '').trim() || undefined;

/** The key that signs new model versions; creates the local pair once when no key is configured. */
export async function resolveSigningKey(options: ModelKeyOptions = {}): Promise<ResolvedSigningKey> {
  const env = options.env ?? process.env;
  if (options.signingKey) {
    const privateKey = requireEd25519(options.signingKey, 'signingKey');
    const publicKey = createPublicKey(privateKey);
    return { privateKey, publicKey, fingerprint: keyFingerprint(publicKey), source: 'option' };
  }
  const signing = envValue(env, SIGNING_VAR);
  const verifying = envValue(env, VERIFY_VAR);
  if (signing) {
    const privateKey = parseModelKey(signing, 'private', SIGNING_VAR);
    const publicKey = createPublicKey(privateKey);
    const fingerprint = keyFingerprint(publicKey);
    if (verifying && keyFingerprint(parseModelKey(verifying, 'public', VERIFY_VAR)) !== fingerprint) {
      throw keyError(`${SIGNING_VAR} and ${VERIFY_VAR} are not one key pair`);
    }
    return { privateKey, publicKey, fingerprint, source: 'env' };
  }
  if (verifying)
    throw keyError(
      `${VERIFY_VAR} is set but ${SIGNING_VAR} is not: this environment can verify model versions, not sign them`,
    );
  refuseLocalInProd(env, 'sign');
  const pair = await loadOrCreateLocalKeyPair(
    localDir(options),
    options.notice ?? ((line) => process.stderr.write(`${line}\n`)),
  );
  return { ...pair, fingerprint: keyFingerprint(pair.publicKey), source: 'local' };
}

/** The public key model versions are verified with: option, PT_MODEL_VERIFY_KEY, PT_MODEL_SIGNING_KEY's public half, or the local pair. */
export async function resolveVerifyKey(options: ModelKeyOptions = {}): Promise<ResolvedVerifyKey> {
  const env = options.env ?? process.env;
  const explicit = options.verifyKey ?? (options.signingKey ? createPublicKey(options.signingKey) : undefined);
  if (explicit) {
    const publicKey = requireEd25519(explicit, 'verifyKey');
    return { publicKey, fingerprint: keyFingerprint(publicKey), source: 'option' };
  }
  const verifying = envValue(env, VERIFY_VAR);
  const signing = envValue(env, SIGNING_VAR);
  if (verifying || signing) {
    const publicKey = verifying
      ? parseModelKey(verifying, 'public', VERIFY_VAR)
      : createPublicKey(parseModelKey(signing!, 'private', SIGNING_VAR));
    return { publicKey, fingerprint: keyFingerprint(publicKey), source: 'env' };
  }
  refuseLocalInProd(env, 'verify');
  const pair = await loadLocalKeyPair(localDir(options));
  if (!pair)
    throw keyError(
      `no model verify key: set ${VERIFY_VAR}, or sign a model version here first to create the local key pair under .pt/keys/`,
    );
  return { publicKey: pair.publicKey, fingerprint: keyFingerprint(pair.publicKey), source: 'local' };
}
