// pt quickstart flags → where the quickstart keeps its data and models.
import { tableDefaultedPath, type RawOptions } from './cliOptions.js';

export interface QuickstartOptions {
  /** Absolute path; the models go under its models/. */
  dataDir: string;
}

export function parseQuickstartOptions(raw: RawOptions): QuickstartOptions {
  return { dataDir: tableDefaultedPath(raw, 'dataDir', '--data-dir') };
}
