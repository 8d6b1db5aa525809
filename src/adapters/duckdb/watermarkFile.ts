// The per-symbol watermark __meta.json: read, and replaced atomically once its partitions are durable.
import { readFile } from 'node:fs/promises';
import type { Watermark } from '../../ports/barStore.js';
import { writeFileAtomic } from '../../core/durableFs.js';

export async function readWatermarkFile(path: string): Promise<Watermark | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const raw = JSON.parse(text) as Partial<Watermark>;
  if (typeof raw.last_ts !== 'number' || !Number.isFinite(raw.last_ts))
    throw new Error(`${path}: last_ts is not a number`);
  return {
    last_ts: raw.last_ts,
    last_refreshed_ts: String(raw.last_refreshed_ts ?? ''),
    source: String(raw.source ?? ''),
    window_params: raw.window_params ?? {},
    dq_counters: raw.dq_counters ?? {},
  };
}

/** Fixed key order and formatting, so two equal watermarks are equal files. */
export function formatWatermark(wm: Watermark): string {
  const ordered: Watermark = {
    last_ts: wm.last_ts,
    last_refreshed_ts: wm.last_refreshed_ts,
    source: wm.source,
    window_params: wm.window_params,
    dq_counters: wm.dq_counters,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

export async function writeWatermarkFile(path: string, wm: Watermark): Promise<void> {
  await writeFileAtomic(path, formatWatermark(wm));
}

export function addCounters(
  prev: Record<string, number> | undefined,
  add: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = { ...(prev ?? {}) };
  for (const [k, v] of Object.entries(add)) out[k] = (out[k] ?? 0) + v;
  return out;
}
