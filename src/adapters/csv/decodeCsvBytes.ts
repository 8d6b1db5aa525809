// File bytes to text: gzip by magic bytes, BOMs, and a refusal of binary content.
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { csvParseError } from './csvParseError.js';

const gunzipAsync = promisify(gunzip);

/** Control bytes other than tab, LF, CR, FF allowed in the sampled head before a file counts as binary. */
const MAX_CONTROL_SHARE = 0.01;
const SAMPLE_BYTES = 65_536;

function lineOf(bytes: Uint8Array, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (bytes[i] === 10) line++;
  return line;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses when the bytes are gzip (whatever the file is called), then decodes them as text. */
export async function decodeCsvBytes(bytes: Buffer, path: string): Promise<string> {
  let raw = bytes;
  if (isGzip(raw)) {
    try {
      raw = await gunzipAsync(raw);
    } catch (error) {
      throw csvParseError(path, null, `not a valid gzip stream (${(error as Error).message})`);
    }
  }
  return bytesToText(raw, path);
}

/**
 * UTF-16 text without a byte-order mark (or big-endian with one), which would otherwise be called
 * binary for its NUL bytes: ASCII text in UTF-16 has a NUL in every other byte.
 */
function utf16Kind(raw: Buffer): string | undefined {
  if (raw[0] === 0xfe && raw[1] === 0xff) return 'UTF-16BE';
  const n = Math.min(raw.length, 512) & ~1;
  if (n < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (raw[i] === 0) evenNul++;
    if (raw[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul >= pairs * 0.9 && evenNul === 0) return 'UTF-16LE without a byte-order mark';
  if (evenNul >= pairs * 0.9 && oddNul === 0) return 'UTF-16BE without a byte-order mark';
  return undefined;
}

export function bytesToText(raw: Buffer, path: string): string {
  if (raw.length === 0) throw csvParseError(path, 1, 'empty file (no rows)');
  if (raw[0] === 0xff && raw[1] === 0xfe) return raw.subarray(2).toString('utf16le');
  const utf16 = utf16Kind(raw);
  if (utf16) throw csvParseError(path, null, `unsupported text encoding (${utf16}): save the file as UTF-8`);
  const start = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : 0;
  const nul = raw.indexOf(0, start);
  if (nul >= 0) throw csvParseError(path, lineOf(raw, nul), 'binary content (NUL byte): not a text file');
  const sampleEnd = Math.min(raw.length, start + SAMPLE_BYTES);
  let control = 0;
  let firstControl = -1;
  for (let i = start; i < sampleEnd; i++) {
    const b = raw[i]!;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) {
      control++;
      if (firstControl < 0) firstControl = i;
    }
  }
  if (control > (sampleEnd - start) * MAX_CONTROL_SHARE)
    throw csvParseError(path, lineOf(raw, firstControl), 'binary content (control bytes): not a text file');
  return raw.toString('utf8', start);
}
