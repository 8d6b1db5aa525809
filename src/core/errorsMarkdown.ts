// docs/errors.md as text, made from the error catalog (`npm run docs:errors` writes it; a test compares).
import { ERROR_CATALOG, type CatalogEntry } from './errorCatalog.js';
import { PtError } from './ptError.js';

// SPEC §11's domain order; a domain with no id is left out.
const DOMAINS: ReadonlyArray<[string, string]> = [
  ['DATA', 'Data: providers, input files, the bar store, DQ'],
  ['CORE', 'Core: command line, config, environment, files, models'],
  ['BT', 'Backtest'],
  ['ANALYTICS', 'Analytics'],
  ['OPS', 'Operations'],
  ['UI', 'User interface'],
];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The whole of docs/errors.md for `catalog`. */
export function renderErrorsMarkdown(catalog: Record<string, CatalogEntry> = ERROR_CATALOG): string {
  const ids = Object.keys(catalog).sort();
  const out: string[] = [
    '<!-- Generated from src/core/errorCatalog.ts by `npm run docs:errors`; do not edit by hand. -->',
    '# Error ids',
    '',
    'A failed command prints one line `ERROR <ID>: <message>` on stderr and exits non-zero (usually 2',
    'when the command line itself is wrong, 1 otherwise). Ids read `{DOMAIN}_{CATEGORY}_{CODE}` (SPEC',
    '§11). With `LOG_LEVEL` set (cron, CI, services) the failure is also logged as one JSON line on',
    'stderr with the SPEC §11 payload: `error_id`, `event_id`, `occurred_at`, `severity`, `source`,',
    '`details` and `message`. `LOG_LEVEL=DEBUG` adds the stack trace of the error and of each cause',
    'under it. `pt dq` logs each quarantined month as a `DATA_DQ_THRESHOLD` warning line and goes on.',
    '',
    'Severity: **CRITICAL**, the work stopped and someone must act; **WARNING**, an input or a',
    'condition was refused, or a result degraded, as the message explains; **INFO**, nothing was harmed.',
  ];
  for (const [domain, title] of DOMAINS) {
    const inDomain = ids.filter((id) => id.split('_')[0] === domain);
    if (inDomain.length === 0) continue;
    out.push('', `## ${title}`, '', '| id | severity | meaning | fix |', '| --- | --- | --- | --- |');
    for (const id of inDomain) {
      const e = catalog[id]!;
      out.push(`| \`${id}\` | ${e.severity} | ${cell(e.summary)} | ${cell(e.fix)} |`);
    }
  }
  const known = new Set(DOMAINS.map(([d]) => d));
  const stray = ids.filter((id) => !known.has(id.split('_')[0]!));
  if (stray.length > 0)
    throw new PtError('CORE_INTERNAL_BUG', `error ids outside the SPEC §11 domains: ${stray.join(', ')}`);
  return `${out.join('\n')}\n`;
}
