// Training-speed check (a script, not a test): 100k rows × 25 features, 500 trees, 31 leaves, learning rate 0.05.
// Run: npx tsc --outDir /tmp/pt-gbdt --rootDir . --module NodeNext --moduleResolution NodeNext --target ES2022 --skipLibCheck --types node test/ml/gbdt/trainSpeed.ts && node /tmp/pt-gbdt/test/ml/gbdt/trainSpeed.js
import { SeededRng } from '../../../src/core/rng.js';
import { predictProba, trainBooster } from '../../../src/ml/gbdt/index.js';

const rows = Number(process.env.ROWS ?? 100_000);
const testRows = 20_000;
const numFeatures = 25;
const rng = new SeededRng(7);

function makeData(n: number): { X: Float64Array[]; y: Uint8Array; logit: Float64Array } {
  const X = Array.from({ length: numFeatures }, () => new Float64Array(n));
  const y = new Uint8Array(n);
  const trueLogit = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < numFeatures; f++) X[f]![i] = rng.gaussian();
    const x = (f: number): number => X[f]![i]!;
    // Nonlinear, interacting signal on 8 features plus logistic noise; 17 features are noise.
    const logit =
      1.5 * Math.sin(2 * x(0)) +
      x(1) * x(2) +
      Math.abs(x(3)) -
      0.8 +
      0.7 * x(4) +
      (x(5) > 0.5 ? 1 : -0.5) * x(6) +
      0.5 * x(7) ** 2 -
      0.5;
    trueLogit[i] = logit;
    const u = rng.next();
    y[i] = u < 1 / (1 + Math.exp(-2 * logit)) ? 1 : 0;
  }
  return { X, y, logit: trueLogit };
}

function auc(p: Float64Array, y: Uint8Array): number {
  const order = Array.from(p.keys()).sort((a, b) => p[a]! - p[b]!);
  let pos = 0;
  let rankSum = 0;
  for (let k = 0; k < order.length; k++)
    if (y[order[k]!] === 1) {
      pos++;
      rankSum += k + 1;
    }
  const neg = order.length - pos;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

const train = makeData(rows);
const test = makeData(testRows);
const featureNames = Array.from({ length: numFeatures }, (_, f) => `f${f}`);
const start = performance.now();
const result = trainBooster(train.X, train.y, {
  featureNames,
  numBoostRound: 500,
  learningRate: 0.05,
  numLeaves: 31,
  maxDepth: -1,
  minDataInLeaf: 50,
  lambdaL2: 1,
  featureFraction: 0.9,
  baggingFraction: 0.8,
  baggingFreq: 1,
  maxBin: 255,
  seed: 42,
});
const seconds = (performance.now() - start) / 1000;
const predictStart = performance.now();
const p = predictProba(result.model, test.X);
const predictSeconds = (performance.now() - predictStart) / 1000;
console.log(
  JSON.stringify({
    rows,
    features: numFeatures,
    trees: result.model.trees.length,
    trainSeconds: +seconds.toFixed(2),
    predictSecondsPer20kRows: +predictSeconds.toFixed(3),
    heldOutAuc: +auc(p, test.y).toFixed(4),
    // The AUC of the true logit: the ceiling any model can reach on these noisy labels.
    trueLogitAuc: +auc(test.logit, test.y).toFixed(4),
    finalTrainLoss: +result.evals.train.at(-1)!.toFixed(4),
  }),
);
