// pt retrain on the bundled sample (six pairs, 1h): a model in force trained on the bars up to 2020-10,
// then ten months of newer bars. A better candidate is promoted (CURRENT moved, audited) and a paced
// pt live --replay switches to it on SIGHUP; a worse one is held with its reason printed; a step that
// keeps failing (the predictions folder is a file) ends in OPS_RETRAIN_FAILED with CURRENT untouched.
// Config copies make the runs small (30 boosting rounds, 5 TPE trials) and the two candidates differ
// only in θ: one at which the model trades (θ1 0.05) and one at which it cannot (θ1 ≥ 0.95).
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParquetTable } from '../../src/adapters/duckdb/index.js';
import { SAMPLE, SAMPLE_PAIR_IDS } from '../../src/cli/commands/quickstart.js';
import { verifyAuditFile } from '../../src/ops/audit/verifyAuditLog.js';
import { repoRoot, runPt, runPtAsync, type PtRun } from '../helpers/runPt.js';

const SHARD = 9;
const VERSION = /^\d{8}_\d{4}_[0-9a-f]{7}$/;
const env = { PT_MODEL_SIGNING_KEY: '', PT_MODEL_VERIFY_KEY: '', SERVICE_ENV: '', REDIS_URL: '' };
let dir = '';
let inForce = '';

const cfg = (name: string) => join(dir, name);
const pt = (config: string, args: string[]) => runPt(['-c', cfg(config), ...args], { HOME: dir, ...env }, dir);
const ptAsync = (config: string, args: string[], onStart?: (pid: number) => void, onStderr?: (s: string) => void) =>
  runPtAsync(['-c', cfg(config), ...args], {
    env: { HOME: dir, ...env },
    cwd: dir,
    ...(onStart ? { onStart } : {}),
    ...(onStderr ? { onStderr } : {}),
  });
const current = () => readFileSync(join(dir, 'models', 'custom', 'CURRENT'), 'utf8').trim();
const versions = () =>
  readdirSync(join(dir, 'models'))
    .filter((v) => VERSION.test(v))
    .sort();
