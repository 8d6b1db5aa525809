// Builds the one-line DATA_INPUT_PARSE error that names the file and the 1-based line.
import { basename } from 'node:path';
import { PtError } from '../../core/ptError.js';

export function csvParseError(path: string, line: number | null, message: string): PtError {
  const where = line === null ? basename(path) : `${basename(path)} line ${line}`;
  return new PtError('DATA_INPUT_PARSE', `${where}: ${message}`, { source: 'csv', details: { path, line } });
}

/** Quotes a field for an error message, cut short so the message stays one readable line. */
export function quoteField(text: string): string {
  const clean = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(clean);
}
