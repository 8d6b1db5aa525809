// How long a market-data source has been failing, across pt ingest runs (cron, hourly or more often):
// `<ops_dir>/source_down.json` keeps, per source and timeframe, when the first run of the current
// failing streak failed; a run that gets any bar clears it. The alert (DATA_API_DOWN) fires once the
// streak is older than the limit (seed: API ダウン > 10 分).
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ensureDirDurable, writeFileAtomic } from '../core/durableFs.js';

export const SOURCE_DOWN_FILE = 'source_down.json';
/** Seed: a source down for more than 10 minutes pages. */
export const SOURCE_DOWN_MS = 10 * 60_000;

async function read(path: string): Promise<Record<string, number>> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v))
      return Object.fromEntries(Object.entries(v).filter(([, t]) => typeof t === 'number' && Number.isFinite(t)));
  } catch {
    // Missing or unreadable: no streak known.
  }
  return {};
}

/**
 * Records this run's outcome for `key` and returns since when the source has been down (undefined
 * when it answered). A concurrent run may overwrite the file: at worst a streak restarts.
 */
export async function markSource(path: string, key: string, down: boolean, nowMs: number): Promise<number | undefined> {
  const state = await read(path);
  const since = state[key];
  if (!down) {
    if (since === undefined) return undefined;
    delete state[key];
  } else if (since === undefined) state[key] = nowMs;
  else return since;
  await ensureDirDurable(dirname(path));
  await writeFileAtomic(path, `${JSON.stringify(state)}\n`);
  return down ? nowMs : undefined;
}
