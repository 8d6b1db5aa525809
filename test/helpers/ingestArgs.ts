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
