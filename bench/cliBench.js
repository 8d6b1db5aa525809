// CLI start-up benchmark: `node bin/pt.js --help`, median of 7 runs (commands load lazily, so this stays small).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export async function runCliBench(root) {
  const times = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [join(root, 'bin', 'pt.js'), '--help'], { encoding: 'utf8' });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`pt --help exited ${r.status}: ${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  return [
    {
      name: 'pt --help, median of 7',
      value: Math.round(times[3]),
      unit: 'ms',
      target: '< 1000',
      pass: times[3] < 1000,
    },
  ];
}
