// Writes a table of typed columns as CSV, atomically: ISO-8601 UTC timestamps, numbers in full
// (shortest round-trip) precision, NaN as an empty field.
import { dirname } from 'node:path';
import { ensureDirDurable, writeFileAtomic } from '../../core/durableFs.js';
import { fsErrorFrom } from '../../core/fsError.js';
import type { TableColumn } from '../../ports/tableWriter.js';

export async function writeCsvTable(path: string, columns: readonly TableColumn[]): Promise<void> {
  const n = columns[0]?.values.length ?? 0;
  const lines: string[] = [columns.map((c) => c.name).join(',')];
  const cells = new Array<string>(columns.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < columns.length; k++) {
      const c = columns[k]!;
      const v = c.values[i]!;
      if (typeof v === 'string') cells[k] = /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
      else if (Number.isNaN(v)) cells[k] = '';
      else cells[k] = c.kind === 'timestamp' ? new Date(v).toISOString() : String(v);
    }
    lines.push(cells.join(','));
  }
  try {
    await ensureDirDurable(dirname(path));
  } catch (e) {
    throw fsErrorFrom(e, `cannot write ${path}`, { path }) ?? e;
  }
  // writeFileAtomic removes its temp file on failure and names `path` in its error.
  await writeFileAtomic(path, `${lines.join('\n')}\n`);
}
