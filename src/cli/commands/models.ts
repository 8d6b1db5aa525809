// pt models list|verify: thin shells over the model registry (src/ml/registry).
import { listModelVersions, verifyModelVersion, formatProblems } from '../../ml/registry/index.js';
import type { RawOptions } from '../options/cliOptions.js';
import { parseModelsListOptions, parseModelsVerifyOptions } from '../options/parseModelsOptions.js';

const utcMinute = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')}Z`;

export async function runModelsList(raw: RawOptions): Promise<number> {
  const { modelsDir } = parseModelsListOptions(raw);
  const versions = await listModelVersions(modelsDir);
  if (versions.length === 0) {
    process.stdout.write(`no model versions in ${modelsDir}\n`);
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

export async function runModelsVerify(raw: RawOptions): Promise<number> {
  const { dir, name } = parseModelsVerifyOptions(raw);
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
