// Reads a bar file that a writer may still be appending to (the watched folder of `pt live`).
import { readFile } from 'node:fs/promises';
import { PtError } from '../../core/ptError.js';
import type { CsvReadOptions } from './csvTypes.js';
import type { BarBatch } from '../../model/barBatch.js';
import { decodeCsvBytes } from './decodeCsvBytes.js';
import { parseCsvBatch } from './readCsvBars.js';

/** Bars as columns, ascending by open time, one per time. */
export type WatchedBars = Pick<BarBatch, 'length' | 'ts' | 'open' | 'high' | 'low' | 'close'>;

const EMPTY = new Float64Array(0);
export const NO_BARS: WatchedBars = { length: 0, ts: EMPTY, open: EMPTY, high: EMPTY, low: EMPTY, close: EMPTY };

/**
 * The bars of the file's complete lines. A last line without a line break is being written (a cut
 * price such as `1.08` for `1.08456` would still parse), so it waits for a later read, as
 * `pt ingest` drops it; a file holding at most one line (just created, or its header alone) has no
 * bars yet. File system errors are thrown as they are (the caller tells a vanished file from a
 * locked one); a bad file throws the reader's PtError (DATA_INPUT_PARSE naming file and line).
 */
export async function readWatchedCsv(path: string, options: CsvReadOptions): Promise<WatchedBars> {
  const text = await decodeCsvBytes(await readFile(path), path);
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  try {
    return parseCsvBatch(complete, path, { ...options, lastBar: 'keep' }).batch;
  } catch (error) {
    if (error instanceof PtError && error.id === 'DATA_INPUT_PARSE' && contentLines(complete) <= 1) return NO_BARS;
    throw error;
  }
}

function contentLines(text: string): number {
  let count = 0;
  for (const line of text.split('\n')) if (line.trim() !== '') count++;
  return count;
}
