// File-level views of a bar store folder for tests: every Parquet with its sha256 and mtime, temp leftovers.
import { serializeMetadata } from '../../src/adapters/duckdb/metadataJson.js';
import type { StoredRow } from '../../src/adapters/duckdb/upsertMerge.js';
import type { CanonicalBar } from '../../src/model/bar.js';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export interface FileFacts {
  sha256: string;
  mtimeMs: number;
  size: number;
}

export async function walkFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(p);
    }
  }
  await walk(root);
  return out.sort();
}

/** Relative path → facts for every file under root whose name passes `keep` (default: all). */
export async function snapshotFiles(
  root: string,
  keep: (name: string) => boolean = () => true,
): Promise<Map<string, FileFacts>> {
  const out = new Map<string, FileFacts>();
  for (const p of await walkFiles(root)) {
    const name = p.slice(p.lastIndexOf('/') + 1);
    if (!keep(name)) continue;
    const [buf, st] = await Promise.all([readFile(p), stat(p)]);
    out.set(relative(root, p), {
      sha256: createHash('sha256').update(buf).digest('hex'),
      mtimeMs: st.mtimeMs,
      size: st.size,
    });
  }
  return out;
}

export const isParquet = (name: string): boolean => name.endsWith('.parquet') && !name.startsWith('.');
export const isTemp = (name: string): boolean => name.startsWith('.') && name.includes('.tmp-');

export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `pt-${prefix}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** A canonical bar as the partition writer's stored row. */
export function storedRow(bar: CanonicalBar): StoredRow {
  return {
    ts: bar.ts_utc,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
    quality: bar.quality_flag,
    sourceId: bar.source_id,
    ingestRunId: bar.ingest_run_id,
    metadata: serializeMetadata(bar.metadata),
  };
}
