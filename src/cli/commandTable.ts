// Every pt subcommand as data: its path, summary, options and example; help text is generated from it.

export interface OptionSpec {
  flags: string;
  description: string;
  defaultValue?: string;
  required?: boolean;
}

/** A command's handler, imported lazily so `pt --help` stays fast. */
export type CommandRunner = (options: Record<string, unknown>) => Promise<number>;

export interface CommandSpec {
  /** `['bt', 'run']` for `pt bt run`. */
  path: string[];
  summary: string;
  examples: string[];
  options: OptionSpec[];
  /** Positional arguments in commander syntax (`['[version]']`); their values reach the runner as `options.args`. */
  args?: string[];
  /** Undefined while the command is not built yet: it then exits 2 with CORE_CLI_NOTIMPL. */
  load?: () => Promise<CommandRunner>;
}

const symbols: OptionSpec = {
  flags: '--symbols <list>',
  description: 'comma-separated canonical symbols, e.g. XAUUSD,XAGUSD',
};
const pairs: OptionSpec = {
  flags: '--pairs <list>',
  description: 'comma-separated pair ids (default: every pair in universe.yaml)',
};
const timeframe: OptionSpec = {
  flags: '--timeframe <tf>',
  description: '15m | 1h | 4h (default: timeframe_default of pipeline_policy.yaml)',
};
const from: OptionSpec = { flags: '--from <date>', description: 'start, UTC (YYYY-MM-DD or RFC 3339), inclusive' };
const to: OptionSpec = { flags: '--to <date>', description: 'end, UTC, exclusive' };
const dataDir: OptionSpec = { flags: '--data-dir <dir>', description: 'data folder', defaultValue: 'data' };
const modelDir: OptionSpec = {
  flags: '--model-dir <dir>',
  description: 'model version folder (default: newest under models/)',
};
const seed: OptionSpec = { flags: '--seed <n>', description: 'random seed (default: retrain_policy.yaml seed)' };
const scope: OptionSpec = { flags: '--scope <scope>', description: 'portfolio | pair', defaultValue: 'portfolio' };
const pair: OptionSpec = { flags: '--pair <id>', description: 'pair id from universe.yaml, e.g. XAUUSD_XAGUSD' };
const group: OptionSpec = { flags: '--group <name>', description: 'a group of universe.yaml (metals, majors, …)' };
const allPairs: OptionSpec = { flags: '--all', description: 'every pair of universe.yaml' };
const modelsDir: OptionSpec = {
  flags: '--models-dir <dir>',
  description: 'model registry folder',
  defaultValue: 'models',
};
const noWait: OptionSpec = {
  flags: '--no-wait',
  description: 'fail with DATA_STORAGE_LOCKED when another process holds the store lock, instead of waiting',
};
const csvClock: OptionSpec = {
  flags: '--tz <clock>',
  description:
    "csv: the file's clock: an IANA zone (UTC, EET, Etc/GMT-2), a shifted zone ZONE@+H / ZONE@-H, NY+7 (New York + 7 h, the MT5 'New York close' clock), or file (trust the offsets written in the timestamps); required for MetaTrader exports, else UTC",
};
const csvIgnoreOffsets: OptionSpec = {
  flags: '--ignore-offsets',
  description:
    'csv: drop the offsets written in the timestamps (e.g. an MT5 Python export labelling broker time +00:00) and read their wall times in the --tz clock',
};
const csvPriceScale: OptionSpec = {
  flags: '--price-scale <n>',
  description: 'csv: divide prices by n (prices stored as integer points)',
};
const csvSnap: OptionSpec = {
  flags: '--snap',
  description:
    "csv: move rows 1-5 whole minutes after a grid point (MT4's hh:05 stamps) down onto the UTC grid; any other off-grid row stays an error",
};
const csvDropLast: OptionSpec = {
  flags: '--drop-last',
  description:
    "csv: always drop each file's newest bar (by default it is dropped only when it closes after the file's modification time, or its line is cut off)",
};
const reason: OptionSpec = { flags: '--reason <text>', description: 'why, recorded in the audit log' };
const opsWho: OptionSpec[] = [
  reason,
  {
    flags: '--actor <name>',
    description: 'who asks, recorded in the audit log (default: $USER; the OS user is recorded too)',
  },
];
const opsBus: OptionSpec[] = [
  {
    flags: '--bus <bus>',
    description:
      'redis (core:ops:flags at REDIS_URL) | files (flags.json in the ops folder); default: redis when REDIS_URL is set',
  },
  { flags: '--ops-dir <dir>', description: 'the ops folder of --bus files (default: signals_policy.ops_dir)' },
  { flags: '--replay', description: "--bus files on pt live --replay's ops folder (data/replay/ops)" },
];

const configFlowRepo: OptionSpec[] = [
  { flags: '--repo <dir>', description: 'the git repository whose config/ the workflow changes', defaultValue: '.' },
  { flags: '--main <branch>', description: 'the branch proposals merge into', defaultValue: 'main' },
  {
    flags: '--actor <name>',
    description: 'who acts, recorded in git and the audit log (default: $USER; the OS user is recorded too)',
  },
];
const configFlowApply: OptionSpec[] = [
  { flags: '--env <env>', description: 'dev | stg | prod, recorded in the audit entry', defaultValue: 'dev' },
  {
    flags: '--apply-dir <dir>',
    description: "the folder the applied config is written to (default: the repository's config/)",
  },
];

