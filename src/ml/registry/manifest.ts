// The canonical manifest a model version's SIGNATURE covers: one `sha256  name` line per file, sorted by name.
import { createHash } from 'node:crypto';

export const SIGNATURE_FILE = 'SIGNATURE';

/** Artefact file names: plain ASCII names without a path, a leading dot or white space. */
export const ARTEFACT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface ManifestEntry {
  name: string;
  /** SHA-256 of the file's bytes, 64 lowercase hex digits. */
  sha256: string;
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Entries for every file except SIGNATURE, sorted by name (byte order: names are ASCII). */
export function manifestEntries(files: ReadonlyMap<string, Uint8Array>): ManifestEntry[] {
  return [...files.keys()]
    .filter((name) => name !== SIGNATURE_FILE)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => ({ name, sha256: sha256Hex(files.get(name)!) }));
}

/** `<sha256>  <name>\n` for each entry (the layout of `sha256sum`), in the given order. */
export function formatManifest(entries: readonly ManifestEntry[]): string {
  return entries.map((e) => `${e.sha256}  ${e.name}\n`).join('');
}

const LINE = /^([0-9a-f]{64}) {2}(.+)$/;

/** Entries of a manifest text, or undefined unless it is canonical (sorted, unique, valid names, LF-terminated). */
export function parseManifest(text: string): ManifestEntry[] | undefined {
  if (text.length === 0 || !text.endsWith('\n')) return undefined;
  const entries: ManifestEntry[] = [];
  for (const line of text.slice(0, -1).split('\n')) {
    const m = LINE.exec(line);
    if (!m || !ARTEFACT_NAME_PATTERN.test(m[2]!) || m[2] === SIGNATURE_FILE) return undefined;
    const prev = entries[entries.length - 1];
    if (prev && !(prev.name < m[2]!)) return undefined;
    entries.push({ sha256: m[1]!, name: m[2]! });
  }
  return entries;
}
