// Serialises bar metadata with a fixed key order, so equal metadata always gives equal bytes.
import type { BarMetadata } from '../../model/bar.js';

const KNOWN_KEYS = ['symbol_source', 'source_latency_ms', 'provider_version', 'ingest_seq', 'checksum'] as const;
const KNOWN_SET = new Set<string>(KNOWN_KEYS);
/** `"key":` for each known key, built once. */
const KEY_PREFIX = KNOWN_KEYS.map((k) => `${JSON.stringify(k)}:`);

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

/** The general form: known keys first in SPEC §1.1 order, then any others sorted; nested objects sorted too. */
function serializeAny(src: Record<string, unknown>): string {
  const ordered: Record<string, unknown> = {};
  for (const k of KNOWN_KEYS) if (k in src) ordered[k] = stable(src[k]);
  for (const k of Object.keys(src)
    .filter((key) => !KNOWN_SET.has(key))
    .sort())
    ordered[k] = stable(src[k]);
  return JSON.stringify(ordered);
}

/**
 * Known keys first in SPEC §1.1 order, then any others sorted; nested objects sorted too.
 * Nearly every bar carries only known keys with plain values: those are written directly, which
 * gives the same text as the general form without building an ordered copy per bar.
 */
export function serializeMetadata(metadata: BarMetadata): string {
  const src = metadata as unknown as Record<string, unknown>;
  let out = '';
  let found = 0;
  for (let i = 0; i < KNOWN_KEYS.length; i++) {
    const k = KNOWN_KEYS[i]!;
    if (!(k in src)) continue;
    found++;
    const v = src[k];
    let text: string;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null)
      text = JSON.stringify(v);
    else if (v === undefined)
      continue; // JSON.stringify leaves an undefined member out
    else return serializeAny(src);
    out += `${out === '' ? '{' : ','}${KEY_PREFIX[i]!}${text}`;
  }
  // Any other own key, or a known key found only on the prototype, needs the general form.
  const own = Object.keys(src);
  if (own.length !== found) return serializeAny(src);
  for (let i = 0; i < own.length; i++) if (!KNOWN_SET.has(own[i]!)) return serializeAny(src);
  return out === '' ? '{}' : `${out}}`;
}