const auditEntries = () =>
  readFileSync(join(dir, 'data', 'ops', 'audit.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Signals a child; pid 0 (not started yet) would signal this whole process group instead. */
function signal(pid: number, name: NodeJS.Signals): void {
  if (!(pid > 0)) throw new Error(`no child pid to send ${name} to`);
  process.kill(pid, name);
}

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function edit(file: string, from: RegExp | string, to: string): void {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  expect(next, `${file}: ${String(from)}`).not.toBe(text);
  writeFileSync(file, next);
}

function ingestTo(to: string): void {
  for (const s of SAMPLE) {
    const scale = 'priceScale' in s ? ['--price-scale', String(s.priceScale)] : [];
    const r = pt('cfg-open', [
      'ingest', '--source', 'csv', '--symbols', s.symbol, '--timeframe', '1h', '--to', to,
      '--path', join(repoRoot, 'data', 'sample', s.file), '--tz', s.tz, ...scale,
    ]); // prettier-ignore
    expect(r.code, r.stderr).toBe(0);
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-retrain-'));
  const base = cfg('cfg-open');
  cpSync(join(repoRoot, 'config'), base, { recursive: true });
  const retrain = join(base, 'retrain_policy.yaml');
  edit(retrain, 'num_boost_round: 500', 'num_boost_round: 30');
  edit(retrain, /retrain_retry_max: \{ value: \d+/, 'retrain_retry_max: { value: 1');
  edit(retrain, /min_training_months: \{ value: \d+/, 'min_training_months: { value: 12');
  edit(retrain, /wf_step_days: \{ value: \d+/, 'wf_step_days: { value: 60');
  const core = join(base, 'core_policy.yaml');
  edit(core, /min_trials: \d+, max_trials: \d+/, 'min_trials: 3, max_trials: 5');
  // No costs and no risk stop: the trading candidate's E/trade and false-stop checks are then about its entries.
  const costs = join(base, 'cost_table.yaml');
  edit(costs, 'commission_bps: 10', 'commission_bps: 0');
  edit(costs, 'slippage_bps: 8', 'slippage_bps: 0');
  edit(costs, 'spread_bps: 5', 'spread_bps: 0');
  edit(costs, /^( {4}XA[UG]USD: )\{.*\}$/gm, '$1{ spread_bps: 0, slippage_bps: 0 }');
  edit(join(base, 'backtest_policy.yaml'), 'risk_stop: true', 'risk_stop: false');
  const universe = join(base, 'universe.yaml');
  edit(universe, /(pair_id: "XAUUSD_XAGUSD"\n\s+group: "\w+"\n\s+shard: )\d+/, `$1${SHARD}`);
  cpSync(base, cfg('cfg-block'), { recursive: true });
  edit(core, /(theta_search_range:\n {2}value: )\{[^}]*\}/, '$1{ theta1: [0.05, 0.3], theta2: [0.2, 0.45] }');
  edit(core, /theta1_initial: \{ value: [\d.]+/, 'theta1_initial: { value: 0.05');
  edit(core, /theta2_initial: \{ value: [\d.]+/, 'theta2_initial: { value: 0.45');
  const blocked = join(cfg('cfg-block'), 'core_policy.yaml');
  edit(blocked, /(theta_search_range:\n {2}value: )\{[^}]*\}/, '$1{ theta1: [0.95, 0.99], theta2: [0.2, 0.45] }');
  edit(blocked, /theta1_initial: \{ value: [\d.]+/, 'theta1_initial: { value: 0.99');
  for (const c of ['cfg-open', 'cfg-block']) expect(pt(c, ['config', 'validate']).code).toBe(0);

  // The model in force: trained on the bars up to 2021-04 at a θ where it never trades.
  ingestTo('2020-10-01');
  const train = pt('cfg-block', ['train', '--pairs', SAMPLE_PAIR_IDS.join(','), '--timeframe', '1h']);
  expect(train.code, train.stderr).toBe(0);
  inForce = versions()[0]!;
  mkdirSync(join(dir, 'models', 'custom'), { recursive: true });
  writeFileSync(join(dir, 'models', 'custom', 'CURRENT'), `${inForce}\n`);
  // Ten months of newer bars: out of sample for the model in force.
  ingestTo('2021-08-01');
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The alerts recorded in the ops folder (no Slack variable set: recorded and logged only). */
const alertRecords = () =>
  readFileSync(join(dir, 'data', 'ops', 'alerts.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map(
      (l) => JSON.parse(l) as { error_id: string; severity: string; source: string; details: Record<string, unknown> },
    );

describe('pt retrain', () => {
  let promoted = '';

  it('promotes a better candidate (audited) and a paced live replay switches to it on SIGHUP', async () => {
    let pid = 0;
    let replayErr = '';
    const signals = join(dir, 'sig');
    const replay = ptAsync('cfg-open', [
      'live', '--shard', String(SHARD), '--replay', '--group', 'custom', '--from', '2021-03-01', '--to', '2021-08-01',
      '--speed', '36000x', '--signal-dir', signals, '--data-dir', join(dir, 'data'),
    ], (p) => (pid = p), (e) => (replayErr = e)); // prettier-ignore
    let r: PtRun | undefined;
    try {
      await until('the replay to write signal.json', () => existsSync(join(signals, `shard_${SHARD}`, 'signal.json')));
      r = await ptAsync('cfg-open', ['retrain', '--no-ingest', '--actor', 'cron']);
      expect(r.code, r.stderr.slice(-3000)).toBe(0);
      promoted = current();
      expect(promoted).not.toBe(inForce);
      expect(r.stdout).toMatch(/^== 7\/8 backtest \S+ against \S+ on the same out-of-sample bars$/m);
      expect(r.stdout).toMatch(/^comparison period 2020-10-\d\dT.*\.\.2021-07-.* \(out of sample for both\)$/m);
      expect(r.stdout).toMatch(/^sharpe_vs_old .* pass /m);
      expect(r.stdout).toContain(
        `promoted ${promoted} (in force: ${inForce}): every check versus the model in force holds`,
      );
      const promote = auditEntries().at(-1)!;
      expect(promote).toMatchObject({
        action: 'model.promote',
        scope: 'model:custom',
        before: inForce,
        after: promoted,
        actor: 'cron',
      });
      expect((await verifyAuditFile(join(dir, 'data', 'ops', 'audit.jsonl'))).ok).toBe(true);
      expect(alertRecords().at(-1)).toMatchObject({
        error_id: 'OPS_RETRAIN_PROMOTED',
        severity: 'INFO',
        source: 'retrain custom',
        details: { group: 'custom', candidate: promoted, in_force: inForce },
      });
      // The replay still runs the old model until it is told to reload.
      signal(pid, 'SIGHUP');
    } finally {
      if (pid > 0 && !r) signal(pid, 'SIGTERM');
    }
    // The reload re-reads CURRENT, sees another version and re-warms the shard with it; a few bars follow.
    await until('the restart with the promoted model', () => /"event":"restart"/.test(replayErr));
    await new Promise((res) => setTimeout(res, 3000));
    signal(pid, 'SIGTERM');
    const done = await replay;
    expect(done.code, done.stderr.slice(-2000)).toBe(0);
    expect(done.stderr).toMatch(/"event":"reload".*"trigger":"SIGHUP","action":"restart"/);
    const root = join(signals, 'history');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.parquet'));
    const rows: Array<{ seq: number; model: string }> = [];
    for (const f of files) {
      const t = await readParquetTable(join(root, f), { seq: 'double', model_version: 'varchar' });
      (t.seq as Float64Array).forEach((s, i) => rows.push({ seq: s, model: (t.model_version as string[])[i]! }));
    }
    rows.sort((a, b) => a.seq - b.seq);
    const models = [...new Set(rows.map((x) => x.model))];
    expect(models).toEqual([inForce, promoted]);
    expect(rows.at(-1)!.model).toBe(promoted);
  }, 300_000);

  it('holds a worse candidate, prints why, and leaves CURRENT as it was', () => {
    // Seven months the promoted model has not seen.
    ingestTo('2022-03-05');
    const before = versions();
    const r = pt('cfg-block', ['retrain', '--no-ingest']);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(r.stdout).toMatch(/^e_per_trade +NaN +≥ 0 +FAIL +no trade$/m);
    expect(r.stdout).toMatch(
      new RegExp(`^held \\S+ \\(in force: ${promoted}\\): .*e_per_trade NaN not ≥ 0 \\(no trade\\)`, 'm'),
    );
    expect(current()).toBe(promoted);
    const hold = auditEntries().at(-1)!;
    expect(hold).toMatchObject({ action: 'model.hold', before: promoted, after: promoted });
    expect(alertRecords().at(-1)).toMatchObject({ error_id: 'OPS_RETRAIN_HELD', severity: 'INFO' });
    // The held candidate stays for inspection; nothing else changed in models/.
    expect(versions().filter((v) => !before.includes(v))).toEqual([hold.candidate]);
  }, 180_000);

  it('fails with OPS_RETRAIN_FAILED after its retries when a step keeps failing, CURRENT untouched', () => {
    const before = versions();
    const predictions = join(dir, 'data', 'predictions');
    rmSync(predictions, { recursive: true, force: true });
    // A file where the train step writes its OOS predictions: every try fails after writing its version.
    writeFileSync(predictions, 'not a folder\n');
    const r = pt('cfg-open', ['retrain', '--no-ingest']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^retrain custom: step train failed \(try 1\/2\): .*; retrying$/m);
    expect(r.stderr).toMatch(/^retrain custom: step train failed \(try 2\/2, the last\)/m);
    expect(r.stderr).toMatch(
      new RegExp(
        `^ERROR OPS_RETRAIN_FAILED: retrain of custom failed after 2 tries of a step: .*; CURRENT still names ${promoted}`,
        'm',
      ),
    );
    expect(current()).toBe(promoted);
    // The versions the failed tries wrote were taken back.
    expect(versions()).toEqual(before);
    expect(auditEntries().at(-1)).toMatchObject({ action: 'retrain.failed', before: promoted, after: promoted });
    expect(alertRecords().at(-1)).toMatchObject({
      error_id: 'OPS_RETRAIN_FAILED',
      severity: 'CRITICAL',
      details: { group: 'custom', in_force: promoted },
    });
  }, 180_000);
});
