// The newest alerts of alerts.jsonl without reading the whole file: its tail, grown until it holds enough lines.
import { open } from 'node:fs/promises';
import type { AlertRecord } from '../../ports/opsControl.js';
import { alertRecordOf } from './alertRecordOf.js';

const CHUNK = 64 * 1024;

/** Newest first; a missing file is no alerts; a torn last line (a writer mid-append) is skipped. */
export async function readAlertsTail(path: string, limit: number): Promise<AlertRecord[]> {
  if (limit <= 0) return [];
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  try {
    const size = (await handle.stat()).size;
    let start = size;
    let tail = Buffer.alloc(0);
    let records: AlertRecord[] = [];
    while (start > 0) {
      const from = Math.max(0, start - CHUNK);
      const buf = Buffer.alloc(start - from);
      await handle.read(buf, 0, buf.length, from);
      start = from;
      tail = Buffer.concat([buf, tail]);
      // The tail may begin mid-line (or mid-character): only whole lines count.
      const lines = tail.toString('utf8').split('\n');
      const whole = start === 0 ? lines : lines.slice(1);
      records = whole.flatMap((l) => {
        const r = l.trim() === '' ? undefined : alertRecordOf(l);
        return r ? [r] : [];
      });
      if (records.length >= limit) break;
    }
    return records.slice(-limit).reverse();
  } finally {
    await handle.close();
  }
}
