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

export interface IngestRunLog {
  runs: IngestRunRecord[];
  /** 1-based numbers of the lines that are not a whole, consistent record, skipped. */
  unreadableLines: number[];
}

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/**
 * A line is a record only when it could have been written by appendIngestRun: counts are whole and
 * not negative, no more symbols failed than were asked, the end time parses. Anything else (torn by a
 * crash, edited, written by something else) would bend the success rate, so it is not counted.
 */
function asRecord(r: unknown): IngestRunRecord | undefined {
  if (typeof r !== 'object' || r === null) return undefined;
  const x = r as Partial<IngestRunRecord>;
  if (typeof x.finished_at !== 'string' || !Number.isFinite(Date.parse(x.finished_at))) return undefined;
  if (typeof x.timeframe !== 'string' || !Array.isArray(x.failures)) return undefined;
  if (!isCount(x.asked) || !isCount(x.failed) || x.failed > x.asked) return undefined;
  return x as IngestRunRecord;
}

/** Every whole record of the log (none when it does not exist); a torn or foreign line is listed and skipped. */
export async function readIngestRuns(dataDir: string): Promise<IngestRunLog> {
  let text: string;
  try {
    text = await fsp.readFile(ingestRunLogPath(dataDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { runs: [], unreadableLines: [] };
    throw e;
  }
  const runs: IngestRunRecord[] = [];
  const unreadableLines: number[] = [];
  text.split('\n').forEach((line, k) => {
    if (line.trim() === '') return;
    let record: IngestRunRecord | undefined;
    try {
      record = asRecord(JSON.parse(line));
    } catch {
      // a line cut by a crash
    }
    if (record) runs.push(record);
    else unreadableLines.push(k + 1);
  });
  return { runs, unreadableLines };
}
