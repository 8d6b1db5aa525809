// The DQ checks pt dq left behind: each report (reports/dq/<timeframe>_<time>.json, src/data/job/runDqJob.ts)
// checked every month partition of every symbol; a partition fails when it is over a threshold
// (missing_rate or outlier_rate strictly greater, the quarantine rule of src/data/dq/quarantine.ts).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DqReport } from '../data/dq/runDq.js';
import type { DailyCheck } from './dailyRate.js';

/** A report's checks: its month partitions, and those over the report's own thresholds. */
export function dqReportChecks(report: Pick<DqReport, 'generated_at' | 'thresholds' | 'symbols'>): DailyCheck {
  let checked = 0;
  let failed = 0;
  for (const s of report.symbols)
    for (const m of s.months) {
      checked++;
      if (m.missingRate > report.thresholds.missing_rate || m.outlierRate > report.thresholds.outlier_rate) failed++;
    }
  return { atMs: Date.parse(report.generated_at), checked, failed };
}

/**
 * The checks of every report of `timeframe` in `reportsDir` (none when the folder is missing). A file
 * that is not a DQ report (not JSON, no symbols) is counted in `unreadable` and skipped.
 */
export function readDqChecks(reportsDir: string, timeframe: string): { checks: DailyCheck[]; unreadable: string[] } {
  const checks: DailyCheck[] = [];
  const unreadable: string[] = [];
  if (!existsSync(reportsDir)) return { checks, unreadable };
  for (const name of readdirSync(reportsDir).sort()) {
    if (!name.startsWith(`${timeframe}_`) || !name.endsWith('.json')) continue;
    try {
      const r = JSON.parse(readFileSync(join(reportsDir, name), 'utf8')) as DqReport;
      if (r.timeframe !== timeframe || !Array.isArray(r.symbols) || typeof r.generated_at !== 'string')
        throw new Error('not a DQ report');
      checks.push(dqReportChecks(r));
    } catch {
      unreadable.push(name);
    }
  }
  return { checks, unreadable };
}
