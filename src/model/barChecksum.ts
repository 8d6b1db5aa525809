// The per-bar checksum stored in metadata (SPEC §1.1): first 16 hex of SHA-256 over `ts|open|high|low|close|volume`.
import { hash } from 'node:crypto';

/** Numbers use JavaScript's shortest round-trip form; a null volume is the empty string. */
export function barChecksum(
  tsMs: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number | null,
): string {
  // One-shot hash: a Hash object per bar costs more than the digest itself.
  return hash('sha256', `${tsMs}|${open}|${high}|${low}|${close}|${volume === null ? '' : volume}`, 'hex').slice(0, 16);
}
