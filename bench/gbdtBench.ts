// GBDT benchmark: 100k rows × 25 features, binary target with signal, 500 trees, 31 leaves, single
// thread: training seconds and held-out AUC. When python3 with xgboost (tree_method=hist, nthread=1)
// or scikit-learn's HistGradientBoostingClassifier is on the machine, the same data (exported to CSV)
// is trained there too as a reference. The reference is only ever used here, never by pt.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRng } from '../src/core/rng.js';
import { trainBooster, predictProba } from '../src/ml/gbdt/index.js';
import { auc } from '../src/ml/metrics/index.js';
import type { BenchResult } from './benchResult.js';

interface Data {
  X: Float64Array[];
  y: Uint8Array;
}

function makeData(n: number, f: number, seed: number): Data {
  const rng = new SeededRng(seed);
  const X = Array.from({ length: f }, () => new Float64Array(n));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < f; k++) X[k]![i] = rng.gaussian();
    const x = (k: number) => X[k]![i]!;
    // Signal in 8 features: additive, an interaction and a threshold effect; the rest is noise.
    const z =
      0.8 * x(0) -
      0.6 * x(1) +
      0.5 * x(2) * x(3) +
      (x(4) > 0.5 ? 0.9 : -0.3) +
      0.4 * Math.sin(2 * x(5)) +
      0.3 * x(6) * x(6) -
      0.3 * x(7);
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { X, y };
}

const PY = `
import sys, time, csv
import numpy as np
train = np.loadtxt(sys.argv[1], delimiter=',', skiprows=1)
test = np.loadtxt(sys.argv[2], delimiter=',', skiprows=1)
Xtr, ytr, Xte, yte = train[:, 1:], train[:, 0], test[:, 1:], test[:, 0]
def auc(s, y):
    order = np.argsort(s, kind='mergesort'); ranks = np.empty(len(s)); ranks[order] = np.arange(1, len(s) + 1)
    # average ranks for ties
    _, inv, counts = np.unique(s, return_inverse=True, return_counts=True)
    sums = np.bincount(inv, weights=ranks); ranks = (sums / counts)[inv]
    pos = y == 1; n1 = pos.sum(); n0 = len(y) - n1
    return (ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)
try:
    import xgboost as xgb
    t = time.time()
    m = xgb.XGBClassifier(n_estimators=500, max_leaves=31, max_depth=0, grow_policy='lossguide', tree_method='hist', learning_rate=0.05, nthread=1, min_child_weight=1e-3, reg_lambda=1.0, max_bin=255)
    m.fit(Xtr, ytr); secs = time.time() - t
    print('xgboost', secs, auc(m.predict_proba(Xte)[:, 1], yte))
except ImportError:
    from sklearn.ensemble import HistGradientBoostingClassifier
    t = time.time()
    m = HistGradientBoostingClassifier(max_iter=500, max_leaf_nodes=31, learning_rate=0.05, early_stopping=False, max_bins=255, l2_regularization=1.0, min_samples_leaf=20)
    m.fit(Xtr, ytr); secs = time.time() - t
    print('sklearn-hgb', secs, auc(m.predict_proba(Xte)[:, 1], yte))
`;

function findPython(): string | undefined {
  for (const py of ['python3', '/usr/bin/python3']) {
    const ok = spawnSync(py, ['-c', 'import numpy\ntry:\n import xgboost\nexcept ImportError:\n import sklearn'], {
      encoding: 'utf8',
    });
    if (ok.status === 0) return py;
  }
  return undefined;
}

export async function runGbdtBench(_root: string): Promise<BenchResult[]> {
  const n = 100_000;
  const f = 25;
  const train = makeData(n, f, 1);
  const test = makeData(20_000, f, 2);
  const names = Array.from({ length: f }, (_, k) => `f${k}`);
  const t0 = performance.now();
  const r = trainBooster(train.X, train.y, {
    featureNames: names,
    numBoostRound: 500,
    learningRate: 0.05,
    numLeaves: 31,
    maxDepth: -1,
    minDataInLeaf: 20,
    lambdaL2: 1,
    featureFraction: 1,
    baggingFraction: 1,
    baggingFreq: 0,
    maxBin: 255,
    seed: 42,
  });
  const secs = (performance.now() - t0) / 1000;
  const ourAuc = auc(predictProba(r.model, test.X), test.y);
  const rows: BenchResult[] = [
    { name: 'pt gbdt train 100k x 25, 500 trees, 31 leaves', value: Number(secs.toFixed(2)), unit: 's' },
    { name: 'pt gbdt held-out AUC (20k rows)', value: Number(ourAuc.toFixed(4)), unit: 'AUC' },
  ];
  const py = findPython();
  if (!py) {
    rows.push({
      name: 'reference (xgboost / sklearn)',
      value: 'absent',
      unit: '',
      target: 'install python3-xgboost or python3-sklearn to compare',
    });
    return rows;
  }
  const dir = mkdtempSync(join(tmpdir(), 'pt-gbdt-bench-'));
  const toCsv = (d: Data) =>
    ['y,' + names.join(','), ...Array.from(d.y, (yv, i) => `${yv},${d.X.map((c) => c[i]).join(',')}`)].join('\n');
  writeFileSync(join(dir, 'train.csv'), toCsv(train));
  writeFileSync(join(dir, 'test.csv'), toCsv(test));
  writeFileSync(join(dir, 'ref.py'), PY);
  const out = execFileSync(py, [join(dir, 'ref.py'), join(dir, 'train.csv'), join(dir, 'test.csv')], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
  })
    .trim()
    .split(/\s+/);
  rmSync(dir, { recursive: true, force: true });
  const [lib, refSecs, refAuc] = [out[0], Number(out[1]), Number(out[2])];
  rows.push({ name: `${lib} train (same data, 1 thread)`, value: Number(refSecs.toFixed(2)), unit: 's' });
  rows.push({ name: `${lib} held-out AUC`, value: Number(refAuc.toFixed(4)), unit: 'AUC' });
  rows.push({
    name: 'AUC gap (pt - reference)',
    value: Number((ourAuc - refAuc).toFixed(4)),
    unit: 'AUC',
    target: '>= -0.005',
    pass: ourAuc - refAuc >= -0.005,
  });
  rows.push({
    name: 'time ratio (pt / reference)',
    value: Number((secs / refSecs).toFixed(2)),
    unit: 'x',
    target: '<= 2',
    pass: secs / refSecs <= 2,
  });
  return rows;
}
