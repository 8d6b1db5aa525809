// Reads bt_run.json, the record an earlier `pt bt run` left in its output folder, for a baseline comparison.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PtError } from '../../core/ptError.js';
import type { RunRecord } from '../../backtest/compareRuns.js';

export function readRunRecord(dir: string): RunRecord {
  const path = join(dir, 'bt_run.json');
  if (!existsSync(path))
    throw new PtError(
      'DATA_INPUT_MISSING',
      `--baseline-run ${dir}: no bt_run.json there (point it at the --out folder of an earlier pt bt run)`,
      { exitCode: 2 },
    );
  return JSON.parse(readFileSync(path, 'utf8')) as RunRecord;
}
