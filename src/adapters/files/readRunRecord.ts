// Reads bt_run.json, the record an earlier `pt bt run` left in its output folder, for a baseline comparison.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PtError } from '../../core/ptError.js';
import type { RunRecord } from '../../backtest/compareRuns.js';

/** BT_RUN_MISSING: the folder, its bt_run.json, or a field the comparison needs is missing. */
function missing(dir: string, what: string, cause?: unknown): PtError {
  return new PtError(
    'BT_RUN_MISSING',
    `--baseline-run ${dir}: ${what} (point it at the --out folder of a complete earlier pt bt run)`,
    { source: 'bt', exitCode: 2, details: { path: dir }, cause },
  );
}

const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

export function readRunRecord(dir: string): RunRecord {
  if (!existsSync(dir)) throw missing(dir, 'no such folder');
  if (!statSync(dir).isDirectory()) throw missing(dir, 'not a folder');
  const path = join(dir, 'bt_run.json');
  if (!existsSync(path)) throw missing(dir, 'no bt_run.json there');
  let record: Partial<RunRecord>;
  try {
    record = JSON.parse(readFileSync(path, 'utf8')) as Partial<RunRecord>;
  } catch (error) {
    throw missing(dir, `bt_run.json is not readable JSON (${(error as Error).message})`, error);
  }
  // The fields compareRuns reads; a truncated or hand-edited record fails here, not inside the statistics.
  const absent = [
    typeof record?.run_id === 'string' ? undefined : 'run_id',
    typeof record?.initial_capital_usd === 'number' ? undefined : 'initial_capital_usd',
    record?.kpis && typeof record.kpis === 'object' ? undefined : 'kpis',
    isNumberArray(record?.daily?.dayMs) && isNumberArray(record?.daily?.equity) ? undefined : 'daily',
  ].filter(Boolean);
  if (absent.length > 0) throw missing(dir, `bt_run.json lacks ${absent.join(', ')}`);
  return record as RunRecord;
}
