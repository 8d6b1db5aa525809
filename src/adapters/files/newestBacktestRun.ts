// The backtest pt serve reads when no run is named: pt bt run's default folder, else the newest finished run.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const FINISHED = 'bt_summary.parquet';

function finishedAt(dir: string): number | undefined {
  try {
    return statSync(join(dir, FINISHED)).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * `preferred` when it holds a finished run; else the folder under `reportsDir` whose bt_summary.parquet is
 * newest (pt quickstart's, a pt bt run --out …), one level deep; else `preferred` (the routes then say no run).
 */
export function newestBacktestRun(preferred: string, reportsDir: string): string {
  if (finishedAt(preferred) !== undefined) return preferred;
  let best: { dir: string; at: number } | undefined;
  let names: string[] = [];
  try {
    names = readdirSync(reportsDir);
  } catch {
    return preferred;
  }
  for (const name of names) {
    const dir = join(reportsDir, name);
    const at = finishedAt(dir);
    if (at !== undefined && (best === undefined || at > best.at)) best = { dir, at };
  }
  return best?.dir ?? preferred;
}
