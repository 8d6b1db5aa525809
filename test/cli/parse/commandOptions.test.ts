// Every command with a runner: argv through the real commander program into its typed option parser.
// Defaults come from the command table, a good value is typed, a bad one is a CORE_CLI_USAGE error.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commandTable.js';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { parseBtRunOptions } from '../../../src/cli/options/parseBtRunOptions.js';
import { parseConfigValidateOptions } from '../../../src/cli/options/parseConfigValidateOptions.js';
import { parseDbMigrateOptions, parseSyncOptions } from '../../../src/cli/options/parseDbOptions.js';
import {
  parseConfigApplyOptions,
  parseConfigApproveOptions,
  parseConfigAuditOptions,
  parseConfigMergeOptions,
  parseConfigProposeOptions,
  parseConfigRollbackOptions,
} from '../../../src/cli/options/parseConfigFlowOptions.js';
import { parseCvOptions } from '../../../src/cli/options/parseCvOptions.js';
import { parseDqOptions } from '../../../src/cli/options/parseDqOptions.js';
import { parseFeaturesOptions } from '../../../src/cli/options/parseFeaturesOptions.js';
import { parseIngestOptions } from '../../../src/cli/options/parseIngestOptions.js';
import { parseLabelOptions } from '../../../src/cli/options/parseLabelOptions.js';
import {
  parseModelsImportOptions,
  parseModelsListOptions,
  parseModelsVerifyOptions,
} from '../../../src/cli/options/parseModelsOptions.js';
import { parseQuickstartOptions } from '../../../src/cli/options/parseQuickstartOptions.js';
import { parseRetentionOptions } from '../../../src/cli/options/parseRetentionOptions.js';
import { parseResampleOptions } from '../../../src/cli/options/parseResampleOptions.js';
import { parseStoreRepairOptions, parseStoreVerifyOptions } from '../../../src/cli/options/parseStoreOptions.js';
import { parseOpsAuditVerifyOptions } from '../../../src/cli/options/parseOpsAuditVerifyOptions.js';
import {
  parseOpsFlattenOptions,
  parseOpsHaltOptions,
  parseOpsResumeOptions,
  parseOpsRollbackOptions,
  parseOpsStatusOptions,
} from '../../../src/cli/options/parseOpsOptions.js';
import { parseMonitorOptions } from '../../../src/cli/options/parseMonitorOptions.js';
import { parseOpsSloOptions } from '../../../src/cli/options/parseOpsSloOptions.js';
import { parseOptimizeOptions } from '../../../src/cli/options/parseOptimizeOptions.js';
import { parsePaperOptions } from '../../../src/cli/options/parsePaperOptions.js';
import { parseParityOptions } from '../../../src/cli/options/parseParityOptions.js';
import { parseLiveOptions } from '../../../src/cli/options/parseLiveOptions.js';
import { parseTrainOptions } from '../../../src/cli/options/parseTrainOptions.js';
import { parseRetrainOptions } from '../../../src/cli/options/parseRetrainOptions.js';
import { parseServeOptions } from '../../../src/cli/options/parseServeOptions.js';
import { parseTokenIssueOptions } from '../../../src/cli/options/parseTokenOptions.js';
import { repoRoot } from '../../helpers/runPt.js';
import { parseArgv } from './parseArgv.js';

const config = loadConfig(join(repoRoot, 'config'));
const seed = config.retrain_policy.seed;
const tf = config.pipeline_policy.timeframe_default;
const specOf = (id: string) => config.universe.pairs.find((p) => p.pair_id === id)!;

interface Case {
  /** The parser, given the raw record commander produced. */
  parse: (raw: Record<string, unknown>) => unknown;
  /** Fewest flags: what the table's defaults (and config's) make of them. */
  minimal: string[];
  defaults: Record<string, unknown>;
  good: string[];
  typed: Record<string, unknown>;
  bad: string[];
  error: RegExp;
}

