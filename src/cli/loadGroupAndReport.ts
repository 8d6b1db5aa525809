// Loads the group pt cv, pt train and pt quickstart learn from, with the DuckDB bar store, and says what it holds.
import { openBarStore } from '../adapters/duckdb/index.js';
import type { PtConfig } from '../config/schemas/index.js';
import { formatGroupLine, loadGroupJob, type GroupJobOptions } from '../train/job/loadGroupJob.js';
import type { GroupData } from '../train/loadGroup.js';

/** Skipped pairs go to stderr, the group line (pairs, events, seed) to stdout. */
export async function loadGroupAndReport(config: PtConfig, options: GroupJobOptions, seed: number): Promise<GroupData> {
  const group = await loadGroupJob(config, options, { openBarStore });
  for (const s of group.skipped) process.stderr.write(`skipping ${s.pairId}: ${s.reason}\n`);
  process.stdout.write(`${formatGroupLine(group, seed)}\n`);
  return group;
}
