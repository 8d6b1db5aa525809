// The `pt ingest` command lines the CLI tests build stores with.

/** `ingest --source synthetic` of 1h bars of `symbols` in [from, to), then any further flags. */
export function syntheticIngestArgs(symbols: string, from: string, to: string, ...more: string[]): string[] {
  return [
    'ingest',
    '--source',
    'synthetic',
    '--symbols',
    symbols,
    '--timeframe',
    '1h',
    '--from',
    from,
    '--to',
    to,
    ...more,
  ];
}

/** `ingest --source csv` of one file as `symbol` at `timeframe` into `dataDir`, then any further flags (e.g. `--tz UTC`). */
export function csvIngestArgs(
  path: string,
  symbol: string,
  timeframe: string,
  dataDir: string,
  ...more: string[]
): string[] {
  return [
    'ingest',
    '--source',
    'csv',
    '--path',
    path,
    '--symbols',
    symbol,
    '--timeframe',
    timeframe,
    '--data-dir',
    dataDir,
    ...more,
  ];
}
