// CLI start-up benchmark: `node bin/pt.js --help`, median of 7 runs (commands load lazily, so this stays small).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchResult } from './benchResult.js';

export async function runCliBench(root: string): Promise<BenchResult[]> {
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [join(root, 'bin', 'pt.js'), '--help'], { encoding: 'utf8' });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`pt --help exited ${r.status}: ${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  const median = times[3]!;
  return [
    { name: 'pt --help, median of 7', value: Math.round(median), unit: 'ms', target: '< 1000', pass: median < 1000 },
  ];
}