const CASES: Record<string, Case> = {
  ingest: {
    parse: (raw) => parseIngestOptions(raw, config),
    minimal: ['--source', 'synthetic'],
    defaults: {
      source: 'synthetic',
      symbols: [],
      timeframe: tf,
      tz: undefined,
      detectClock: false,
      full: false,
      noWait: false,
      dataDir: resolve('data'),
    },
    good: [
      ...['--source', 'csv', '--symbols', 'xauusd, XAGUSD', '--timeframe', '4h', '--path', 'a.csv', '--tz', 'EET'],
      ...['--price-scale', '100', '--from', '2022-01-01', '--to', '2023-01-01', '--full', '--data-dir', 'd'],
      ...['--metrics-file', 'm.prom', '--seed', '7', '--no-wait'],
    ],
    typed: {
      source: 'csv',
      symbols: ['XAUUSD', 'XAGUSD'],
      timeframe: '4h',
      path: 'a.csv',
      tz: 'EET',
      priceScale: 100,
      fromMs: Date.UTC(2022, 0, 1),
      toMs: Date.UTC(2023, 0, 1),
      full: true,
      dataDir: resolve('d'),
      metricsFile: resolve('m.prom'),
      seed: 7,
      noWait: true,
    },
    bad: ['--source', 'ftp'],
    error: /^unknown --source "ftp" \(expected twelvedata, csv or synthetic\)$/,
  },
  resample: {
    parse: (raw) => parseResampleOptions(raw, config),
    minimal: ['--symbols', 'XAUUSD', '--source-timeframe', '15m'],
    defaults: {
      symbols: ['XAUUSD'],
      sourceTimeframe: '15m',
      timeframe: tf,
      full: false,
      noWait: false,
      forceRevise: false,
      dataDir: resolve('data'),
    },
    good: [
      ...['--symbols', 'xauusd,XAGUSD', '--source-timeframe', 'H1', '--timeframe', '4h', '--from', '2024-01-01'],
      ...['--to', '2024-07-01', '--full', '--force-revise', '--no-wait', '--data-dir', 'd'],
    ],
    typed: {
      symbols: ['XAUUSD', 'XAGUSD'],
      sourceTimeframe: '1h',
      timeframe: '4h',
      fromMs: Date.UTC(2024, 0, 1),
      toMs: Date.UTC(2024, 6, 1),
      full: true,
      forceRevise: true,
      noWait: true,
      dataDir: resolve('d'),
    },
    bad: ['--symbols', 'XAUUSD', '--source-timeframe', '4h', '--timeframe', '1h'],
    error:
      /^cannot resample 4h into 1h: --source-timeframe must be shorter than --timeframe and divide it \(15m→1h, 15m→4h, 1h→4h\)$/,
  },
  dq: {
    parse: (raw) => parseDqOptions(raw, config),
    minimal: [],
    defaults: { symbols: undefined, timeframe: tf, dataDir: resolve('data'), reportPath: undefined, noWait: false },
    good: [
      '--symbols',
      'SYNA,SYNB',
      '--timeframe',
      '15m',
      '--report',
      'r.json',
      '--from',
      '2024-01-01',
      '--no-wait',
      '--metrics-file',
      'm.prom',
    ],
    typed: {
      symbols: ['SYNA', 'SYNB'],
      timeframe: '15m',
      reportPath: resolve('r.json'),
      metricsFile: resolve('m.prom'),
      fromMs: Date.UTC(2024, 0, 1),
      noWait: true,
    },
    bad: ['--timeframe', '1d'],
    error: /^unknown timeframe "1d" \(expected one of 15m, 1h, 4h\)$/,
  },
  features: {
    parse: (raw) => parseFeaturesOptions(raw, config),
    minimal: ['--pair', 'SYNA_SYNB'],
    defaults: { pairs: [specOf('SYNA_SYNB')], timeframe: tf, dq: true, out: undefined, dataDir: resolve('data') },
    good: ['--pair', 'syna_synb,XAUUSD_XAGUSD', '--no-dq', '--data-dir', '/srv/pt/data'],
    typed: { pairs: [specOf('SYNA_SYNB'), specOf('XAUUSD_XAGUSD')], dq: false, dataDir: '/srv/pt/data' },
    bad: ['--all', '--out', 'f.csv'],
    error: /^--out takes one --pair; with --all the outputs go under data\/features\/$/,
  },
  label: {
    parse: (raw) => parseLabelOptions(raw, config),
    minimal: ['--pair', 'SYNA_SYNB'],
    defaults: { kind: 'all', dq: true, timeframe: tf, outEvents: undefined, dataDir: resolve('data') },
    good: ['--pair', 'SYNA_SYNB', '--kind', 'ai2', '--out-risk', 'risk.parquet', '--to', '2024-06-01'],
    typed: { kind: 'ai2', outRisk: resolve('risk.parquet'), toMs: Date.UTC(2024, 5, 1) },
    bad: ['--pair', 'SYNA_SYNB', '--kind', 'ai3'],
    error: /^--kind must be ai1, ai2 or all, got "ai3"$/,
  },
  cv: {
    parse: (raw) => parseCvOptions(raw, config),
    minimal: ['--group', 'synthetic'],
    defaults: {
      group: 'synthetic',
      pairs: [specOf('SYNA_SYNB')],
      kinds: ['ai1', 'ai2'],
      seed,
      dataDir: resolve('data'),
    },
    good: ['--pairs', 'XAUUSD_XAGUSD', '--model', 'ai1', '--seed', '7'],
    typed: { group: 'custom', pairs: [specOf('XAUUSD_XAGUSD')], kinds: ['ai1'], seed: 7 },
    bad: ['--group', 'synthetic', '--model', 'ai9'],
    error: /^--model must be ai1, ai2 or all, got "ai9"$/,
  },
  train: {
    parse: (raw) => parseTrainOptions(raw, config),
    minimal: ['--group', 'metals'],
    defaults: {
      group: 'metals',
      seed,
      timeframe: tf,
      modelsDir: resolve('models'),
      dataDir: resolve('data'),
      allowDegenerate: false,
    },
    good: ['--group', 'synthetic', '--out', 'm', '--seed', '3.7', '--timeframe', '4h', '--allow-degenerate'],
    typed: { modelsDir: resolve('m'), seed: 3, timeframe: '4h', allowDegenerate: true },
    bad: ['--group', 'gems'],
    error: /^unknown group "gems" \(universe\.yaml has /,
  },
  optimize: {
    parse: (raw) => parseOptimizeOptions(raw, config),
    minimal: ['--group', 'metals'],
    defaults: {
      group: 'metals',
      seed,
      timeframe: tf,
      trials: 100,
      apply: false,
      dataDir: resolve('data'),
    },
    good: ['--pairs', 'XAUUSD_XAGUSD', '--model-dir', 'models/v1', '--trials', '0', '--apply', '--out', 'o'],
    typed: {
      group: 'custom',
      pairs: [specOf('XAUUSD_XAGUSD')],
      modelDir: resolve('models/v1'),
      trials: 0,
      apply: true,
      outDir: resolve('o'),
    },
    bad: ['--group', 'metals', '--trials', '-3'],
    error: /^--trials -3: give an integer from 0 to 10000/,
  },
  'models import': {
    parse: (raw) => parseModelsImportOptions(raw),
    minimal: ['--ai1', 'a.onnx', '--ai2', 'b.onnx', '--schema', 's.json'],
    defaults: {
      ai1: resolve('a.onnx'),
      ai2: resolve('b.onnx'),
      schema: resolve('s.json'),
      modelsDir: resolve('models'),
    },
    good: ['--from', '20260101_0300_ab12cd3', '--ai2', 'x.onnx', '--feature-names', 'z, delta_z', '--models-dir', '/m'],
    typed: {
      from: '/m/20260101_0300_ab12cd3',
      ai2: resolve('x.onnx'),
      featureNames: ['z', 'delta_z'],
      modelsDir: '/m',
    },
    bad: ['--ai1', 'a.onnx', '--schema', 's.json'],
    error: /^--ai2 is required \(or --from <version> to take the files not given from that version\)$/,
  },
  'models list': {
    parse: (raw) => parseModelsListOptions(raw),
    minimal: [],
    defaults: { modelsDir: resolve('models') },
    good: ['--models-dir', '/srv/pt/models'],
    typed: { modelsDir: '/srv/pt/models' },
    bad: ['--models-dir', ''],
    error: /^--models-dir needs a value$/,
  },
  'models verify': {
    parse: (raw) => parseModelsVerifyOptions(raw),
    minimal: ['20260101_0300_ab12cd3'],
    defaults: { dir: join('models', '20260101_0300_ab12cd3'), name: '20260101_0300_ab12cd3' },
    good: ['--version', 'some/folder/v1', '--models-dir', 'elsewhere'],
    typed: { dir: 'some/folder/v1', name: 'v1' },
    bad: ['20260101_0300_ab12cd3', '--version', '20260101_0300_ffffff0'],
    error: /^two versions given \(20260101_0300_ab12cd3 and --version 20260101_0300_ffffff0\): give one$/,
  },
  'store verify': {
    parse: (raw) => parseStoreVerifyOptions(raw, config),
    minimal: [],
    defaults: { symbols: undefined, timeframe: tf, dataDir: resolve('data') },
    good: ['--symbols', 'xauusd,XAGUSD', '--timeframe', '4h', '--data-dir', '/srv/pt/data'],
    typed: { symbols: ['XAUUSD', 'XAGUSD'], timeframe: '4h', dataDir: '/srv/pt/data' },
    bad: ['--timeframe', '1d'],
    error: /^unknown timeframe "1d" \(expected one of 15m, 1h, 4h\)$/,
  },
  'store repair': {
    parse: (raw) => parseStoreRepairOptions(raw, config),
    minimal: [],
    defaults: {
      symbols: undefined,
      timeframe: tf,
      source: 'quarantine',
      tz: undefined,
      noWait: false,
      dataDir: resolve('data'),
    },
    good: [
      ...['--symbols', 'XAUUSD', '--source', 'csv', '--path', 'x.csv.gz', '--tz', 'EET', '--price-scale', '100'],
      '--no-wait',
    ],
    typed: { symbols: ['XAUUSD'], source: 'csv', path: 'x.csv.gz', tz: 'EET', priceScale: 100, noWait: true },
    bad: ['--source', 'csv', '--path', 'x.csv'],
    error: /^--source csv re-ingests the bad months of the symbols named: give --symbols$/,
  },
  'bt run': {
    parse: (raw) => parseBtRunOptions(raw, config),
    minimal: [],
    defaults: {
      pairIds: undefined,
      timeframe: tf,
      ruleOnly: false,
      seed,
      stress: false,
      csv: false,
      dq: true,
      dataDir: resolve('data'),
      outDir: resolve('reports/bt'),
      modelDir: undefined,
    },
    good: [
      ...['--pairs', 'syna_synb, XAUUSD_XAGUSD', '--period', '2022-01:2024-06', '--theta1', '0.6', '--theta2', '0'],
      ...['--model-dir', 'models/v', '--out', 'o', '--stress', '--csv', '--no-dq', '--seed', '7'],
      ...['--baseline-run', 'b', '--universe', 'u.yaml', '--cost', 'ecn', '--rule-only'],
    ],
    typed: {
      pairIds: ['SYNA_SYNB', 'XAUUSD_XAGUSD'],
      fromMs: Date.UTC(2022, 0, 1),
      toMs: Date.UTC(2024, 6, 1),
      theta1: 0.6,
      theta2: 0,
      modelDir: resolve('models/v'),
      outDir: resolve('o'),
      stress: true,
      csv: true,
      dq: false,
      seed: 7,
      baselineRun: resolve('b'),
      universe: 'u.yaml',
      cost: 'ecn',
      ruleOnly: true,
    },
    bad: ['--theta2', '1.5'],
    error: /^--theta2 must be a number in \[0, 1\], got "1\.5"$/,
  },
  'config validate': {
    parse: (raw) => parseConfigValidateOptions(raw),
    minimal: [],
    defaults: {},
    good: ['--dir', 'test/fixtures/config/valid'],
    typed: { dir: 'test/fixtures/config/valid' },
    bad: ['--dir'],
    error: /argument missing/,
  },
  'db migrate': {
    parse: (raw) => parseDbMigrateOptions(raw),
    minimal: [],
    defaults: { lockTimeoutMs: 60_000 },
    good: ['--lock-timeout', '2.5'],
    typed: { lockTimeoutMs: 2500 },
    bad: ['--lock-timeout', '0'],
    error: /^--lock-timeout must be a positive number, got "0"$/,
  },
  sync: {
    parse: (raw) => parseSyncOptions(raw, config),
    minimal: [],
    defaults: {
      shards: [...new Set(config.universe.pairs.map((p) => p.shard))].sort(),
      historyDir: join(resolve(config.signals_policy.signal_dir), 'history'),
      fillsDir: join(resolve(config.signals_policy.signal_dir), 'paper'),
      auditPath: resolve(config.runbook_policy.audit_log_path),
      alertsPath: join(resolve(config.signals_policy.ops_dir), 'alerts.jsonl'),
      batchSize: 500,
      once: false,
      intervalMs: 60_000,
    },
    good: [
      ...['--shard', '1', '--once', '--interval', '5', '--batch', '50', '--replay', '--data-dir', '/tmp/d'],
      ...['--fills-dir', '/srv/ea/pt', '--account', '/srv/ea/account.json'],
    ],
    typed: {
      shards: [1],
      historyDir: '/tmp/d/replay/signals/history',
      fillsDir: '/srv/ea/pt',
      account: { path: '/srv/ea/account.json', shard: 1 },
      auditPath: '/tmp/d/replay/ops/audit.jsonl',
      alertsPath: '/tmp/d/replay/ops/alerts.jsonl',
      batchSize: 50,
      once: true,
      intervalMs: 5000,
    },
    bad: ['--batch', '2.5'],
    error: /^--batch must be a positive whole number, got "2\.5"$/,
  },
  'config propose': {
    parse: (raw) => parseConfigProposeOptions(raw, config),
    minimal: ['--from', 'edited', '--title', 'tighter warn'],
    defaults: {
      from: resolve('edited'),
      title: 'tighter warn',
      repo: resolve('.'),
      main: 'main',
      auditPath: resolve(config.runbook_policy.audit_log_path),
    },
    good: ['--from', '/tmp/c', '--title', ' t ', '--repo', '/srv/pt', '--main', 'prod', '--actor', 'alice'],
    typed: { from: '/tmp/c', title: 't', repo: '/srv/pt', main: 'prod', actor: 'alice' },
    bad: ['--from', 'edited'],
    error: /^--title "…" is required: what the change is for$/,
  },
  'config approve': {
    parse: (raw) => parseConfigApproveOptions(raw, config),
    minimal: ['cfg-1'],
    defaults: { id: 'cfg-1', repo: resolve('.'), main: 'main' },
    good: ['cfg-12', '--checklist-url', 'https://wiki/cl/12', '--risk-note', 'DD only', '--actor', 'bob'],
    typed: { id: 'cfg-12', checklistUrl: 'https://wiki/cl/12', riskNote: 'DD only', actor: 'bob' },
    bad: ['12'],
    error: /^a proposal id looks like cfg-3, got "12"$/,
  },
  'config merge': {
    parse: (raw) => parseConfigMergeOptions(raw, config),
    minimal: ['cfg-2'],
    defaults: { id: 'cfg-2', repo: resolve('.'), main: 'main' },
    good: ['cfg-3', '--repo', 'r'],
    typed: { id: 'cfg-3', repo: resolve('r') },
    bad: [],
    error: /^which proposal\? pt config merge <id>/,
  },
  'config apply': {
    parse: (raw) => parseConfigApplyOptions(raw, config),
    minimal: ['cfg-2'],
    defaults: { id: 'cfg-2', env: 'dev', repo: resolve('.') },
    good: ['cfg-2', '--env', 'prod', '--apply-dir', '/srv/pt/config'],
    typed: { env: 'prod', applyDir: '/srv/pt/config' },
    bad: ['cfg-2', '--env', 'live'],
    error: /^--env must be dev, stg or prod, got "live"$/,
  },
  'config rollback': {
    parse: (raw) => parseConfigRollbackOptions(raw, config),
    minimal: [],
    defaults: { reason: null, env: 'dev', repo: resolve('.'), main: 'main' },
    good: ['--reason', 'Sharpe -25%', '--env', 'stg', '--actor', 'carol'],
    typed: { reason: 'Sharpe -25%', env: 'stg', actor: 'carol' },
    bad: ['--reason', ' '],
    error: /^--reason needs a value$/,
  },
  'config audit': {
    parse: (raw) => parseConfigAuditOptions(raw, config),
    minimal: [],
    defaults: { proposals: false, json: false, repo: resolve('.') },
    good: [
      '--id',
      'cfg-4',
      '--config',
      'dd_policy',
      '--step',
      'apply',
      '--from',
      '2026-01-01',
      '--to',
      '2026-02-01',
      '--json',
    ],
    typed: {
      id: 'cfg-4',
      configName: 'dd_policy',
      step: 'apply',
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-02-01T00:00:00.000Z',
      json: true,
    },
    bad: ['--step', 'deploy'],
    error: /^--step must be propose, approve, merge, apply or rollback, got "deploy"$/,
  },
  live: {
    parse: (raw) => parseLiveOptions(raw, config),
    minimal: ['--shard', '0'],
    defaults: { shard: 0, source: 'provider', timeframe: tf, speed: 'max', dataDir: resolve('data') },
    good: [
      ...['--shard', '1', '--replay', '--from', '2022-01-01', '--to', '2022-02-01', '--speed', '60x'],
      ...['--model-dir', 'models/v', '--group', 'metals', '--signal-dir', 's', '--metrics-port', '9500'],
      ...['--theta1', '0.2', '--theta2', '0.8'],
    ],
    typed: {
      shard: 1,
      source: 'replay',
      fromMs: Date.UTC(2022, 0, 1),
      toMs: Date.UTC(2022, 1, 1),
      speed: 60,
      modelDir: resolve('models/v'),
      group: 'metals',
      signalDir: resolve('s'),
      metricsPort: 9500,
      theta1: 0.2,
      theta2: 0.8,
    },
    bad: ['--shard', 'x'],
    error: /^--shard x: give a shard number/,
  },
  paper: {
    parse: (raw) => parsePaperOptions(raw, config),
    minimal: [],
    defaults: { shard: 0, mode: 'follow', clock: 'wall', pollMs: 1000, closeAtEnd: false, dataDir: resolve('data') },
    good: [
      ...['--shard', '2', '--signal-dir', 's', '--from', '2022-01-01', '--to', '2022-02-01', '--clock', 'wall'],
      ...['--close-at-end', '--account', 'a.json', '--poll-ms', '50'],
    ],
    typed: {
      shard: 2,
      mode: 'history',
      clock: 'wall',
      closeAtEnd: true,
      pollMs: 50,
      fromMs: Date.UTC(2022, 0, 1),
      toMs: Date.UTC(2022, 1, 1),
      paths: { signalDir: resolve('s'), accountPath: resolve('a.json'), paperDir: resolve('s/paper/shard_2/history') },
    },
    bad: ['--clock', 'broker'],
    error: /^--clock must be bar or wall, got "broker"$/,
  },
  parity: {
    parse: (raw) => parseParityOptions(raw, config),
    minimal: [],
    defaults: { shard: 0, live: true, outDir: resolve('data/replay/parity/shard_0'), dataDir: resolve('data') },
    good: [
      ...['--shard', '1', '--from', '2022-01-01', '--to', '2022-02-01', '--model-dir', 'models/v'],
      ...['--theta1', '0.2', '--theta2', '0.8', '--out', 'o', '--signal-dir', 's', '--no-live'],
    ],
    typed: {
      shard: 1,
      fromMs: Date.UTC(2022, 0, 1),
      toMs: Date.UTC(2022, 1, 1),
      modelDir: resolve('models/v'),
      theta1: 0.2,
      theta2: 0.8,
      outDir: resolve('o'),
      signalDir: resolve('s'),
      live: false,
    },
    bad: ['--no-live'],
    error: /^--no-live compares an existing replay: give its --signal-dir$/,
  },
  'ops audit verify': {
    parse: (raw) => parseOpsAuditVerifyOptions(raw, () => config),
    minimal: [],
    defaults: { path: resolve(config.runbook_policy.audit_log_path), anchor: false },
    good: ['--path', 'backup/audit.jsonl', '--anchor'],
    typed: { path: resolve('backup/audit.jsonl'), anchor: true },
    bad: ['--path', ''],
    error: /^--path needs a value$/,
  },
  'ops halt': {
    parse: (raw) => parseOpsHaltOptions(raw, config, {}),
    minimal: [],
    defaults: {
      scope: { scope: 'portfolio' },
      level: 'soft',
      reason: null,
      bus: 'files',
      opsDir: resolve(config.signals_policy.ops_dir),
      auditPath: resolve(config.runbook_policy.audit_log_path),
    },
    good: [
      '--scope',
      'pair',
      '--pair',
      'XAUUSD_XAGUSD',
      '--level',
      'hard',
      '--reason',
      'CPI',
      '--actor',
      'alice',
      '--replay',
    ],
    typed: {
      scope: { scope: 'pair', pairId: 'XAUUSD_XAGUSD' },
      level: 'hard',
      reason: 'CPI',
      actor: 'alice',
      opsDir: resolve('data', 'replay', 'ops'),
    },
    bad: ['--scope', 'pair', '--pair', 'NOPE_PAIR'],
    error: /^--pair NOPE_PAIR is not in universe\.yaml$/,
  },
  'ops flatten': {
    parse: (raw) => parseOpsFlattenOptions(raw, config, {}),
    minimal: [],
    defaults: { scope: { scope: 'portfolio' }, mode: 'graceful', bus: 'files' },
    good: ['--mode', 'immediate', '--ops-dir', '/tmp/ops'],
    typed: { mode: 'immediate', opsDir: '/tmp/ops' },
    bad: ['--mode', 'slowly'],
    error: /^--mode must be immediate or graceful, got "slowly"$/,
  },
  'ops resume': {
    parse: (raw) => parseOpsResumeOptions(raw, config, {}),
    minimal: [],
    defaults: { scope: { scope: 'portfolio' }, force: false, reason: null },
    good: ['--force', '--reason', 'reviewed'],
    typed: { force: true, reason: 'reviewed' },
    bad: ['--force'],
    error: /^--force needs --reason "…": the audit log records why$/,
  },
  'ops rollback': {
    parse: (raw) => parseOpsRollbackOptions(raw, config, {}),
    minimal: ['--target', 'model', '--version', '20260101_0300_ab12cd3', '--group', 'metals'],
    defaults: { target: 'model', version: '20260101_0300_ab12cd3', group: 'metals', modelsDir: resolve('models') },
    good: ['--target', 'theta', '--version', 'params', '--group', 'custom', '--models-dir', '/tmp/m'],
    typed: { target: 'theta', version: 'params', group: 'custom', modelsDir: '/tmp/m' },
    bad: ['--target', 'config', '--version', 'v1', '--group', 'metals'],
    error: /^--target config belongs to the config workflow/,
  },
  'ops status': {
    parse: (raw) => parseOpsStatusOptions(raw, config, {}),
    minimal: [],
    defaults: { modelsDir: resolve('models'), json: false, alert: false, bus: 'files' },
    good: ['--json', '--replay', '--alert'],
    typed: { json: true, alert: true, opsDir: resolve('data', 'replay', 'ops') },
    bad: ['--bus', 'redis'],
    error: /^--bus redis needs REDIS_URL in the environment$/,
  },
  serve: {
    parse: (raw) => parseServeOptions(raw, config, {}),
    minimal: [],
    defaults: {
      host: '127.0.0.1',
      port: 8080,
      behindProxy: false,
      bus: 'files',
      opsDir: resolve(config.signals_policy.ops_dir),
      auditPath: resolve(config.runbook_policy.audit_log_path),
      dataDir: resolve('data'),
      modelsDir: resolve('models'),
      btDefaultRun: resolve('reports', 'bt'),
      btDirGiven: false,
    },
    good: [
      ...['--port', '0', '--host', '0.0.0.0', '--behind-proxy', '--ops-dir', '/tmp/ops', '--models-dir', '/tmp/m'],
      ...['--bt-dir', '/tmp/bt'],
    ],
    typed: {
      port: 0,
      host: '0.0.0.0',
      behindProxy: true,
      opsDir: '/tmp/ops',
      modelsDir: '/tmp/m',
      btDefaultRun: '/tmp/bt',
      btDirGiven: true,
    },
    bad: ['--port', '70000'],
    error: /^--port 70000: give 0 to 65535$/,
  },
  'token issue': {
    parse: (raw) => parseTokenIssueOptions(raw),
    minimal: ['--role', 'viewer', '--sub', 'grafana'],
    defaults: { role: 'viewer', sub: 'grafana', ttlSeconds: 3600 },
    good: ['--role', 'admin', '--sub', 'alice', '--ttl', '7d'],
    typed: { role: 'admin', sub: 'alice', ttlSeconds: 7 * 86_400 },
    bad: ['--role', 'root', '--sub', 'alice'],
    error: /^--role root: one of viewer, editor, approver, admin$/,
  },
  monitor: {
    parse: (raw) => parseMonitorOptions(raw, config, {}),
    minimal: [],
    defaults: {
      bus: 'files',
      opsDir: resolve(config.signals_policy.ops_dir),
      auditPath: resolve(config.runbook_policy.audit_log_path),
    },
    good: ['--redis', 'redis://127.0.0.1:6379/2', '--refresh', '1', '--shard', '1'],
    typed: { bus: 'redis', redisUrl: 'redis://127.0.0.1:6379/2', refreshSeconds: 1, shard: 1 },
    bad: ['--redis', 'redis://u:secret@127.0.0.1:6379'],
    error: /^--redis: a URL with a password goes in REDIS_URL, not on the command line \(ps shows arguments\)$/,
  },
  'ops slo': {
    parse: (raw) => parseOpsSloOptions(raw, config, Date.UTC(2026, 11, 4)),
    minimal: [],
    defaults: {
      fromMs: Date.UTC(2026, 11, 4) - config.pipeline_policy.slo_targets.window_days * 86_400_000,
      toMs: Date.UTC(2026, 11, 4),
      asOfMs: Date.UTC(2026, 11, 4),
      timeframe: tf,
      historyDir: join(resolve(config.signals_policy.signal_dir), 'history'),
      dataDir: resolve('data'),
      dqReportsDir: resolve('reports/dq'),
      json: false,
    },
    good: ['--from', '2024-01-01', '--to', '2024-02-01', '--shard', '1', '--replay', '--data-dir', '/tmp/d', '--json'],
    typed: {
      fromMs: Date.UTC(2024, 0, 1),
      toMs: Date.UTC(2024, 1, 1),
      shard: 1,
      replay: true,
      historyDir: '/tmp/d/replay/signals/history',
      json: true,
    },
    bad: ['--shard', '99'],
    error: /^--shard 99: no pair of universe\.yaml is in that shard$/,
  },
  'retention apply': {
    parse: (raw) => parseRetentionOptions(raw, config),
    minimal: [],
    defaults: {
      dataDir: resolve('data'),
      modelsDir: resolve('models'),
      reportsDir: resolve('reports'),
      signalDir: resolve(config.signals_policy.signal_dir),
      auditLogPath: resolve(config.runbook_policy.audit_log_path),
      dryRun: false,
      json: false,
      noWait: false,
    },
    good: [
      '--dry-run',
      '--json',
      '--no-wait',
      '--data-dir',
      '/tmp/d',
      '--models-dir',
      '/tmp/m',
      '--reports-dir',
      '/tmp/r',
    ],
    typed: { dryRun: true, json: true, noWait: true, dataDir: '/tmp/d', modelsDir: '/tmp/m', reportsDir: '/tmp/r' },
    bad: ['--reports-dir', ''],
    error: /^--reports-dir needs a value$/,
  },
  retrain: {
    parse: (raw) => parseRetrainOptions(raw, config),
    minimal: [],
    defaults: {
      timeframe: tf,
      seed,
      dataDir: resolve('data'),
      modelsDir: resolve('models'),
      auditPath: resolve(config.runbook_policy.audit_log_path),
      dryRun: false,
      source: 'twelvedata',
    },
    good: ['--group', 'metals', '--dry-run', '--no-ingest', '--actor', 'cron', '--seed', '7', '--models-dir', '/tmp/m'],
    typed: { group: 'metals', dryRun: true, source: null, actor: 'cron', seed: 7, modelsDir: '/tmp/m' },
    bad: ['--source', 'csv'],
    error: /^unknown --source "csv" \(expected twelvedata or synthetic; .*\)$/,
  },
  quickstart: {
    parse: (raw) => parseQuickstartOptions(raw),
    minimal: [],
    defaults: { dataDir: resolve('data') },
    good: ['--data-dir', '/tmp/qs'],
    typed: { dataDir: '/tmp/qs' },
    bad: ['--data-dir', ''],
    error: /^--data-dir needs a value$/,
  },
};

async function parse(path: string, args: string[]): Promise<unknown> {
  const { spec, raw } = await parseArgv([...path.split(' '), ...args]);
  expect(spec.path.join(' ')).toBe(path);
  return CASES[path]!.parse(raw);
}

describe('command option parsers', () => {
  it('cover every command that has a runner', () => {
    const runnable = COMMANDS.filter((c) => c.load).map((c) => c.path.join(' '));
    expect(Object.keys(CASES).sort()).toEqual(runnable.sort());
  });

  for (const [path, c] of Object.entries(CASES)) {
    describe(`pt ${path}`, () => {
      it("applies the command table's defaults (and config's) to the fewest flags", async () => {
        expect(await parse(path, c.minimal)).toMatchObject(c.defaults);
      });

      it('types good values', async () => {
        expect(await parse(path, c.good)).toMatchObject(c.typed);
      });

      it('turns a bad value into one CORE_CLI_USAGE line', async () => {
        const error = await parse(path, c.bad).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(Error);
        const { id, code, message } = error as { id?: string; code?: string; message: string };
        // commander's own errors (a flag without its value) become CORE_CLI_USAGE in main.ts
        expect(id ?? (code?.startsWith('commander.') ? 'CORE_CLI_USAGE' : code)).toBe('CORE_CLI_USAGE');
        expect(message.replace(/^error: /, '')).toMatch(c.error);
        expect(message).not.toContain('\n');
      });

      it('repeats no default of the table: without a defaulted flag the parser refuses', async () => {
        const { spec, raw } = await parseArgv([...path.split(' '), ...c.minimal]);
        for (const option of spec.options.filter((o) => o.defaultValue !== undefined)) {
          const key = /--([a-z-]+)/.exec(option.flags)![1]!.replace(/-([a-z])/g, (_m, ch: string) => ch.toUpperCase());
          const { [key]: _dropped, ...rest } = raw;
          expect(() => c.parse(rest), option.flags).toThrow(/needs a value/);
        }
      });
    });
  }

  it('takes the timeframe default from pipeline_policy.yaml, not from the parser', async () => {
    const other = { ...config, pipeline_policy: { ...config.pipeline_policy, timeframe_default: '4h' } };
    const { raw } = await parseArgv(['bt', 'run']);
    expect(parseBtRunOptions(raw, other as typeof config).timeframe).toBe('4h');
  });

  it('bt run: a bad --period or --seed is a usage error', async () => {
    await expect(parse('bt run', ['--period', '2022-13'])).rejects.toThrow(
      /^--period "2022-13" must look like 2022-01:2024-06$/,
    );
    await expect(parse('bt run', ['--seed', '-3'])).rejects.toThrow(/^--seed must be a positive number, got "-3"$/);
  });

  it("ops slo --replay: without --from/--to the window is left to the job (the replay history's days, not now)", async () => {
    const o = (await parse('ops slo', ['--replay', '--signal-dir', '/tmp/r'])) as Record<string, unknown>;
    expect(o).toMatchObject({ replay: true, historyDir: '/tmp/r/history' });
    expect(o.fromMs).toBeUndefined();
    expect(o.toMs).toBeUndefined();
  });

  it("sync: account.json is one shard's, so --account needs --shard; a replay reads data/replay", async () => {
    await expect(parse('sync', ['--account', 'a.json'])).rejects.toThrow(
      /^--account belongs to one shard: give --shard too$/,
    );
    const o = (await parse('sync', ['--replay', '--data-dir', '/tmp/d', '--shard', '0'])) as Record<string, unknown>;
    expect(o.account).toEqual({ path: '/tmp/d/replay/account.json', shard: 0 });
    expect((await parse('sync', [])) as Record<string, unknown>).not.toHaveProperty('account');
  });

  it('features and label: an unknown pair names the universe', async () => {
    await expect(parse('features', ['--pair', 'NOPE'])).rejects.toThrow(/^unknown pair "NOPE" \(universe\.yaml has /);
    await expect(parse('label', [])).rejects.toThrow(/^--pair ID or --all is required/);
  });
});
