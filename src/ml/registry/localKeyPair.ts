// The local Ed25519 key pair under .pt/keys/ (folder 0700, private key 0600), created once for laptops and quickstart.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from '../../core/durableFs.js';
import { PtError } from '../../core/ptError.js';

export const LOCAL_PRIVATE_KEY_FILE = 'model_signing_ed25519.pem';
/** The public half, to copy into PT_MODEL_VERIFY_KEY elsewhere; pt itself derives it from the private key. */
export const LOCAL_PUBLIC_KEY_FILE = 'model_signing_ed25519.pub.pem';

export interface LocalKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const keyError = (message: string, cause?: unknown) =>
  new PtError('CORE_MODEL_KEY', message, { source: 'model-registry', cause });

/** The local pair in `dir`, or undefined when it was never created. Refuses a private key others can read. */
export async function loadLocalKeyPair(dir: string): Promise<LocalKeyPair | undefined> {
  const path = join(dir, LOCAL_PRIVATE_KEY_FILE);
  let mode: number;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw keyError(`cannot read the local model key ${path}`, e);
  }
  if ((mode & 0o077) !== 0)
    throw keyError(`the local model key ${path} has mode 0${mode.toString(8)}: others may read it; chmod 600 it`);
  try {
    const privateKey = createPrivateKey({ key: await readFile(path, 'utf8'), format: 'pem' });
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('not ed25519');
    return { privateKey, publicKey: createPublicKey(privateKey) };
  } catch (e) {
    throw keyError(`the local model key ${path} is not an Ed25519 private key`, e);
  }
}

async function writeNew(path: string, text: string, mode: number): Promise<void> {
  const fh = await open(path, 'wx', mode);
  try {
    await fh.chmod(mode); // the umask may have narrowed or, for the public file, not mattered
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Loads the local pair, creating it first if needed: folder mode 0700, private key 0600, public key 0644.
 * The private key is linked into place (fails if it exists), so two processes racing create one pair.
 * `notice` receives one line when a pair is created; key material is never printed.
 */
export async function loadOrCreateLocalKeyPair(dir: string, notice: (line: string) => void): Promise<LocalKeyPair> {
  const existing = await loadLocalKeyPair(dir);
  if (existing) return existing;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privatePath = join(dir, LOCAL_PRIVATE_KEY_FILE);
  const tmpPrivate = `${privatePath}.tmp-${process.pid}`;
  const tmpPublic = join(dir, `${LOCAL_PUBLIC_KEY_FILE}.tmp-${process.pid}`);
  await unlink(tmpPrivate).catch(() => {});
  await unlink(tmpPublic).catch(() => {});
  await writeNew(tmpPrivate, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
  try {
    await link(tmpPrivate, privatePath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
      throw keyError(`cannot create the local model key in ${dir}`, e);
    await unlink(tmpPrivate);
    const winner = await loadLocalKeyPair(dir);
    if (!winner) throw keyError(`the local model key in ${dir} vanished while it was being created`);
    return winner;
  }
  await unlink(tmpPrivate);
  await writeNew(tmpPublic, publicKey.export({ type: 'spki', format: 'pem' }) as string, 0o644);
  await rename(tmpPublic, join(dir, LOCAL_PUBLIC_KEY_FILE));
  await fsyncDir(dir);
  notice(
    `pt: no PT_MODEL_SIGNING_KEY/PT_MODEL_VERIFY_KEY set: created a local model signing key pair in ${dir} (not for production)`,
  );
  return { privateKey, publicKey };
}
