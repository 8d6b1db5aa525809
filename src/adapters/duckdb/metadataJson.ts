// Serialises bar metadata with a fixed key order, so equal metadata always gives equal bytes.
import type { BarMetadata } from '../../model/bar.js';

const KNOWN_KEYS = ['symbol_source', 'source_latency_ms', 'provider_version', 'ingest_seq', 'checksum'] as const;

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value !== null && typeof value === 'object') {
    const src = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(src).sort()) out[k] = stable(src[k]);
    return out;
  }
  return value;
}

/** Known keys first in SPEC §1.1 order, then any others sorted; nested objects sorted too. */
export function serializeMetadata(metadata: BarMetadata): string {
  const src = metadata as unknown as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const k of KNOWN_KEYS) if (k in src) ordered[k] = stable(src[k]);
  for (const k of Object.keys(src).filter((key) => !(KNOWN_KEYS as readonly string[]).includes(key)).sort()) ordered[k] = stable(src[k]);
  return JSON.stringify(ordered);
}
