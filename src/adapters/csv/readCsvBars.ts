// Reads one bar file (plain or gzip) into validated canonical bars.
import { readFile, stat } from 'node:fs/promises';
import { PtError } from '../../core/ptError.js';
import { buildCsvBars, buildCsvBatch } from './buildCsvBars.js';
import type { CsvBatchResult, CsvReadOptions, CsvReadResult } from './csvTypes.js';
import { decodeCsvBytes } from './decodeCsvBytes.js';
import { parseCsvText } from './parseCsvText.js';
import { resolveCsvOptions } from './resolveCsvOptions.js';

/**
 * Parses the whole file before returning anything, so a bad line (DATA_INPUT_PARSE, naming the
 * file and line) means no bar reaches the store.
 */
export async function readCsvBars(path: string, options: CsvReadOptions): Promise<CsvReadResult> {
  const resolved = resolveCsvOptions(options);
  const text = await readCsvText(path);
  resolved.exportTimeMs ??= await modifiedMs(path);
  return buildCsvBars(parseCsvText(text, path, resolved), path, resolved);
}

/**
 * `readCsvBars` with the bars as columns (no object per bar): the form ingest hands to the store.
 * The bars' checksums are being hashed on a worker thread when it returns (`batch.ready()`).
 */
export async function readCsvBatch(path: string, options: CsvReadOptions): Promise<CsvBatchResult> {
  const resolved = resolveCsvOptions(options);
  const text = await readCsvText(path);
  resolved.exportTimeMs ??= await modifiedMs(path);
  const result = buildCsvBatch(parseCsvText(text, path, resolved), path, resolved);
  result.batch.hashAhead();
  return result;
}

/**
 * The file's modification time stands for its export time (a .gz file's own mtime: gzip's header
 * time is often zero). A copy made without keeping times carries the copy's time.
 */
async function modifiedMs(path: string): Promise<number> {
  return (await stat(path)).mtimeMs;
}

async function readCsvText(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') {
      throw new PtError('DATA_INPUT_MISSING', `${path}: no such file`, {
        source: 'csv',
        details: { path },
        cause: error,
      });
    }
    throw new PtError('DATA_INPUT_PARSE', `${path}: cannot be read (${code ?? (error as Error).message})`, {
      source: 'csv',
      details: { path },
      cause: error,
    });
  }
  return decodeCsvBytes(bytes, path);
}

/** The same as `readCsvBars` on text already in memory; `path` only names the source in errors and metadata. */
export function parseCsvBars(text: string, path: string, options: CsvReadOptions): CsvReadResult {
  const resolved = resolveCsvOptions(options);
  return buildCsvBars(parseCsvText(text, path, resolved), path, resolved);
}

/** `parseCsvBars` with the bars as columns. */
export function parseCsvBatch(text: string, path: string, options: CsvReadOptions): CsvBatchResult {
  const resolved = resolveCsvOptions(options);
  return buildCsvBatch(parseCsvText(text, path, resolved), path, resolved);
}
