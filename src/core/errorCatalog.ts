// The one list of pt error ids ({DOMAIN}_{CATEGORY}_{CODE}) with their severity (SPEC §11).
// CODE is 3-9 letters: the seed's own examples (THRESHOLD, REJECTED) are longer than its 3-6 rule.

export type Severity = 'CRITICAL' | 'WARNING' | 'INFO';

/** Every error id pt raises, with its severity and a one-line meaning for docs and logs. */
export const ERROR_CATALOG = {
  CORE_CLI_NOTIMPL: { severity: 'INFO', summary: 'the subcommand is not implemented yet' },
  CORE_CLI_USAGE: { severity: 'WARNING', summary: 'bad command-line arguments' },
  CORE_CONFIG_INVALID: { severity: 'CRITICAL', summary: 'config/ failed schema or cross-file validation' },
  CORE_CONFIG_MISSING: { severity: 'CRITICAL', summary: 'a config file or directory is missing' },
  CORE_CONFIG_YAML: { severity: 'CRITICAL', summary: 'a config file is not valid YAML' },
  CORE_ENV_MISSING: { severity: 'CRITICAL', summary: 'a required environment variable is not set' },
  CORE_FEATURES_WARMUP: { severity: 'WARNING', summary: 'too few aligned bars for the feature windows' },
  CORE_INTERNAL_BUG: { severity: 'CRITICAL', summary: 'an unexpected internal error' },
  CORE_MODEL_ARTEFACT: { severity: 'WARNING', summary: 'a model version artefact is missing, misnamed or malformed' },
  CORE_MODEL_TIMEFRAME: {
    severity: 'CRITICAL',
    summary: 'the model version was trained on another timeframe than the bars it would score',
  },
  CORE_TRAIN_HISTORY: { severity: 'WARNING', summary: 'less history than min_training_months for cv or train' },
  CORE_MODEL_EXISTS: { severity: 'WARNING', summary: 'the model version folder already exists' },
  CORE_MODEL_KEY: { severity: 'CRITICAL', summary: 'no usable model signing or verify key' },
  CORE_MODEL_NOTFOUND: { severity: 'WARNING', summary: 'the model version folder does not exist' },
  CORE_MODEL_ONNX: {
    severity: 'CRITICAL',
    summary: 'an ONNX model could not be exported or loaded, or does not match the features',
  },
  CORE_MODEL_SIGNATURE: { severity: 'CRITICAL', summary: 'a model version failed signature verification' },
  DATA_API_TIMEOUT: { severity: 'WARNING', summary: 'a provider request timed out' },
  DATA_API_HTTP: { severity: 'WARNING', summary: 'a provider answered with an HTTP error' },
  DATA_API_PROVIDER: { severity: 'WARNING', summary: 'a provider answered with an error body' },
  DATA_API_MALFORMED: { severity: 'WARNING', summary: 'a provider answered with an unreadable payload' },
  DATA_API_CIRCUIT: { severity: 'WARNING', summary: 'the circuit breaker is open for this source and timeframe' },
  DATA_API_EXHAUSTED: { severity: 'CRITICAL', summary: 'every provider failed' },
  DATA_INPUT_PARSE: { severity: 'WARNING', summary: 'an input file could not be parsed' },
  DATA_INPUT_MISSING: { severity: 'WARNING', summary: 'an input file or folder does not exist' },
  DATA_SCHEMA_BAR: { severity: 'CRITICAL', summary: 'a bar does not satisfy the canonical bar schema' },
  DATA_STORAGE_IOFAIL: { severity: 'CRITICAL', summary: 'the bar store could not read or write' },
  DATA_DQ_THRESHOLD: { severity: 'WARNING', summary: 'a partition is over the DQ thresholds' },
  DATA_WS_CONNFAIL: { severity: 'WARNING', summary: 'the price stream connection failed' },
  OPS_REDIS_CONNFAIL: { severity: 'WARNING', summary: 'Redis did not answer' },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type ErrorId = keyof typeof ERROR_CATALOG;

export function severityOf(id: ErrorId): Severity {
  return ERROR_CATALOG[id].severity;
}
