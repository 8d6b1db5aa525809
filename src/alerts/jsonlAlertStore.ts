// `<ops_dir>/alerts.jsonl`: one JSON line per accepted alert, appended (pt monitor reads it). A line
// is one write(2) with O_APPEND, so lines of concurrent processes never interleave.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AlertRecord, AlertRecordStore } from '../ports/alerts.js';

export const ALERTS_FILE = 'alerts.jsonl';

export class JsonlAlertStore implements AlertRecordStore {
  readonly name = 'file';
  private dirReady = false;

  constructor(readonly path: string) {}

  async append(record: AlertRecord): Promise<void> {
    if (!this.dirReady) {
      await mkdir(dirname(this.path), { recursive: true });
      this.dirReady = true;
    }
    await appendFile(this.path, `${JSON.stringify(record)}\n`);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
