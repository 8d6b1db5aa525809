// The ingest run log: one JSON line per pt ingest run (every symbol's outcome), appended under the
// data folder. The Prometheus textfile is replaced by each run, so this file is what the daily
// ingest success rate of `pt ops slo` is computed from.
import { promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureDirDurable, fsyncFile } from '../../core/durableFs.js';
import type { Timeframe } from '../../core/time.js';
import type { IngestSummary } from './runIngest.js';

/** `<dataDir>/runs/ingest_runs.jsonl`. */
export function ingestRunLogPath(dataDir: string): string {
  return join(dataDir, 'runs', 'ingest_runs.jsonl');
}

/** One run: `asked` symbols were fetched (not already up to date), `failed` of them ended with an error. */
export interface IngestRunRecord {
  finished_at: string;
  run_id: string;
  source: string;
  timeframe: Timeframe;
  asked: number;
  failed: number;
  /** The failed symbols and their error ids. */
  failures: Array<{ symbol: string; error_id: string }>;
}

/** The record of a run that returned a summary (source failures of single symbols included). */
export function ingestRunRecord(summary: IngestSummary, finishedMs: number): IngestRunRecord {
  const asked = summary.symbols.filter((s) => !s.upToDate);
  const failures = asked.filter((s) => s.error).map((s) => ({ symbol: s.symbol, error_id: s.error!.id }));
  return {
    finished_at: new Date(finishedMs).toISOString(),
    run_id: summary.ingestRunId,
    source: summary.source,
    timeframe: summary.timeframe,
    asked: asked.length,
    failed: failures.length,
    failures,
  };
}

/** Appends one line and fsyncs it: a run is either in the log whole or, after a crash mid-line, skipped by the reader. */
export async function appendIngestRun(dataDir: string, record: IngestRunRecord): Promise<void> {
  const path = ingestRunLogPath(dataDir);
  await ensureDirDurable(dirname(path));
  // A line torn by a crash would swallow this one: start on a fresh line.
  const torn = await endsMidLine(path);
  await fsp.appendFile(path, `${torn ? '\n' : ''}${JSON.stringify(record)}\n`);
  await fsyncFile(path);
}

async function endsMidLine(path: string): Promise<boolean> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  try {
    const { size } = await fh.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await fh.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    await fh.close();
  }
}

/** Every whole record of the log (none when it does not exist); a torn or foreign line is skipped. */
export async function readIngestRuns(dataDir: string): Promise<IngestRunRecord[]> {
  let text: string;
  try {
    text = await fsp.readFile(ingestRunLogPath(dataDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: IngestRunRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const r = JSON.parse(line) as Partial<IngestRunRecord>;
      if (typeof r.finished_at === 'string' && typeof r.asked === 'number' && typeof r.failed === 'number')
        out.push(r as IngestRunRecord);
    } catch {
      // a line cut by a crash: that run is not counted
    }
  }
  return out;
}