export const COMMANDS: CommandSpec[] = [
  {
    path: ['ingest'],
    summary: 'fetch or import bars into the canonical Parquet store (incremental from the watermark)',
    examples: [
      'pt ingest --source synthetic --symbols SYNA,SYNB --timeframe 1h --from 2022-01-01 --to 2025-01-01',
      'pt ingest --source csv --path ../shared/data/real/thesnowguru-gmt/XAUUSD_H4.csv.gz --symbols XAUUSD --timeframe 4h --tz UTC',
      'pt ingest --detect-clock --source csv --path XAUUSD_H1.csv --symbols XAUUSD --timeframe 1h',
      'pt ingest --source csv --path XAUUSD_H1.csv --symbols XAUUSD --timeframe 1h --tz NY+7',
      'pt ingest --source csv --path XAUUSD_mt5py.csv --symbols XAUUSD --timeframe 1h --tz EET --ignore-offsets',
      'pt ingest --source csv --path mt4/EURUSD60.csv --timeframe 1h --tz EET --snap',
      'pt ingest --source csv --path mt4/ --symbols EURUSD --timeframe 1h --tz EET',
      'pt ingest --source csv --path XAUUSD_H1.csv --symbols XAUUSD --timeframe 1h --tz EET --drop-last',
    ],
    options: [
      { flags: '--source <name>', description: 'twelvedata | csv | synthetic', required: true },
      symbols,
      timeframe,
      from,
      to,
      {
        flags: '--path <file|dir>',
        description:
          'csv: a file or a folder of files; symbol and timeframe come from names like XAUUSD_H1.csv, XAUUSDh1.csv or MT4 EURUSD60.csv (a name must name --timeframe)',
      },
      csvClock,
      csvIgnoreOffsets,
      csvPriceScale,
      {
        flags: '--detect-clock',
        description:
          'csv: read the file, write nothing, and propose its --tz from the FX/metals weekly open and close and the metals daily break',
      },
      csvSnap,
      csvDropLast,
      { flags: '--full', description: 'ignore the watermark and re-import the whole range' },
      {
        flags: '--force-revise',
        description:
          'accept a re-import that changes more than max_revise_share of the stored bars it overlaps (old values kept in data/audit/revised/)',
      },
      {
        flags: '--allow-price-jump',
        description:
          'accept a 5x (or larger) move between stored and new prices (refused by default: a wrong --price-scale)',
      },
      noWait,
      { flags: '--seed <n>', description: 'synthetic: random seed (default: retrain_policy.yaml seed)' },
      {
        flags: '--metrics-file <file>',
        description: 'write the Prometheus metrics of this run to a file (textfile collector)',
      },
      dataDir,
    ],
    load: async () => (await import('./commands/ingest.js')).runIngestCommand,
  },
  {
    path: ['resample'],
    summary:
      'build UTC-grid bars of a longer timeframe from stored bars of a shorter one (OHLC aggregation, quality_flag resampled)',
    examples: [
      'pt resample --source-timeframe 1h --timeframe 4h --symbols XAUUSD,XAGUSD',
      'pt resample --source-timeframe 15m --timeframe 1h --symbols EURUSD --from 2024-01-01 --to 2024-07-01',
    ],
    options: [
      { ...symbols, required: true },
      {
        flags: '--source-timeframe <tf>',
        description: 'stored timeframe to read: 15m | 1h (must divide --timeframe)',
        required: true,
      },
      { ...timeframe, description: 'timeframe to build: 1h | 4h (default: timeframe_default of pipeline_policy.yaml)' },
      { ...from, description: 'first bucket, UTC (YYYY-MM-DD or RFC 3339), inclusive (default: after the watermark)' },
      to,
      { flags: '--full', description: 'ignore the target watermark and rebuild the whole range' },
      {
        flags: '--force-revise',
        description:
          'accept replacing more than max_revise_share of the stored target bars it overlaps (old values kept in data/audit/revised/)',
      },
      noWait,
      dataDir,
    ],
    load: async () => (await import('./commands/resample.js')).runResampleCommand,
  },
  {
    path: ['dq'],
    summary: 'data-quality report per symbol and month; quarantines partitions over the thresholds',
    examples: ['pt dq --symbols XAUUSD,XAGUSD --timeframe 1h'],
    options: [
      { ...symbols, description: `${symbols.description} (default: every stored symbol)` },
      timeframe,
      from,
      to,
      dataDir,
      {
        flags: '--report <file>',
        description: 'where to write the JSON report (default: reports/dq/<timeframe>_<time>.json)',
      },
      {
        flags: '--metrics-file <file>',
        description:
          "write this run's Prometheus metrics there (node_exporter textfile collector), data_dq_pass_rate among them",
      },
      noWait,
    ],
    load: async () => (await import('./commands/dq.js')).runDqCommand,
  },
  {
    path: ['features'],
    summary: 'compute pair features (SPEC §2) into data/features (Parquet) or one CSV/Parquet file',
    examples: [
      'pt features --pair XAUUSD_XAGUSD --timeframe 1h --from 2022-01-01',
      'pt features --pair SYNA_SYNB --timeframe 1h --out f.csv',
      'pt features --all --timeframe 4h',
    ],
    options: [
      pair,
      allPairs,
      timeframe,
      from,
      to,
      {
        flags: '--out <file>',
        description: 'one file instead of data/features/: .csv (ts_utc, every feature, valid) or .parquet',
      },
      {
        flags: '--no-dq',
        description: 'use the stored bars as they are: no fills, no outlier handling, no quarantine (for comparisons)',
      },
      dataDir,
    ],
    load: async () => (await import('./commands/features.js')).runFeaturesCommand,
  },
  {
    path: ['label'],
    summary: 'build AI1 (reversion events) and AI2 (risk) labels into data/labels, or CSV/Parquet files',
    examples: [
      'pt label --pair XAUUSD_XAGUSD --timeframe 1h',
      'pt label --pair SYNA_SYNB --out-events events.csv --out-risk risk.csv',
    ],
    options: [
      pair,
      allPairs,
      timeframe,
      from,
      to,
      { flags: '--kind <kind>', description: 'ai1 | ai2 | all', defaultValue: 'all' },
      { flags: '--out-events <file>', description: 'AI1 events (ts_t0, ts_t1, direction, y): .csv or .parquet' },
      {
        flags: '--out-risk <file>',
        description: 'AI2 rows (ts_utc, c_corr, c_vol, c_speed, c_dd, risk_now, y2): .csv or .parquet',
      },
      { flags: '--no-dq', description: 'use the stored bars as they are (no DQ cleaning, no quarantine)' },
      dataDir,
    ],
    load: async () => (await import('./commands/label.js')).runLabelCommand,
  },
  {
    path: ['cv'],
    summary: 'purged K-fold validation of AI1 and AI2 over a group of pairs (per-fold table, mean ± std)',
    examples: [
      'pt cv --group metals --timeframe 1h',
      'pt cv --group synthetic --timeframe 1h --model ai1 --seed 7 --out-folds folds.csv',
    ],
    options: [
      group,
      { ...pairs, description: 'pairs instead of a group, e.g. XAUUSD_XAGUSD,AUDUSD_USDCAD' },
      timeframe,
      from,
      to,
      { flags: '--model <kind>', description: 'ai1 | ai2 | all', defaultValue: 'all' },
      seed,
      {
        flags: '--out-folds <file>',
        description:
          "every sample's role (train, valid, test, purged, embargoed, valid_purged, valid_embargoed) with t0, t1 in every fold, walk-forward step and the final fit: .csv or .parquet",
      },
      dataDir,
    ],
    load: async () => (await import('./commands/cvTrain.js')).runCvCommand,
  },
  {
    path: ['train'],
    summary: 'walk-forward OOS evaluation, CV, then the final AI1/AI2 fit: ONNX, signed version under models/',
    examples: ['pt train --group metals --timeframe 1h', 'pt train --group synthetic --timeframe 1h --seed 7'],
    options: [
      group,
      { ...pairs, description: 'pairs instead of a group, e.g. XAUUSD_XAGUSD,AUDUSD_USDCAD' },
      timeframe,
      from,
      to,
      seed,
      dataDir,
      { flags: '--out <dir>', description: 'model registry folder', defaultValue: 'models' },
      {
        flags: '--allow-degenerate',
        description:
          'write the version even when the final AI1 or AI2 learned nothing (no split, constant or < 3 calibrated scores); recorded in metrics.json, and the backtest still refuses it',
      },
    ],
    load: async () => (await import('./commands/cvTrain.js')).runTrainCommand,
  },
  {
    path: ['retrain'],
    summary:
      "the monthly retrain: ingest up to now → dq → features → labels → train → θ → backtest against the model in force on the same OOS bars; promote (CURRENT moved, audited, shards told to reload) only when SPEC §7's versus-the-previous-model checks hold",
    examples: ['pt retrain --dry-run', 'pt retrain --group metals', 'pt retrain --group custom --no-ingest'],
    options: [
      { ...group, description: 'the group to retrain (default: every group with a models/<group>/CURRENT pointer)' },
      timeframe,
      seed,
      dataDir,
      modelsDir,
      {
        flags: '--dry-run',
        description: 'run every step, print the checks and what it would decide; change nothing in models/',
      },
      {
        flags: '--source <name>',
        description: 'the provider the ingest step reads: twelvedata | synthetic',
        defaultValue: 'twelvedata',
      },
      {
        flags: '--no-ingest',
        description:
          "skip the ingest step (a store kept up to date otherwise); pt quickstart's store is never ingested into",
      },
      { flags: '--actor <name>', description: 'who the audit entries name (default: $USER)' },
    ],
    load: async () => (await import('./commands/retrain.js')).runRetrainCommand,
  },
  {
    path: ['store', 'verify'],
    summary:
      'check every partition (row checksums, symbol, timeframe grid, month), each watermark and the quarantine file; exit 1 on any problem',
    examples: [
      'pt store verify --timeframe 1h',
      'pt store verify --symbols XAUUSD,XAGUSD --timeframe 1h --data-dir /srv/pt/data',
    ],
    options: [{ ...symbols, description: `${symbols.description} (default: every stored symbol)` }, timeframe, dataDir],
    load: async () => (await import('./commands/store.js')).runStoreVerify,
  },
  {
    path: ['store', 'repair'],
    summary:
      'move bad partitions to data/quarantine/ (or re-ingest those months from a source), rebuild corrupt or missing watermarks and a corrupt quarantine file',
    examples: [
      'pt store repair --symbols XAUUSD --timeframe 1h',
      'pt store repair --symbols XAUUSD --timeframe 1h --source csv --path data/sample/XAUUSDh1.csv.gz --tz EET --price-scale 100',
    ],
    options: [
      { ...symbols, description: `${symbols.description} (default: every stored symbol)` },
      timeframe,
      {
        flags: '--source <name>',
        description:
          'quarantine (move bad months out; a plain pt ingest refills them) | csv | synthetic | twelvedata (move out, then re-ingest those months)',
        defaultValue: 'quarantine',
      },
      { flags: '--path <file|dir>', description: 'csv: a file or a folder of files' },
      csvClock,
      csvIgnoreOffsets,
      csvPriceScale,
      csvSnap,
      csvDropLast,
      { flags: '--seed <n>', description: 'synthetic: random seed (default: retrain_policy.yaml seed)' },
      noWait,
      dataDir,
    ],
    load: async () => (await import('./commands/store.js')).runStoreRepair,
  },
  {
    path: ['retention', 'apply'],
    summary:
      'enforce data_retention.yaml: move what is past its age into .trash/<batch>/ (never below what training and the feature windows need; never the model in force or its predecessor), purge trash older than delete_grace_days, record it in the audit log',
    examples: ['pt retention apply --dry-run', 'pt retention apply', 'pt retention apply --dry-run --json'],
    options: [
      { flags: '--dry-run', description: 'list what apply would move to the trash and purge, and change nothing' },
      { flags: '--json', description: 'print the lists as JSON' },
      noWait,
      dataDir,
      modelsDir,
      { flags: '--reports-dir <dir>', description: 'reports folder', defaultValue: 'reports' },
    ],
    load: async () => (await import('./commands/retention.js')).runRetentionApply,
  },
  {
    path: ['models', 'list'],
    summary: 'list the model versions under models/, newest first, each with its signature checked',
    examples: ['pt models list', 'pt models list --models-dir /srv/pt/models'],
    options: [modelsDir],
    load: async () => (await import('./commands/models.js')).runModelsList,
  },
  {
    path: ['models', 'verify'],
    summary: 'verify a model version: every file against the Ed25519-signed manifest in its SIGNATURE',
    examples: [
      'pt models verify 20260101_0300_ab12cd3',
      'pt models verify --version 20260101_0300_ab12cd3 --models-dir /srv/pt/models',
    ],
    args: ['[version]'],
    options: [
      {
        flags: '--version <v>',
        description: 'the version to verify (or give it as the argument; a folder path works too)',
      },
      modelsDir,
    ],
    load: async () => (await import('./commands/models.js')).runModelsVerify,
  },
  {
    path: ['models', 'import'],
    summary:
      'check ONNX tree models trained elsewhere against a feature schema, bind their calibration tables, and write them as a new signed version',
    examples: [
      'pt models import --ai1 ai1.onnx --ai2 ai2.onnx --schema feature_schema.json --feature-names z,delta_z,… --params params.yaml',
      'pt models import --from 20260101_0300_ab12cd3 --ai2 xgb_ai2.onnx --calibration-ai2 calibration_ai2.json',
    ],
    options: [
      { flags: '--ai1 <file>', description: 'AI1 (return) model: ONNX binary tree classifier' },
      { flags: '--ai2 <file>', description: 'AI2 (risk) model: ONNX binary tree classifier' },
      {
        flags: '--schema <file>',
        description: 'feature_schema.json: input names in order and the normalisation the models were trained on',
      },
      {
        flags: '--feature-names <list>',
        description:
          'comma-separated model input names, for graphs without pt.feature_names metadata (written into them)',
      },
      { flags: '--calibration-ai1 <file>', description: 'isotonic table for AI1 (bound to the imported ONNX)' },
      { flags: '--calibration-ai2 <file>', description: 'isotonic table for AI2 (bound to the imported ONNX)' },
      { flags: '--params <file>', description: 'params.yaml (default: --from version, else from config)' },
      { flags: '--metrics <file>', description: 'metrics.json (default: a record of the import)' },
      {
        flags: '--from <version>',
        description: 'take the files not given from this version (its calibration only for models kept)',
      },
      modelsDir,
    ],
    load: async () => (await import('./commands/models.js')).runModelsImport,
  },
  {
    path: ['optimize'],
    summary:
      'search θ1/θ2 on a model version’s walk-forward OOS predictions: seed grid + OOS-quantile grid, then TPE; held-out test, Deflated Sharpe, PBO, trials and report.html; --apply with hysteresis',
    examples: [
      'pt optimize --model-dir models/20260101_0300_ab12cd3 --group metals --timeframe 1h',
      'pt optimize --pairs XAUUSD_XAGUSD,AUDUSD_USDCAD --timeframe 1h --trials 50 --apply',
      'pt optimize --labels --pairs XAUUSD_XAGUSD --timeframe 1h --trials 20',
    ],
    options: [
      modelDir,
      group,
      { ...pairs, description: 'pairs instead of a group (the group name for the OOS predictions is then "custom")' },
      timeframe,
      { flags: '--trials <n>', description: 'TPE trials after the grids (default: core_policy tpe.max_trials)' },
      seed,
      {
        flags: '--apply',
        description: 'apply the chosen θ with the SPEC §6 hysteresis (a signed record + audit line)',
      },
      { flags: '--dry-run', description: 'say what --apply would do, change nothing (the default)' },
      {
        flags: '--labels',
        description:
          'sweep z_entry × z_exit × M (core_policy label_sweep): per point re-label, re-train AI1 walk-forward (OOS only) and re-search θ; applies nothing',
      },
      { flags: '--out <dir>', description: 'trials and report folder (default: reports/optimize/<run id>)' },
      dataDir,
    ],
    load: async () => (await import('./commands/optimize.js')).runOptimizeCommand,
  },
  {
    path: ['bt', 'run'],
    summary:
      'portfolio backtest with costs, sizing, swaps, the DD policy, stress scenarios, bootstrap CIs and report.html',
    examples: [
      'pt bt run --period 2022-01:2024-06 --timeframe 1h --model-dir models/20260101_0300_ab12cd3 --stress',
      'pt bt run --pairs XAUUSD_XAGUSD --theta1 0.65 --theta2 0.35',
      'pt bt run --pairs XAUUSD_XAGUSD --timeframe 1h --rule-only --out bt_out --csv',
      'pt bt run --out reports/bt/weekly --force --alert   # scheduled: a failed verdict pages (BT_ACCEPT_FAIL)',
    ],
    options: [
      pairs,
      timeframe,
      modelDir,
      { flags: '--period <from:to>', description: 'months, e.g. 2022-01:2024-06 (default: all data)' },
      {
        flags: '--out <dir>',
        description: "the run's own output folder (refused when not empty, unless --force)",
        defaultValue: 'reports/bt',
      },
      {
        flags: '--force',
        description: 'replace an earlier run in --out: removes the files pt bt run writes there, nothing else',
      },
      { flags: '--stress', description: 'also run the stress scenarios of backtest_policy.yaml' },
      { flags: '--rule-only', description: 'z-score rules without a model (the baseline)' },
      { flags: '--theta1 <p>', description: "θ1 (AI1 entry threshold) instead of the model version's params.yaml" },
      { flags: '--theta2 <p>', description: "θ2 (AI2 entry threshold) instead of the model version's params.yaml" },
      {
        flags: '--baseline-run <dir>',
        description: 'the --out folder of an earlier run: verdicts against it and Diebold–Mariano on weekly returns',
      },
      { flags: '--universe <file>', description: 'a universe.yaml to use instead of config/universe.yaml' },
      {
        flags: '--cost <profile|file>',
        description:
          'a cost profile of config/cost_profiles (seed, ecn) or a cost_table.yaml file, instead of config/cost_table.yaml',
      },
      { flags: '--csv', description: 'also write CSV next to the Parquet outputs' },
      {
        flags: '--alert',
        description:
          'raise BT_ACCEPT_FAIL (CRITICAL: Slack and PagerDuty, docs/alerts.md) when the acceptance verdict fails — for scheduled runs',
      },
      {
        flags: '--no-dq',
        description: 'use the stored bars as they are: no fills, no outlier handling, no quarantine (for comparisons)',
      },
      seed,
      dataDir,
    ],
    load: async () => (await import('./commands/btRun.js')).runBtRunCommand,
  },
  {
    path: ['live'],
    summary:
      'run one shard: closed bars → features → ONNX → the shared kernel → signal.json (+ Redis or data/ops, history, local cache); bars from TwelveData, a watched folder (--watch) or the store (--replay)',
    examples: [
      'pt live --shard 0 --replay --from 2022-01-01 --speed max --signal-dir /tmp/signals',
      'pt live --shard 0 --replay --model-dir models/20260101_0300_ab12cd3 --from 2024-01-01 --to 2024-02-01',
      'pt live --shard 0 --watch /srv/mt5/bars --tz EET',
      'TWELVEDATA_API_KEY=… REDIS_URL=redis://127.0.0.1:6379 pt live --shard 0',
    ],
    options: [
      { flags: '--shard <n>', description: 'shard number from universe.yaml', required: true },
      { ...modelDir, description: 'model version folder (default: models/<group>/CURRENT)' },
      {
        flags: '--group <name>',
        description:
          "the group whose CURRENT pointer names the model (default: the shard pairs' group, or custom when they span several)",
      },
      {
        flags: '--replay',
        description: 'replay bars from the store (warming up on the history before --from), then exit 0',
      },
      { ...from, description: 'replay: first bar emitted, UTC (earlier bars only warm the state)' },
      { ...to, description: 'replay: end, UTC, exclusive (default: after the last stored bar)' },
      { flags: '--speed <s>', description: 'replay speed: max, realtime or a factor such as 60x (default: max)' },
      { flags: '--theta1 <p>', description: 'replay only: θ1 over the applied record / params.yaml (a what-if)' },
      { flags: '--theta2 <p>', description: 'replay only: θ2 over the applied record / params.yaml (a what-if)' },
      {
        flags: '--watch <dir>',
        description: 'take closed bars from bar files (CSV, as pt ingest reads them) dropped in this folder',
      },
      {
        flags: '--tz <zone>',
        description: "--watch: the files' clock, as for pt ingest (UTC, EET, NY+7, EET@-1 or file)",
      },
      timeframe,
      {
        flags: '--signal-dir <dir>',
        description:
          'where shard_<N>/signal.json and history/ go (default: signals_policy.signal_dir; data/replay/signals for --replay)',
      },
      {
        flags: '--metrics-port <p>',
        description:
          'Prometheus /metrics on 127.0.0.1 (default: signals_policy.metrics_port + N live, none for --replay)',
      },
      dataDir,
    ],
    load: async () => (await import('./commands/live.js')).runLiveCommand,
  },
  {
    path: ['paper'],
    summary:
      "the EA's contract in TypeScript: read a shard's signal.json (or its history), act on it by the EA's rules, fill at the bar's close with the backtest's costs, write account.json and fills.csv",
    examples: [
      'pt paper --shard 0 --signal-dir /tmp/signals --from 2024-01-01 --to 2025-01-01',
      'pt paper --shard 0 --signal-dir /tmp/signals --clock bar',
    ],
    options: [
      { flags: '--shard <n>', description: 'shard number from universe.yaml', defaultValue: '0' },
      {
        flags: '--signal-dir <dir>',
        description: "pt live's --signal-dir: shard_<N>/signal.json and history/ (default: data/replay/signals)",
      },
      {
        flags: '--history',
        description:
          'play <signal-dir>/history once in seq order, then exit (implied by --from/--to); default: follow signal.json until stopped',
      },
      { ...from, description: 'history: first signal bar, UTC' },
      { ...to, description: 'history: end, UTC, exclusive' },
      {
        flags: '--clock <c>',
        description:
          "the instant a file is read at, for expiry: bar (its newest bar's close: a replay) or wall (default for follow; history: bar)",
      },
      {
        flags: '--close-at-end',
        description: "history: close what is open at each pair's last bar ('end_of_data'), as a backtest does",
      },
      {
        flags: '--account <path>',
        description: 'where account.json goes (default: data/replay/account.json, where pt live --replay reads it)',
      },
      { flags: '--poll-ms <ms>', description: 'follow: how often signal.json is looked at', defaultValue: '1000' },
      timeframe,
      dataDir,
    ],
    load: async () => (await import('./commands/paper.js')).runPaperCommand,
  },
  {
    path: ['parity'],
    summary:
      'prove live = backtest: pt live --replay + pt paper against pt bt run over the same bars, model and θ; identical trades (pair, side, entry and exit fill, lots per leg) and net P&L within 0.01 USD per trade, else exit 1; no trade to compare is exit 1 too',
    examples: [
      'pt parity',
      'pt parity --shard 0 --from 2024-01-01 --to 2025-01-01 --theta1 0.07 --theta2 0.9',
      'pt parity --shard 0 --no-live --signal-dir /tmp/signals --from 2024-01-01 --to 2025-01-01',
    ],
    options: [
      { flags: '--shard <n>', description: 'shard number from universe.yaml', defaultValue: '0' },
      { ...from, description: 'first signal bar, UTC (default: 12 months before --to)' },
      { ...to, description: "end, UTC, exclusive (default: after the shard's last stored bar)" },
      { ...modelDir, description: 'model version folder (default: models/<group>/CURRENT, as pt live)' },
      { flags: '--theta1 <p>', description: 'θ1 for both sides over the applied record / params.yaml (a what-if)' },
      { flags: '--theta2 <p>', description: 'θ2 for both sides over the applied record / params.yaml (a what-if)' },
      {
        flags: '--out <dir>',
        description: "the run's folder: signals/, paper/, account.json, bt/ (default: data/replay/parity/shard_<N>)",
      },
      {
        flags: '--signal-dir <dir>',
        description:
          "with --no-live: the replay to compare (pt parity's own replay goes to <out>/signals, emptied first)",
      },
      { flags: '--no-live', description: 'do not run pt live: compare the replay already in --signal-dir' },
      timeframe,
      dataDir,
    ],
    load: async () => (await import('./commands/parity.js')).runParityCommand,
  },
  {
    path: ['ops', 'halt'],
    summary:
      'halt new entries (soft; exits go on) or every signal change (hard; positions held, only a flatten closes) for the portfolio or one pair; running shards obey at their next bar',
    examples: [
      'pt ops halt --scope portfolio --level soft --reason "CPI release"',
      'pt ops halt --scope pair --pair XAUUSD_XAGUSD --level hard --reason "broker outage" --actor alice',
    ],
    options: [
      scope,
      pair,
      { flags: '--level <level>', description: 'soft | hard', defaultValue: 'soft' },
      ...opsWho,
      ...opsBus,
    ],
    load: async () => (await import('./commands/ops.js')).runOpsHalt,
  },
  {
    path: ['ops', 'flatten'],
    summary:
      'close the positions of the portfolio or one pair and keep them flat until pt ops resume (graceful: one pair per bar; immediate: all at once)',
    examples: [
      'pt ops flatten --scope pair --pair XAUUSD_XAGUSD --mode graceful',
      'pt ops flatten --mode immediate --reason "DD"',
    ],
    options: [
      scope,
      pair,
      { flags: '--mode <mode>', description: 'immediate | graceful', defaultValue: 'graceful' },
      ...opsWho,
      ...opsBus,
    ],
    load: async () => (await import('./commands/ops.js')).runOpsFlatten,
  },
  {
    path: ['ops', 'resume'],
    summary:
      'lift manual halts and flattens when the resume guard holds (drawdown below warn for stability_days, |ρ| ≥ corr_threshold), then trade at canary_ratio of the size for stability_days',
    examples: ['pt ops resume --scope portfolio', 'pt ops resume --force --reason "manual review done"'],
    options: [
      scope,
      pair,
      { flags: '--force', description: 'resume although the guard fails (needs --reason; audited)' },
      ...opsWho,
      ...opsBus,
    ],
    load: async () => (await import('./commands/ops.js')).runOpsResume,
  },
  {
    path: ['ops', 'rollback'],
    summary:
      "roll a group's model (its CURRENT pointer) or the θ in force back to a version, audited; running shards are asked to reload",
    examples: [
      'pt ops rollback --target model --group metals --version 20260101_0300_ab12cd3 --reason "Sharpe -25%"',
      'pt ops rollback --target theta --group custom --version 20261101T030000Z',
      'pt ops rollback --target theta --group custom --version params',
    ],
    options: [
      {
        flags: '--target <target>',
        description: 'theta | model (config: pt config rollback)',
        required: true,
      },
      {
        flags: '--version <v>',
        description:
          'model: a version folder name; theta: an applied record stamp or file in the version in force, or params',
        required: true,
      },
      { flags: '--group <name>', description: 'the model group (models/<group>/CURRENT)', required: true },
      modelsDir,
      ...opsWho,
      ...opsBus,
    ],
    load: async () => (await import('./commands/ops.js')).runOpsRollback,
  },
  {
    path: ['ops', 'status'],
    summary: "show the ops flags, each shard's heartbeat age and drawdown level, and the model and θ in force",
    examples: [
      'pt ops status',
      'pt ops status --json',
      'pt ops status --replay',
      'pt ops status --alert   # cron, every minute',
    ],
    options: [
      modelsDir,
      { flags: '--json', description: 'print one JSON object' },
      {
        flags: '--alert',
        description:
          'raise OPS_HEARTBEAT_LOST for each shard whose heartbeat expired (and OPS_LATENCY_REDIS for a slow Redis); repeats within slack_policy suppression_minutes are not sent again',
      },
      ...opsBus,
    ],
    load: async () => (await import('./commands/ops.js')).runOpsStatus,
  },
  {
    path: ['ops', 'slo'],
    summary:
      "measure the seed's SLOs over a window: signal availability and freshness (signals history), daily ingest success (the ingest run log) and DQ pass rate (pt dq's reports), against pipeline_policy.yaml slo_targets",
    examples: [
      'pt ops slo',
      'pt ops slo --shard 0 --from 2026-11-01 --to 2026-12-01',
      'pt ops slo --replay --from 2024-01-01 --to 2024-02-01 --json',
    ],
    options: [
      {
        ...from,
        description:
          "window start, UTC (default: slo_targets.window_days before --to; --replay: its history's first day)",
      },
      {
        ...to,
        description: "window end, UTC, exclusive (default: now; --replay: the end of its history's last day)",
      },
      { flags: '--shard <n>', description: 'one shard (default: every shard of universe.yaml)' },
      timeframe,
      {
        flags: '--replay',
        description:
          "a history of pt live --replay (<data>/replay/signals, or --signal-dir's): only the replayed bars of the shards it ran are owed, served at any time; freshness is n/a",
      },
      {
        flags: '--signal-dir <dir>',
        description: 'the signal folder whose history/ to read (as pt live --signal-dir)',
      },
      dataDir,
      { flags: '--dq-reports <dir>', description: "pt dq's reports folder", defaultValue: 'reports/dq' },
      { flags: '--json', description: 'print one JSON object (every missed bar and day)' },
    ],
    load: async () => (await import('./commands/opsSlo.js')).runOpsSlo,
  },
  {
    path: ['ops', 'audit', 'verify'],
    summary:
      'verify the hash chain of the audit log (runbook_policy.yaml audit_log_path): prints its head hash, or fails naming the first broken line',
    examples: ['pt ops audit verify', 'pt ops audit verify --anchor', 'pt ops audit verify --path /backup/audit.jsonl'],
    options: [
      {
        flags: '--path <file>',
        description: 'the audit log to check (default: runbook_policy.yaml audit_log_path, from the working folder)',
      },
      {
        flags: '--anchor',
        description: 'print only the head hash (SHA-256 of the last line), for copying somewhere write-once',
      },
    ],
    load: async () => (await import('./commands/opsAudit.js')).runOpsAuditVerify,
  },
  {
    path: ['db', 'migrate'],
    summary:
      "bring the PostgreSQL history (PG_URL) up to date: the repository's numbered migrations not applied yet, each in one transaction, under an advisory lock (a second or concurrent run applies nothing)",
    examples: ['PG_URL=postgres://pt@127.0.0.1:5432/pt pt db migrate'],
    options: [
      {
        flags: '--lock-timeout <seconds>',
        description: 'how long to wait for another pt db migrate of the same schema',
        defaultValue: '60',
      },
    ],
    load: async () => (await import('./commands/db.js')).runDbMigrate,
  },
  {
    path: ['sync'],
    summary:
      "ship the local history into PostgreSQL (PG_URL): signals (pt live's history), fills (fills.csv), account snapshots (account.json), DD level changes (the audit log) and alerts (alerts.jsonl), in batches keyed so that a re-run or a killed run adds nothing twice",
    examples: [
      'PG_URL=postgres://pt@127.0.0.1:5432/pt pt sync --shard 0 --once',
      'pt sync --replay --once',
      'pt sync --shard 1 --interval 30 --fills-dir "/srv/mt5/Common/Files/pt"',
    ],
    options: [
      { flags: '--shard <n>', description: 'one shard (default: every shard of universe.yaml)' },
      {
        flags: '--once',
        description: 'one pass, then exit (default: a pass every --interval until SIGTERM or Ctrl-C)',
      },
      { flags: '--interval <seconds>', description: 'time between passes', defaultValue: '60' },
      { flags: '--batch <rows>', description: 'rows (lines of a line file) per transaction', defaultValue: '500' },
      {
        flags: '--replay',
        description:
          "pt live --replay's and pt paper's files under <data-dir>/replay (signals/, ops/, account.json) instead of production's",
      },
      {
        flags: '--signal-dir <dir>',
        description: "pt live's --signal-dir: history/ and paper/ (default: signals_policy.signal_dir)",
      },
      {
        flags: '--fills-dir <dir>',
        description:
          "the folder of shard_<N>/fills.csv: pt paper's <signal-dir>/paper (default) or the EA's pt folder in MT5's Common Files",
      },
      {
        flags: '--account <file>',
        description:
          "account.json, with --shard (it is one shard's account; default: signals_policy.account_json_path)",
      },
      { flags: '--ops-dir <dir>', description: 'the folder of alerts.jsonl (default: signals_policy.ops_dir)' },
      {
        flags: '--audit <file>',
        description: "the audit log of pt live's DD level changes (default: runbook_policy.yaml audit_log_path)",
      },
      dataDir,
    ],
    load: async () => (await import('./commands/db.js')).runSync,
  },
  {
    path: ['monitor'],
    summary:
      'terminal dashboard: shards (heartbeat, drawdown level, equity), pairs (z, return_prob, risk_score, position, last signal, stale, reconcile), ops flags and recent alerts; keys 1/2/3 or tab views, s sort, / filter, h halt, r resume (type HALT / RESUME to confirm), q quits',
    examples: [
      'pt monitor',
      'pt monitor --replay --refresh 1',
      'pt monitor --redis redis://127.0.0.1:6379/0 --shard 0',
    ],
    options: [
      {
        flags: '--refresh <seconds>',
        description:
          'refresh period of every view, 0.5 to 3600 seconds (default: analytics_policy refresh_intervals_seconds: risk_page for portfolio and alerts, trading_page for pairs)',
      },
      { flags: '--shard <n>', description: 'only this shard and its pairs' },
      {
        flags: '--redis <url>',
        description: 'read this Redis (no password in it: put such a URL in REDIS_URL instead)',
      },
      ...opsBus,
    ],
    load: async () => (await import('./commands/monitor.js')).runMonitor,
  },
  {
    path: ['serve'],
    summary:
      'the HTTP API (docs/api.md, openapi.yaml): analytics, ops actions and backtests under /api/v1, Prometheus /metrics, /healthz; Bearer JWTs (PT_JWT_SECRET) with roles',
    examples: [
      'PT_JWT_SECRET=… pt serve',
      'PT_JWT_SECRET=… pt serve --host 0.0.0.0 --port 8443   # PT_TLS_CERT_FILE and PT_TLS_KEY_FILE set: HTTPS',
      'SERVICE_ENV=prod PT_JWT_SECRET=… pt serve --behind-proxy',
    ],
    options: [
      { flags: '--port <n>', description: 'TCP port (0: any free port, printed)', defaultValue: '8080' },
      { flags: '--host <address>', description: 'address to listen on', defaultValue: '127.0.0.1' },
      {
        flags: '--behind-proxy',
        description:
          'a TLS proxy fronts the server: plain HTTP is allowed with SERVICE_ENV=prod and client addresses come from X-Forwarded-For',
      },
      {
        flags: '--bt-dir <dir>',
        description:
          "the backtest outputs read without run_id (default: reports/bt, else the newest finished run under reports/, e.g. pt quickstart's)",
      },
      opsBus[0]!,
      opsBus[1]!,
      modelsDir,
      dataDir,
    ],
    load: async () => (await import('./commands/serve.js')).runServe,
  },
  {
    path: ['token', 'issue'],
    summary:
      'print a Bearer token for pt serve: an HS256 JWT signed with PT_JWT_SECRET (claims sub, role, iat, exp, iss pt)',
    examples: ['pt token issue --role viewer --sub grafana --ttl 7d', 'pt token issue --role approver --sub alice'],
    options: [
      { flags: '--role <role>', description: 'viewer | editor | approver | admin', required: true },
      { flags: '--sub <name>', description: 'who the token is for: the actor of what it does', required: true },
      { flags: '--ttl <lifetime>', description: 'lifetime: 90s, 15m, 1h, 7d (at most 90d)', defaultValue: '1h' },
    ],
    load: async () => (await import('./commands/serve.js')).runTokenIssue,
  },
  {
    path: ['config', 'validate'],
    summary: 'validate every config YAML against its schema and the cross-file rules',
    examples: ['pt config validate', 'pt config validate --dir test/fixtures/config/valid'],
    options: [{ flags: '--dir <dir>', description: 'config folder (default: PT_CONFIG_DIR or ./config)' }],
    load: async () => (await import('./commands/configValidate.js')).runConfigValidate,
  },
  {
    path: ['config', 'propose'],
    summary:
      "open a config change proposal: a branch config/<id> off main with the folder's changed files committed, a change summary, its risk (2 approvers for leverage, θ or cost changes, else 1) and pt config validate's verdict; audited",
    examples: ['pt config propose --from /tmp/config-edit --title "tighter DD warn" --actor alice'],
    options: [
      {
        flags: '--from <dir>',
        description: "the proposed config folder (an edited copy of config/): its files replace main's config/",
      },
      { flags: '--title <text>', description: 'what the change is for' },
      ...configFlowRepo,
    ],
    load: async () => (await import('./commands/configFlow.js')).runConfigPropose,
  },
  {
    path: ['config', 'approve'],
    summary:
      'approve a config proposal (not its author; a second approval by the same person does not count); enough approvals make it approved; audited',
    examples: ['pt config approve cfg-3 --actor bob --checklist-url https://wiki/checklists/cfg-3'],
    args: ['[id]'],
    options: [
      { flags: '--checklist-url <url>', description: 'the review checklist, recorded with the approval' },
      { flags: '--risk-note <text>', description: "the approver's note on the risk, recorded with the approval" },
      ...configFlowRepo,
    ],
    load: async () => (await import('./commands/configFlow.js')).runConfigApprove,
  },
  {
    path: ['config', 'merge'],
    summary:
      'merge an approved config proposal into main (a merge commit) when it has enough approvals and the merged config validates; audited',
    examples: ['pt config merge cfg-3'],
    args: ['[id]'],
    options: [...configFlowRepo],
    load: async () => (await import('./commands/configFlow.js')).runConfigMerge,
  },
  {
    path: ['config', 'apply'],
    summary:
      'apply a merged config proposal: tag it config-v<N>, write its config folder, record version, checksum, merge sha, who, when and env in the audit log, ask running shards to reload',
    examples: ['pt config apply cfg-3 --env prod'],
    args: ['[id]'],
    options: [...configFlowApply, ...configFlowRepo],
    load: async () => (await import('./commands/configFlow.js')).runConfigApply,
  },
  {
    path: ['config', 'rollback'],
    summary:
      'return config/ to the applied version before the one in force (byte for byte, a commit on main), audited; running shards are asked to reload',
    examples: ['pt config rollback --reason "Sharpe -25% since config-v4" --env prod'],
    options: [
      { flags: '--reason <text>', description: 'why, recorded in the audit log' },
      ...configFlowApply,
      ...configFlowRepo,
    ],
    load: async () => (await import('./commands/configFlow.js')).runConfigRollback,
  },
  {
    path: ['config', 'audit'],
    summary:
      "list the config workflow's audit entries (propose, approve, merge, apply, rollback) and check the audit log's chain; --proposals lists the proposals and applied versions",
    examples: [
      'pt config audit',
      'pt config audit --id cfg-3',
      'pt config audit --config dd_policy --from 2026-01-01',
      'pt config audit --proposals',
    ],
    options: [
      { flags: '--id <id>', description: 'entries of one proposal' },
      { flags: '--config <name>', description: 'entries touching one config file (dd_policy or dd_policy.yaml)' },
      { flags: '--step <step>', description: 'propose | approve | merge | apply | rollback' },
      { flags: '--from <date>', description: 'entries at or after, UTC' },
      { flags: '--to <date>', description: 'entries before, UTC' },
      {
        flags: '--proposals',
        description: 'list the proposals (state, approvals, risk) and the applied versions instead',
      },
      { flags: '--json', description: 'print one JSON object' },
      ...configFlowRepo,
    ],
    load: async () => (await import('./commands/configFlow.js')).runConfigAudit,
  },
  {
    path: ['quickstart'],
    summary:
      'the whole pipeline on the bundled real sample (six pairs, 1h): ingest → dq → features → labels → train → optimize θ and apply → backtest with stress → rule-only baseline',
    examples: ['pt quickstart'],
    options: [
      {
        flags: '--data-dir <dir>',
        description:
          "where the quickstart keeps its bars (the models go to models/): the project's data/ by default, so pt bt run, pt optimize and pt live find them; refused when that folder holds a store quickstart did not make",
        defaultValue: 'data',
      },
    ],
    load: async () => (await import('./commands/quickstart.js')).runQuickstartCommand,
  },
];
