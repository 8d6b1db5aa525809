// The per-symbol watermark __meta.json: read, and replaced atomically once its partitions are durable.
import { readFile } from 'node:fs/promises';
import type { Watermark } from '../../ports/barStore.js';
import { writeFileAtomic } from '../../core/durableFs.js';
import { PtError } from '../../core/ptError.js';
import type { Timeframe } from '../../core/time.js';
import { STORE_SOURCE } from './storageError.js';

/** DATA_STORAGE_CORRUPT for a watermark that cannot be used, naming the file and the two ways to rebuild it. */
export function corruptWatermarkError(path: string, reason: string, symbol: string, timeframe: Timeframe): PtError {
  return new PtError(
    'DATA_STORAGE_CORRUPT',
    `${path}: ${reason}; rebuild it with pt store repair --symbols ${symbol} --timeframe ${timeframe} (or pt ingest --full, which rebuilds it)`,
    { source: STORE_SOURCE, details: { path, symbol, timeframe } },
  );
}

/** The watermark, or undefined when there is none; DATA_STORAGE_CORRUPT when it is not a watermark. */
export async function readWatermarkFile(
  path: string,
  symbol: string,
  timeframe: Timeframe,
): Promise<Watermark | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let raw: Partial<Watermark>;
  try {
    raw = JSON.parse(text) as Partial<Watermark>;
  } catch (e) {
    throw corruptWatermarkError(
      path,
      `not valid JSON (${(e as Error).message.replace(/\s+/g, ' ')})`,
      symbol,
      timeframe,
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw corruptWatermarkError(path, 'not a JSON object', symbol, timeframe);
  if (typeof raw.last_ts !== 'number' || !Number.isInteger(raw.last_ts) || raw.last_ts < 0)
    throw corruptWatermarkError(path, 'last_ts is not a time in ms', symbol, timeframe);
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
