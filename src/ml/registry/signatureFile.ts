// The SIGNATURE file of a model version: header (format, key fingerprint, base64 Ed25519 signature), blank line, manifest.
import { type ManifestEntry, parseManifest } from './manifest.js';

/**
 * Layout (UTF-8, LF line ends, nothing else):
 *
 *     pt-model-signature v1 ed25519
 *     fingerprint sha256:<64 hex: SHA-256 of the public key's SPKI DER>
 *     signature <base64 of the 64-byte Ed25519 signature over the manifest bytes>
 *     <empty line>
 *     <sha256>  <name>        one line per other file of the folder, sorted by name
 *
 * The signed message is exactly the manifest part (line 5 to the end, every line ending in LF); the
 * version's short hash is the first 7 hex of that part's SHA-256. Checking by hand:
 *
 *     tail -n +5 SIGNATURE > manifest && sha256sum -c manifest        # every file's digest
 *     sed -n 3p SIGNATURE | cut -d' ' -f2 | base64 -d > sig
 *     openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in manifest -sigfile sig
 */
export const SIGNATURE_HEADER = 'pt-model-signature v1 ed25519';

export interface SignatureFile {
  /** `sha256:<64 hex>`. */
  fingerprint: string;
  signature: Uint8Array;
  /** The signed manifest text. */
  manifest: string;
  entries: ManifestEntry[];
}

export function formatSignatureFile(fingerprint: string, signature: Uint8Array, manifest: string): string {
  return `${SIGNATURE_HEADER}\nfingerprint ${fingerprint}\nsignature ${Buffer.from(signature).toString('base64')}\n\n${manifest}`;
}

const FINGERPRINT = /^sha256:[0-9a-f]{64}$/;

/**
 * Parses a SIGNATURE file; undefined when it is not in the canonical layout. The parse is checked by
 * formatting it again and comparing bytes, so no byte of the file can change without notice.
 */
export function parseSignatureFile(bytes: Uint8Array): SignatureFile | undefined {
  const text = Buffer.from(bytes).toString('utf8');
  const lines = text.split('\n');
  if (lines.length < 6 || lines[0] !== SIGNATURE_HEADER || lines[3] !== '') return undefined;
  const fingerprint = lines[1]!.startsWith('fingerprint ') ? lines[1]!.slice('fingerprint '.length) : '';
  const signatureB64 = lines[2]!.startsWith('signature ') ? lines[2]!.slice('signature '.length) : '';
  if (!FINGERPRINT.test(fingerprint) || !/^[A-Za-z0-9+/]{86}==$/.test(signatureB64)) return undefined;
  const manifest = lines.slice(4).join('\n');
  const entries = parseManifest(manifest);
  if (!entries) return undefined;
  const signature = Buffer.from(signatureB64, 'base64');
  if (signature.length !== 64) return undefined;
  const canonical = Buffer.from(formatSignatureFile(fingerprint, signature, manifest), 'utf8');
  if (!canonical.equals(bytes)) return undefined;
  return { fingerprint, signature, manifest, entries };
}
