// pt models list|verify: thin shells over the model registry (src/ml/registry).
import { basename, join, resolve } from 'node:path';
import { PtError } from '../../core/ptError.js';
import {
  listModelVersions,
  MODEL_VERSION_PATTERN,
  verifyModelVersion,
  formatProblems,
} from '../../ml/registry/index.js';

const utcMinute = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')}Z`;

export async function runModelsList(options: Record<string, unknown>): Promise<number> {
  const root = resolve(String(options.modelsDir ?? 'models'));
  const versions = await listModelVersions(root);
  if (versions.length === 0) {
    process.stdout.write(`no model versions in ${root}\n`);
    return 0;
  }
  const rows = [
    ['version', 'created (UTC)', 'files', 'signature ok'],
    ...versions.map((v) => [
      v.version,
      utcMinute(v.createdAt),
      String(v.files),
      v.verified ? 'yes' : `no (${formatProblems(v.problems)})`,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    process.stdout.write(`${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}\n`);
  return 0;
}

function usage(message: string): PtError {
  return new PtError('CORE_CLI_USAGE', message, { source: 'cli', exitCode: 2 });
}

/** `pt models verify <version>` or `--version <v>`; a folder path is accepted in place of a version name. */
export async function runModelsVerify(options: Record<string, unknown>): Promise<number> {
  const positional = (options.args as string[] | undefined)?.[0];
  const flag = options.version as string | undefined;
  if (positional !== undefined && flag !== undefined && positional !== flag)
    throw usage(`two versions given (${positional} and --version ${flag}): give one`);
  const given = positional ?? flag;
  if (given === undefined) throw usage('which version? pt models verify <version> (or --version <v>)');
  const dir = MODEL_VERSION_PATTERN.test(given) ? join(String(options.modelsDir ?? 'models'), given) : given;
  const name = basename(resolve(dir));
  const result = await verifyModelVersion(dir);
  if (result.ok) {
    process.stdout.write(`OK ${name} (${result.files} files)\n`);
    return 0;
  }
  for (const p of result.problems) process.stdout.write(`${p.file}: ${p.problem}\n`);
  const n = result.problems.length;
  process.stderr.write(
    `ERROR CORE_MODEL_SIGNATURE: ${name} does not verify (${n} problem${n > 1 ? 's' : ''}); do not deploy it\n`,
  );
  return 1;
}
