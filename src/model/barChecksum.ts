// The per-bar checksum stored in metadata: first 16 hex of SHA-256 over `ts|open|high|low|close|volume`.
import { createHash } from 'node:crypto';

export function barChecksum(tsMs: number, open: number, high: number, low: number, close: number, volume: number | null): string {
  return createHash('sha256').update(`${tsMs}|${open}|${high}|${low}|${close}|${volume ?? ''}`).digest('hex').slice(0, 16);
}
