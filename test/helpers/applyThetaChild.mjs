// A process that applies θ to a model version (from the built dist/), for the --apply race test: plain ESM, run by node alone.
// node applyThetaChild.mjs <versionDir> <theta1> <theta2> <runId> <goFile>
// Keys come from PT_MODEL_SIGNING_KEY. Waits for <goFile> to exist, so that racing processes start together.
import { existsSync } from 'node:fs';
import { applyTheta } from '../../dist/optimize/applyTheta.js';

const [versionDir, t1, t2, runId, goFile] = process.argv.slice(2);
while (!existsSync(goFile)) await new Promise((r) => setTimeout(r, 2));
try {
  const r = await applyTheta({
    versionDir,
    modelTheta: { theta1: 0.7, theta2: 0.3 },
    expectedBasis: null,
    proposed: { theta1: Number(t1), theta2: Number(t2) },
    oosTrades: 200,
    tradesMin: 150,
    improvementCi: { lower: 0.01, upper: 0.2, level: 0.95, metric: 'annualised_mean_daily_return_difference' },
    runId,
  });
  process.stdout.write(`${JSON.stringify({ decision: r.decision, record: r.record?.file ?? null })}\n`);
} catch (e) {
  process.stdout.write(`${JSON.stringify({ error: e.id ?? String(e) })}\n`);
  process.exitCode = 3;
}
