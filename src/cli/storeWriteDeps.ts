// What pt ingest and pt resample hand their store-writing job: the store, the audit writer, and
// progress, lock-wait and warning lines that clear the progress bar first.
import { openBarStore } from '../adapters/duckdb/index.js';
import type { ProgressBar } from './progressBar.js';
import { writeTable } from './writeTable.js';

export function storeWriteDeps(bar: ProgressBar) {
  return {
    openBarStore,
    writeTable,
    onProgress: (label: string, done: number, total: number) => bar.update(label, done, total),
    onLockWait: (message: string) => {
      bar.finish();
      process.stderr.write(`${message}\n`);
    },
    onWarning: (message: string) => {
      bar.finish();
      process.stderr.write(`WARNING ${message}\n`);
    },
  };
}
