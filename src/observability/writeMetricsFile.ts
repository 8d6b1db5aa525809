// Writes the Prometheus metrics of this process to a file, atomically (node_exporter's textfile collector).
import { dirname } from 'node:path';
import { ensureDirDurable, writeFileAtomic } from '../core/durableFs.js';
import { registry } from './metrics.js';

/** `path` is absolute; its folder is created when missing. */
export async function writeMetricsFile(path: string): Promise<void> {
  await ensureDirDurable(dirname(path));
  await writeFileAtomic(path, await registry.metrics());
}
