// Optimiser benchmark (issue 16): the bt bench's 30 synthetic pairs × 3 years of 1h bars, prepared
// once as pt optimize prepares them (TrialRunner over PreparedBacktest), then the SPEC §6 grid of
// 13 × 13 θ (θ1 0.60..0.84, θ2 0.20..0.44, step 0.02) and the grid + 100 more trials, single thread.
// The 100 trials are seeded random θ in the search box: the TPE module's own cost per proposal is
// negligible next to a backtest, so this times what a TPE stage costs.
import { SeededRng } from '../src/core/rng.js';
import { TrialRunner } from '../src/optimize/trialRunner.js';
import { btBenchInput } from './btBench.js';
import type { BenchResult } from './benchResult.js';

export async function runOptimizeBench(root: string): Promise<BenchResult[]> {
  const input = await btBenchInput(root);
  const t0 = performance.now();
  const runner = new TrialRunner(input);
  const prepareMs = performance.now() - t0;
  // Warm-up (JIT) outside the timings, as the bt bench does.
  runner.runTrial({ theta1: 0.7, theta2: 0.3 });
  runner.runTrial({ theta1: 0.6, theta2: 0.44 });
  const grid: Array<{ theta1: number; theta2: number }> = [];
  for (let i = 0; i < 13; i++)
    for (let j = 0; j < 13; j++) grid.push({ theta1: 0.6 + 0.02 * i, theta2: 0.2 + 0.02 * j });
  const rng = new SeededRng(42);
  const more = Array.from({ length: 100 }, () => ({
    theta1: 0.6 + 0.25 * rng.next(),
    theta2: 0.2 + 0.25 * rng.next(),
  }));
  const cpu0 = process.cpuUsage();
  const t1 = performance.now();
  let trades = 0;
  for (const theta of grid) trades += runner.runTrial(theta).kpis.trades;
  const gridS = (performance.now() - t1) / 1000;
  const gridCpu = process.cpuUsage(cpu0);
  for (const theta of more) runner.runTrial(theta);
  const allS = (performance.now() - t1) / 1000;
  const allCpu = process.cpuUsage(cpu0);
  const cpuS = (c: NodeJS.CpuUsage) => Number(((c.user + c.system) / 1e6).toFixed(1));
  return [
    {
      name: 'optimize prepare (engine, merged timeline)',
      value: Number(prepareMs.toFixed(0)),
      unit: 'ms',
    },
    {
      name: `optimize theta grid 13 x 13 (${grid.length} trials)`,
      value: Number(gridS.toFixed(1)),
      unit: 's',
      target: '< 15',
      pass: gridS < 15,
      cpu_s: cpuS(gridCpu),
      mean_trades: Math.round(trades / grid.length),
    },
    {
      name: `optimize grid + 100 trials (${grid.length + more.length} trials; random theta for TPE)`,
      value: Number(allS.toFixed(1)),
      unit: 's',
      target: '< 60',
      pass: allS < 60,
      cpu_s: cpuS(allCpu),
    },
  ];
}
