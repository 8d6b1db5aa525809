// The one list of pt error ids ({DOMAIN}_{CATEGORY}_{CODE}) with their severity (SPEC §11).
// CODE is 3-9 letters: the seed's own examples (THRESHOLD, REJECTED) are longer than its 3-6 rule.
// docs/errors.md is generated from this list (`npm run docs:errors`); a test keeps the two equal.

export type Severity = 'CRITICAL' | 'WARNING' | 'INFO';

export interface CatalogEntry {
  severity: Severity;
  /** What happened, in one line. */
  summary: string;
  /** What the user does about it, in one or two sentences. */
  fix: string;
}

/** Every error id pt raises, with its severity, meaning and fix (docs, logs and alerts). */
export const ERROR_CATALOG = {
  CORE_CLI_NOTIMPL: {
    severity: 'INFO',
    summary: 'the subcommand is not implemented yet',
    fix: 'Use another command; `pt --help` lists what each one does.',
  },
  CORE_CLI_SIGNAL: {
    severity: 'WARNING',
    summary: 'the command was interrupted (SIGINT, Ctrl-C, or SIGTERM) and exited 130 or 143',
    fix: 'Run it again: unfinished outputs were removed, finished ones (whole files, committed months) are kept.',
  },
  CORE_CLI_USAGE: {
    severity: 'WARNING',
    summary: 'bad command-line arguments: an unknown option, a malformed value, an impossible date or period',
    fix: 'Correct the argument the message names; `pt <command> --help` shows the forms and an example.',
  },
  CORE_CONFIG_INVALID: {
    severity: 'CRITICAL',
    summary: 'config/ failed schema or cross-file validation',
    fix: 'Run `pt config validate`: it names each file, key path and rule; correct them.',
  },
  CORE_CONFIG_MISSING: {
    severity: 'CRITICAL',
    summary: 'a config file or directory is missing',
    fix: 'Point `-c`/`PT_CONFIG_DIR` at the config folder, or copy the missing file from the project\u2019s `config/`.',
  },
  CORE_CONFIG_YAML: {
    severity: 'CRITICAL',
    summary: 'a config file is not valid YAML (syntax, duplicate key, alias limit)',
    fix: 'Fix the file at the line and column given; `pt config validate` lists every such file.',
  },
  CORE_ENV_MISSING: {
    severity: 'CRITICAL',
    summary: 'a required environment variable is not set',
    fix: 'Export the variable the message names (secrets come only from the environment), then run again.',
  },
  CORE_ENV_INVALID: {
    severity: 'CRITICAL',
    summary:
      'an environment variable is set but not in the form pt needs (its value is never printed: it may hold a secret)',
    fix: 'Set the variable the message names in the form it gives (e.g. PG_URL=postgres://user:password@host:5432/db, with # / @ in the password percent-encoded), then run again.',
  },
  CORE_FEATURES_WARMUP: {
    severity: 'WARNING',
    summary: 'too few aligned bars for the feature windows',
    fix: 'Ingest more history for both legs (`pt ingest --from …`), or choose a longer period.',
  },
  CORE_FS_MISSING: {
    severity: 'WARNING',
    summary: 'a file or folder pt must read does not exist',
    fix: 'Check the path in the message (a typo in `--data-dir` or `--out`?); pt never creates a folder it only reads.',
  },
  CORE_FS_NOSPACE: {
    severity: 'CRITICAL',
    summary: 'the disk or quota is full; the write was abandoned and its temp file removed',
    fix: 'Free space on the file system holding the path, then run the same command again: nothing half-written was kept.',
  },
  CORE_FS_PERM: {
    severity: 'CRITICAL',
    summary: 'permission denied or read-only file system at the path given',
    fix: 'Run as a user who may write there, make the folder writable, or choose another `--out`/`--data-dir`.',
  },
  CORE_FS_IOFAIL: {
    severity: 'CRITICAL',
    summary:
      'the operating system refused a file operation for another reason (I/O error, name too long, too many open files)',
    fix: 'Read the system error in the message; check the disk and the path, then run again.',
  },
  CORE_INTERNAL_BUG: {
    severity: 'CRITICAL',
    summary: 'an unexpected internal error: a bug in pt',
    fix: 'Run again with `LOG_LEVEL=DEBUG` for the stack trace and report it with the command line.',
  },
  CORE_MODEL_ARTEFACT: {
    severity: 'WARNING',
    summary: 'a model version artefact is missing, misnamed or malformed',
    fix: 'Retrain with `pt train`, or restore the version folder from its backup; `pt models verify` lists the problems.',
  },
  CORE_MODEL_CALIB: {
    severity: 'CRITICAL',
    summary: 'a calibration table is not bound to the ONNX model next to it (no or another onnx_sha256)',
    fix: 'Retrain with `pt train`, or fit a table on this model\u2019s scores and bind it with `pt models import --calibration-aiX` (docs/models.md).',
  },
  CORE_MODEL_TIMEFRAME: {
    severity: 'CRITICAL',
    summary: 'the model version was trained on another timeframe than the bars it would score',
    fix: 'Pass `--timeframe` equal to the model\u2019s, or use a model trained on this timeframe.',
  },
  CORE_TRAIN_HISTORY: {
    severity: 'WARNING',
    summary: 'less history than min_training_months for cv or train',
    fix: 'Ingest more history, or lower `min_training_months` in config if you accept a thinner validation.',
  },
  CORE_MODEL_DEGEN: {
    severity: 'WARNING',
    summary:
      'a model learned nothing (no split, constant probabilities, or fewer than 3 calibrated scores): pt train does not write it, and the backtest and live do not filter trades with it',
    fix: 'Train on more history or more pairs (AI1 learns from events); `pt train --allow-degenerate` writes the version anyway for inspection, and `pt bt run --rule-only` backtests without a model.',
  },
  CORE_MODEL_EXISTS: {
    severity: 'WARNING',
    summary: 'the model version folder already exists',
    fix: 'Choose another `--out`, or remove the old version if it is not deployed.',
  },
  CORE_MODEL_KEY: {
    severity: 'CRITICAL',
    summary: 'no usable model signing or verify key',
    fix: 'Set `PT_MODEL_VERIFY_KEY` (Ed25519 SPKI public key, PEM) or `PT_MODEL_SIGNING_KEY` as docs/models.md describes.',
  },
  CORE_MODEL_NOTFOUND: {
    severity: 'WARNING',
    summary: 'the model version folder does not exist',
    fix: 'Check the version with `pt models list`, or run `pt train`.',
  },
  CORE_MODEL_NOCURRENT: {
    severity: 'CRITICAL',
    summary:
      'a model group has no usable CURRENT pointer (`models/<group>/CURRENT` is missing, empty or names no model version)',
    fix: 'Pass `--model-dir models/<version>`, or promote a verified version by writing its name (`pt models list`) into `models/<group>/CURRENT`; `pt quickstart` writes its own.',
  },
  CORE_MODEL_DANGLING: {
    severity: 'CRITICAL',
    summary: 'the CURRENT pointer of a model group names a version folder that does not exist',
    fix: 'Restore the version folder from a trusted copy, or point CURRENT at a version `pt models list` shows as verified.',
  },
  CORE_MODEL_ONNX: {
    severity: 'CRITICAL',
    summary: 'an ONNX model could not be exported or loaded, or does not match the features',
    fix: 'Retrain the version, or export the ONNX model with the feature order in docs/models.md.',
  },
  CORE_MODEL_SIGNATURE: {
    severity: 'CRITICAL',
    summary: 'a model version failed signature verification',
    fix: 'Do not deploy it: restore the version from a trusted copy, or retrain and sign it again.',
  },
  CORE_THETA_SIGNATURE: {
    severity: 'CRITICAL',
    summary:
      'an applied-θ record of a model version failed its signature check (tampered, unsigned, another key or another version)',
    fix: 'Do not use it: remove the bad record from `models/<version>/applied/` (the audit log keeps the decision) and apply θ again with `pt optimize --apply`, or pass `--theta1/--theta2`.',
  },
  CORE_THETA_CHANGED: {
    severity: 'WARNING',
    summary: 'the applied θ of the model version changed while this optimise run worked (another --apply won)',
    fix: 'Run `pt optimize` again: it starts from the θ now in force. The audit log has both decisions.',
  },
  CORE_SIGNAL_SCHEMA: {
    severity: 'CRITICAL',
    summary:
      'a signal.json about to be written breaks its JSON Schema (mt5/schemas/signal.schema.json); nothing was written',
    fix: 'A bug in what built the file: the message names the first violation. The previous signal.json stays in place; report it with the log line.',
  },
  DATA_API_TIMEOUT: {
    severity: 'WARNING',
    summary: 'a provider request timed out',
    fix: 'Check the network; pt retries with backoff up to `retry_max` times before it gives up.',
  },
  DATA_API_HTTP: {
    severity: 'WARNING',
    summary: 'a provider answered with an HTTP error',
    fix: 'Check the status in the message: 401/403 is the key, 429 the plan\u2019s rate limit, 5xx the provider.',
  },
  DATA_API_PROVIDER: {
    severity: 'WARNING',
    summary: 'a provider answered with an error body',
    fix: 'Read the provider\u2019s message; usually an unknown symbol, interval or an exhausted plan.',
  },
  DATA_API_QUOTA: {
    severity: 'WARNING',
    summary: 'the provider\u2019s daily API credits are spent',
    fix: 'Wait for the daily reset named in the message (or use a plan with more credits), then run the same command again.',
  },
  DATA_API_MALFORMED: {
    severity: 'WARNING',
    summary: 'a provider answered with an unreadable payload',
    fix: 'Retry later; if it persists, the provider changed its format: report it.',
  },
  DATA_API_CIRCUIT: {
    severity: 'WARNING',
    summary: 'the circuit breaker is open for this source and timeframe',
    fix: 'Wait `half_open_after_seconds`; the breaker opened after repeated failures of that source.',
  },
  DATA_API_EXHAUSTED: {
    severity: 'CRITICAL',
    summary: 'every provider failed',
    fix: 'Read the per-source reasons in the message; fix the first one (network, key, symbol).',
  },
  DATA_INPUT_PARSE: {
    severity: 'WARNING',
    summary: 'an input file could not be parsed',
    fix: 'Correct the file at the line named, or convert it to the plain `ts,open,high,low,close[,volume]` form.',
  },
  DATA_INPUT_INVALID: {
    severity: 'WARNING',
    summary: 'an input file parsed, but none of its rows is a valid bar',
    fix: 'Read the first reasons in the message (negative prices, high < low …); the file is probably not what you meant.',
  },
  DATA_INPUT_MISSING: {
    severity: 'WARNING',
    summary: 'an input file or folder does not exist',
    fix: 'Check the path, or run the step that makes it first (`pt ingest`, `pt features`, `pt label`).',
  },
  DATA_PAIR_NOALIGN: {
    severity: 'WARNING',
    summary:
      'both legs of a pair have bars, but not one at the same time: they sit on different grids, or their ranges do not overlap',
    fix: 'Read each leg\u2019s grid in the message; rebuild the off-grid leg on the UTC grid with `pt resample` from a shorter stored timeframe (or re-ingest it with the right `--tz`), or ingest the missing range.',
  },
  DATA_PRICE_SCALE: {
    severity: 'CRITICAL',
    summary: 'new prices differ from the stored ones by a factor near a power of ten: a wrong `--price-scale`',
    fix: 'Run the ingest again with the right `--price-scale` (MT5 integer-point exports need 10^digits); nothing was stored.',
  },
  DATA_PRICE_RANGE: {
    severity: 'CRITICAL',
    summary: 'new prices fall outside the symbol\u2019s plausible range in universe.yaml',
    fix: 'Check `--price-scale` and the symbol; if the market really moved there, widen `price_range` in universe.yaml.',
  },
  DATA_REVISE_LIMIT: {
    severity: 'CRITICAL',
    summary: 'a re-import would overwrite more stored bars than `max_revise_share` allows',
    fix: 'Check the source and `--price-scale`; if the provider really revised its history, add `--force-revise` (old values go to the audit file).',
  },
  DATA_SCHEMA_BAR: {
    severity: 'CRITICAL',
    summary: 'a bar does not satisfy the canonical bar schema',
    fix: 'The adapter returned a malformed bar: report it with the source and symbol.',
  },
  DATA_STORAGE_IOFAIL: {
    severity: 'CRITICAL',
    summary: 'the bar store could not read or write',
    fix: 'Read the cause in the message; `pt store verify` checks every partition.',
  },
  DATA_STORAGE_CORRUPT: {
    severity: 'CRITICAL',
    summary: 'a store file failed verification (checksum, symbol, timeframe grid, month bounds, or unreadable)',
    fix: 'Run `pt store repair` with the symbol named: it re-ingests the month from a source or moves it to quarantine.',
  },
  DATA_STORAGE_LOCKED: {
    severity: 'WARNING',
    summary: 'another process is writing the same symbol and timeframe',
    fix: 'Wait for it (leave out `--no-wait` and pt waits), or find the other writer named in the message.',
  },
  DATA_DQ_THRESHOLD: {
    severity: 'WARNING',
    summary: 'a partition is over the DQ thresholds and was quarantined',
    fix: 'Inspect the month in the DQ report; re-ingest from a better source, then run `pt dq` again to clear it.',
  },
  DATA_WS_CONNFAIL: {
    severity: 'WARNING',
    summary: 'the price stream connection failed',
    fix: 'Check the network and key; pt reconnects with backoff.',
  },
  BT_DATA_EMPTY: {
    severity: 'WARNING',
    summary: 'the backtest period holds no aligned bars for a pair',
    fix: 'Choose a `--period` inside the stored history (`pt dq` shows it), or ingest the missing months.',
  },
  BT_OUT_EXISTS: {
    severity: 'WARNING',
    summary: 'the `--out` folder of a backtest is not empty',
    fix: 'Give a new folder, or add `--force` to replace the outputs pt writes there.',
  },
  BT_RUN_MISSING: {
    severity: 'WARNING',
    summary: 'a baseline or earlier backtest run folder is missing or incomplete',
    fix: 'Check the `--baseline-run` path; it must hold a complete `pt bt run` output.',
  },
  BT_OPT_INSAMPLE: {
    severity: 'CRITICAL',
    summary:
      'pt optimize was given predictions that are not out-of-sample (no walk-forward step and train end, or a prediction at or before the end of what its model was trained on)',
    fix: 'Optimise only on the OOS predictions `pt train` writes under data/predictions/ (each row carries wf_step and train_end); retrain with this version of pt if they lack them.',
  },
  BT_OPT_NOOOS: {
    severity: 'WARNING',
    summary: 'pt optimize found no walk-forward OOS predictions of the model version for the chosen pairs',
    fix: 'Run pt train with the same --data-dir (it writes data/predictions/<tf>/<group>/<version>/oos_ai1|2.parquet), then pass that group or its pairs and --model-dir models/<version>.',
  },
  BT_OPT_RANGE: {
    severity: 'WARNING',
    summary: 'a θ search range or grid of pt optimize is empty',
    fix: 'Give core_policy.theta_search_range low ≤ high inside [0, 1] and a positive theta_grid_step, and --trials ≥ 0.',
  },
  OPS_FLAGS_INVALID: {
    severity: 'WARNING',
    summary: 'an ops flag (core:ops:flags or data/ops/flags.json) is unreadable; its last good value is kept',
    fix: 'Set the flag again with `pt ops` (global_halt true/false, pair lists as JSON arrays, leverage_scale in [0, 1]).',
  },
  OPS_RESUME_REFUSED: {
    severity: 'WARNING',
    summary:
      "pt ops resume: the resume guard does not hold (drawdown not below warn for resume_policy.stability_days, or a pair's |ρ| below corr_threshold, or no shard has reported them)",
    fix: 'Wait until the guard holds (`pt ops status` shows the drawdown level and since when), or override with `pt ops resume --force --reason "…"`, which is audited.',
  },
  OPS_RESUME_NOTHING: {
    severity: 'INFO',
    summary:
      'pt ops resume: nothing is halted or flattened in that scope (a pair under a portfolio halt is lifted with --scope portfolio)',
    fix: 'Check `pt ops status`; resume the scope that holds the halt.',
  },
  OPS_BUS_DOWN: {
    severity: 'CRITICAL',
    summary: 'pt ops cannot reach Redis (REDIS_URL) to read or write the ops flags; nothing was changed',
    fix: 'Bring Redis back, or write the files the shards fall back to while Redis is down: `pt ops … --bus files` (shards reading Redis do not see those).',
  },
  OPS_ROLLBACK_UNKNOWN: {
    severity: 'WARNING',
    summary: 'pt ops rollback: the version asked for does not exist (or is already in force); nothing was changed',
    fix: "List θ records with `ls models/<version>/applied/` (or give `params` for params.yaml's θ) and model versions with `pt models list`.",
  },
  OPS_CONFIG_UNKNOWN: {
    severity: 'WARNING',
    summary: 'the config workflow has no proposal with that id',
    fix: 'List the proposals with `pt config audit --proposals` and give one of their ids (`cfg-<N>`).',
  },
  OPS_CONFIG_STATE: {
    severity: 'WARNING',
    summary:
      'the config proposal is not in a state that allows the step (approve or merge after merge, apply before merge or after a later merge superseded it)',
    fix: 'See the proposal’s status with `pt config audit --proposals`; the workflow is pr_created → approved → merged → applied (docs/config-workflow.md).',
  },
  OPS_CONFIG_SELF: {
    severity: 'WARNING',
    summary: 'the author of a config proposal tried to approve it; nothing was recorded',
    fix: 'Ask another approver: a proposal needs approvals by people other than its author.',
  },
  OPS_CONFIG_APPROVALS: {
    severity: 'WARNING',
    summary:
      'a config proposal was not merged: it has fewer approvals than its risk needs (2 for leverage, θ or cost changes, else 1)',
    fix: 'Have more approvers run `pt config approve <id>`; the message names the keys that made the change high-risk.',
  },
  OPS_CONFIG_INVALID: {
    severity: 'WARNING',
    summary: 'a config proposal was not merged: main with the proposal merged in fails `pt config validate`’s checks',
    fix: 'Read the violations (`pt config audit --proposals --json` keeps them), correct the files and propose again.',
  },
  OPS_CONFIG_CONFLICT: {
    severity: 'WARNING',
    summary:
      'a config proposal was not merged: its branch conflicts with main (another change to the same lines was merged first)',
    fix: 'Propose the change again from the current main.',
  },
  OPS_CONFIG_PATH: {
    severity: 'WARNING',
    summary:
      'a config proposal named a file that is not a pt config file (only config/*.yaml of pt and cost_profiles/*.yaml)',
    fix: 'Propose only the config files `pt config validate` knows; other files go through the normal code review.',
  },
  OPS_CONFIG_NOCHANGE: {
    severity: 'INFO',
    summary: 'a config proposal changes nothing: its files are main’s',
    fix: 'Edit the files first (a copy of config/), then propose that folder.',
  },
  OPS_CONFIG_NOPREV: {
    severity: 'WARNING',
    summary: 'pt config rollback found no earlier applied config version to return to; nothing was changed',
    fix: 'Roll back only after an apply: `pt config audit --proposals` lists the applied versions (config-v0 is the config before the first apply).',
  },
  OPS_CONFIG_GIT: {
    severity: 'CRITICAL',
    summary:
      'a git command of the config workflow failed (not a repository, no main branch, a local edit in the way, git missing)',
    fix: 'Read git’s message in the error; run the workflow in the repository that holds config/ (`--repo`), with its main branch and no uncommitted edits to config/.',
  },
  OPS_ACCOUNT_BAD: {
    severity: 'WARNING',
    summary:
      'account.json is not valid JSON (e.g. half-written) or breaks mt5/schemas/account.schema.json; pt live keeps the last good one',
    fix: 'Check what writes account.json (the EA or pt paper): it must write the whole file in one go (temp file, then rename) in the schema’s form; the next good file is taken at the next bar.',
  },
  OPS_CACHE_OPEN: {
    severity: 'CRITICAL',
    summary:
      'the local SQLite cache of a live shard cannot be opened: not a SQLite file, corrupt, or written by a newer pt',
    fix: 'Stop the shard, move data/live/shard_<N>.sqlite aside and start it again: it warms from the bar store and seeds seq from the clock; account.json tells which positions are open.',
  },
  OPS_CACHE_SEQ: {
    severity: 'CRITICAL',
    summary: 'a live shard tried to store a signal.json seq that does not grow past the cached one',
    fix: 'A bug in pt: report it with the log line. seq must grow strictly, else the EA ignores the shard\u2019s files as not newer.',
  },
  OPS_PAPER_STATE: {
    severity: 'CRITICAL',
    summary:
      'pt paper\u2019s saved state (last seq, signal_ids acted on, targets) is malformed; it refuses to start rather than forget them',
    fix: 'Restore the state file from a backup, or move it aside to start afresh: pairs are then left alone until their next accepted entry, close or flatten.',
  },
  OPS_PARITY_BROKEN: {
    severity: 'CRITICAL',
    summary:
      'pt parity found a trade of pt live + pt paper that pt bt run does not have (or the reverse), or a net P&L beyond the tolerance, over the same bars, model and θ',
    fix: 'Read the trades it lists: a DD level in the backtest (the replay reads no account.json) or a store changed between the runs explains a difference; anything else is a defect of pt to report with the run folder.',
  },
  OPS_PARITY_EMPTY: {
    severity: 'WARNING',
    summary:
      'pt parity compared no trade: neither pt live + pt paper nor pt bt run traded in the period under this model and θ, so nothing was proven',
    fix: 'Compare a period with trades: a longer --from/--to, or the θ the optimiser found (--theta1/--theta2, see pt optimize) — a model from a short quickstart often trades nothing at its default θ.',
  },
  OPS_AUDIT_BROKEN: {
    severity: 'CRITICAL',
    summary:
      'the audit log\u2019s hash chain is broken: a line edited, removed, inserted or moved, or a write cut off (`pt ops audit verify` names the first such line)',
    fix: 'Treat it as tampering until shown otherwise: compare the file with a backup and the anchored head hash, find who changed it, and keep the broken file as evidence; pt keeps appending after its last line.',
  },
  OPS_AUDIT_MISSING: {
    severity: 'CRITICAL',
    summary: 'the audit log is not there: nothing recorded yet, or the file was removed or moved',
    fix: 'Check runbook_policy.yaml `audit_log_path` (relative to the folder pt runs in) or give `--path`; if a log existed, restore it from a backup.',
  },
  OPS_RETENTION_CONFLICT: {
    severity: 'WARNING',
    summary:
      'pt retention apply found the disk changed under its plan: an item to trash is gone, or its place in the trash is taken',
    fix: 'Run `pt retention apply --dry-run` again and then `pt retention apply`; the items moved before the stop are in `.trash/<batch>/` and move back by a plain rename.',
  },
  OPS_REDIS_CONNFAIL: {
    severity: 'WARNING',
    summary: 'Redis did not answer',
    fix: 'Start Redis or check `REDIS_URL`; pt reconnects with backoff.',
  },
  OPS_RETRAIN_FAILED: {
    severity: 'CRITICAL',
    summary:
      'pt retrain failed: a step (ingest, DQ, features, labels, train, θ, comparison, promotion) still failed after retrain_retry_max retries',
    fix: 'Read the cause in the message and the `retrain.failed` audit entry, correct it (data, disk, config) and run pt retrain again; the model in force was not changed.',
  },
  OPS_LIVE_LOCKED: {
    severity: 'CRITICAL',
    summary: 'another `pt live` process already runs this shard on this machine',
    fix: 'Stop the process named in the message (or let systemd manage the one instance); a holder killed with SIGKILL frees the lock by itself.',
  },
  OPS_PG_CONNFAIL: {
    severity: 'WARNING',
    summary: 'PostgreSQL (PG_URL) refused the connection or did not answer',
    fix: 'Start PostgreSQL or correct `PG_URL` (host, port, database, user); nothing was written, and pt sync ships what is pending at its next run.',
  },
  OPS_PG_MIGRATE: {
    severity: 'CRITICAL',
    summary:
      'pt db migrate could not bring the history schema up to date: a migration failed (rolled back), an applied one was edited, or another migrator held the lock too long',
    fix: 'Read the migration and the database error in the message; never edit an applied migration (add a numbered file), then run `pt db migrate` again.',
  },
  OPS_PG_SCHEMA: {
    severity: 'WARNING',
    summary: 'the PostgreSQL schema of PG_URL is behind this pt (a migration not applied yet)',
    fix: 'Run `pt db migrate` against the same `PG_URL`, then the command again.',
  },
  UI_MONITOR_NOTTY: {
    severity: 'WARNING',
    summary: 'pt monitor was started without a terminal (stdin or stdout is a pipe or a file)',
    fix: 'Run it in a terminal (or tmux); for a one-off read in a script use `pt ops status --json`.',
  },
  UI_MONITOR_NOOPSDIR: {
    severity: 'WARNING',
    summary: 'pt monitor was pointed at an ops folder (the files bus) that does not exist or is not a folder',
    fix: 'Pass the folder a shard writes (`--ops-dir`, signals_policy.yaml `ops_dir`, data/ops by default) or `--replay` for a replay\u2019s data/replay/ops; for Redis set `REDIS_URL` or pass `--redis URL`.',
  },
  UI_API_JSON: {
    severity: 'WARNING',
    summary:
      'pt serve: the request body is not JSON (malformed, empty, too large, or sent with another content type); nothing was changed',
    fix: 'Send `Content-Type: application/json` with a JSON object body (docs/api.md has curl examples).',
  },
  UI_API_SCHEMA: {
    severity: 'WARNING',
    summary:
      'pt serve: the request does not fit the route\u2019s schema in openapi.yaml (a missing or unknown field, a wrong type, a value out of range, an impossible date, a pair not in universe.yaml); nothing was changed',
    fix: 'Correct the field the message names; openapi.yaml and docs/api.md give each route\u2019s fields.',
  },
  UI_API_NOTFOUND: {
    severity: 'WARNING',
    summary: 'pt serve: no such route, or no such backtest run (its outputs are not where the run id points)',
    fix: 'Check the path against openapi.yaml, or the run id against POST /api/v1/bt/runs\u2019s answer.',
  },
  UI_API_NOTREADY: {
    severity: 'INFO',
    summary: 'pt serve: the backtest run asked for is still queued or running, or it failed',
    fix: 'Poll GET /api/v1/bt/runs/{run_id} until its state is done; a failed run names its error there.',
  },
  UI_API_BUSY: {
    severity: 'WARNING',
    summary: 'pt serve: too many backtests are queued (one runs at a time)',
    fix: 'Wait for the queued runs to finish (GET /api/v1/bt/runs/{run_id}), then ask again.',
  },
  UI_API_INTERNAL: {
    severity: 'CRITICAL',
    summary: 'pt serve: a request failed on an unexpected error',
    fix: 'Read the server\u2019s log line with the same request_id; report it with that line.',
  },
  UI_API_NOTLS: {
    severity: 'CRITICAL',
    summary:
      'pt serve refused to start: SERVICE_ENV=prod without TLS (PT_TLS_CERT_FILE and PT_TLS_KEY_FILE) or --behind-proxy',
    fix: 'Set PT_TLS_CERT_FILE and PT_TLS_KEY_FILE to readable PEM files, or run behind a TLS proxy and pass --behind-proxy.',
  },
  UI_AUTH_SECRET: {
    severity: 'CRITICAL',
    summary: 'PT_JWT_SECRET is not set or shorter than 32 bytes: pt serve and pt token issue refuse to run',
    fix: 'Export PT_JWT_SECRET with at least 32 random bytes (e.g. `openssl rand -base64 48`), the same for the server and for pt token issue.',
  },
  UI_AUTH_MISSING: {
    severity: 'WARNING',
    summary: 'pt serve: the request has no `Authorization: Bearer <token>` header (only /healthz is open); audited',
    fix: 'Issue a token with `pt token issue --role viewer --sub NAME` and send it as a Bearer token.',
  },
  UI_AUTH_INVALID: {
    severity: 'WARNING',
    summary:
      'pt serve: the Bearer token is not valid: not a JWT, not signed with PT_JWT_SECRET (HS256), not issued by pt, or without sub/role; audited',
    fix: 'Issue a new token with `pt token issue` against the server\u2019s PT_JWT_SECRET.',
  },
  UI_AUTH_EXPIRED: {
    severity: 'WARNING',
    summary: 'pt serve: the Bearer token has expired; audited',
    fix: 'Issue a new one with `pt token issue` (`--ttl` sets its lifetime).',
  },
  UI_AUTH_FORBIDDEN: {
    severity: 'WARNING',
    summary: 'pt serve: the token\u2019s role is below the route\u2019s minimum role (docs/api.md); audited',
    fix: 'Ask for a token of the role the message names (viewer < editor < approver < admin).',
  },
  BT_ACCEPT_FAIL: {
    severity: 'CRITICAL',
    summary:
      'alert: a scheduled backtest (`pt bt run --alert`) failed its acceptance verdict (SPEC §7; the seed\u2019s バックテスト不合格)',
    fix: 'Read the failed checks in the run summary (bt_run.json, report.html); do not promote or apply what failed, and look for a cause in costs, data or the model in force.',
  },
  OPS_DD_HALT: {
    severity: 'CRITICAL',
    summary:
      'alert: a pt live shard\u2019s DD policy reached halt (the portfolio or a pair): no new entries until the drawdown recovers',
    fix: 'Look at the shard\u2019s equity and positions (`pt ops status`); the level lifts by itself, or halt or flatten by hand with `pt ops`.',
  },
  OPS_DD_FLATTEN: {
    severity: 'CRITICAL',
    summary: 'alert: a pt live shard\u2019s DD policy reached flatten: the shard closes its positions',
    fix: 'Check that the EA closed every leg (account.json, `pt ops status`); find why the drawdown grew before resuming.',
  },
  OPS_RECONCILE_MISMATCH: {
    severity: 'CRITICAL',
    summary: 'alert: account.json holds a pair otherwise than the shard\u2019s last target; the pair is held',
    fix: 'Compare the broker\u2019s positions with signal.json; close or correct the legs in MT5, then the shard trades the pair again.',
  },
  OPS_ACCOUNT_ALERT: {
    severity: 'CRITICAL',
    summary: 'alert: the EA marked an alert in account.json critical (a naked leg, an entry given up half-way)',
    fix: 'Open MT5 and settle the pair the alert names (close the lone leg); the alert clears when account.json no longer lists it.',
  },
  OPS_HEARTBEAT_LOST: {
    severity: 'CRITICAL',
    summary:
      'alert: a shard\u2019s heartbeat expired (over 3 heartbeat intervals old, or none): the pt live process is down or stuck',
    fix: 'Check the service (`systemctl status`, its log); restart it: it resumes from its cache.',
  },
  OPS_LATENCY_REDIS: {
    severity: 'WARNING',
    summary: 'alert: Redis answered slower than 2 s',
    fix: 'Check the Redis host (memory, CPU, network); the shards fall back to their files while it does not answer.',
  },
  OPS_ACTION_APPLIED: {
    severity: 'INFO',
    summary: 'alert: an ops action was applied (halt, flatten, resume, rollback), with who and why',
    fix: 'Nothing to do: the message records the action; the audit log has the entry.',
  },
  OPS_RETRAIN_PROMOTED: {
    severity: 'INFO',
    summary: 'alert: pt retrain promoted a candidate model; running shards reload it',
    fix: 'Nothing to do; `pt ops rollback --target model` restores the previous version if needed.',
  },
  OPS_RETRAIN_HELD: {
    severity: 'INFO',
    summary: 'alert: pt retrain held the candidate (a promotion check failed); the model in force stays',
    fix: 'Read the failed check in the message; nothing to do unless the model in force degrades.',
  },
  OPS_ALERT_UNSENT: {
    severity: 'WARNING',
    summary:
      'an alert was raised and recorded but a channel (Slack, PagerDuty) did not deliver it: an HTTP error, a refused connection, a timeout',
    fix: 'Nobody was told through that channel: read the alert in alerts.jsonl (or `pt monitor`) and pass it on by hand; check the receiver, the network and the webhook URL or key.',
  },
  OPS_ALERT_CONFIG: {
    severity: 'WARNING',
    summary:
      'an alert channel variable (SLACK_WEBHOOK_URL, PAGERDUTY_EVENTS_URL) is not an http(s) URL: that channel is off for the run',
    fix: 'Set the variable the message names to the full URL (`https://…`, no user or password), e.g. the webhook URL Slack gave; alerts are still logged and recorded meanwhile.',
  },
  ANALYTICS_LOSS_STREAK: {
    severity: 'CRITICAL',
    summary: 'alert: more than 5 consecutive losing closes in a pt live shard (spread P&L at the closing bar)',
    fix: 'Halt the shard (`pt ops halt`) while you compare its trades with the backtest; check costs, data and the model in force.',
  },
  DATA_API_DOWN: {
    severity: 'CRITICAL',
    summary: 'alert: a market-data source has failed for more than 10 minutes',
    fix: 'Check the provider\u2019s status and the API key; the shards go stale and open nothing until bars arrive.',
  },
  DATA_DQ_OUTLIER: {
    severity: 'WARNING',
    summary: 'alert: the outlier rate of a symbol\u2019s new bars is over 10%',
    fix: 'Look at the bars `pt dq` lists as outliers; check the source and `--price-scale`.',
  },
  DATA_FRESH_STALE: {
    severity: 'WARNING',
    summary: 'alert: a pt live shard is stale: its bars arrive later than freshness_budget_seconds',
    fix: 'Check the source and the network; the shard opens nothing until fresh bars arrive, exits still go out.',
  },
} as const satisfies Record<string, CatalogEntry>;

export type ErrorId = keyof typeof ERROR_CATALOG;

export function severityOf(id: ErrorId): Severity {
  return ERROR_CATALOG[id].severity;
}
