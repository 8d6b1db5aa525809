// pt models list|verify|import: thin shells over the model registry (src/ml/registry) and the import job.
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../../config/loadConfig.js';
import { fsErrorFrom } from '../../core/fsError.js';
import { importModelVersion, type ImportFile } from '../../ml/importModelVersion.js';
import {
  checkAppliedThetas,
  listModelVersions,
  modelParamsFromConfig,
  verifyModelVersion,
  formatProblems,
} from '../../ml/registry/index.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import {
  parseModelsImportOptions,
  parseModelsListOptions,
  parseModelsVerifyOptions,
} from '../options/parseModelsOptions.js';

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
  if (!result.ok) {
    for (const p of result.problems) process.stdout.write(`${p.file}: ${p.problem}\n`);
    const n = result.problems.length;
    process.stderr.write(
      `ERROR CORE_MODEL_SIGNATURE: ${name} does not verify (${n} problem${n > 1 ? 's' : ''}); do not deploy it\n`,
    );
    return 1;
  }
  // applied/ is signed record by record, apart from the version's SIGNATURE.
  const applied = await checkAppliedThetas(dir);
  if (applied.problems.length > 0) {
    for (const p of applied.problems) process.stdout.write(`${p.file}: ${p.problem}\n`);
    const n = applied.problems.length;
    process.stderr.write(
      `ERROR CORE_THETA_SIGNATURE: ${name}: ${n} applied θ record${n > 1 ? 's do' : ' does'} not verify; the version's own files do\n`,
    );
    return 1;
  }
  const records = applied.records.length;
  const extra = records > 0 ? `; ${records} applied θ record${records > 1 ? 's' : ''}` : '';
  process.stdout.write(`OK ${name} (${result.files} files${extra})\n`);
  return 0;
}

async function readInput(path: string | undefined): Promise<ImportFile | undefined> {
  if (path === undefined) return undefined;
  try {
    return { bytes: new Uint8Array(await readFile(path)), source: path };
  } catch (e) {
    throw fsErrorFrom(e, `cannot read ${path}`, { path }) ?? e;
  }
}

export async function runModelsImport(raw: RawOptions): Promise<number> {
  const o = parseModelsImportOptions(raw);
  const [ai1, ai2, schema, calibrationAi1, calibrationAi2, params, metrics] = await Promise.all(
    [o.ai1, o.ai2, o.schema, o.calibrationAi1, o.calibrationAi2, o.params, o.metrics].map(readInput),
  );
  const result = await importModelVersion({
    ...(ai1 ? { ai1 } : {}),
    ...(ai2 ? { ai2 } : {}),
    ...(schema ? { schema } : {}),
    calibration: {
      ...(calibrationAi1 ? { ai1: calibrationAi1 } : {}),
      ...(calibrationAi2 ? { ai2: calibrationAi2 } : {}),
    },
    ...(params ? { params } : {}),
    ...(metrics ? { metrics } : {}),
    ...(o.featureNames ? { featureNames: o.featureNames } : {}),
    ...(o.from ? { from: o.from } : {}),
    defaultParams: () => modelParamsFromConfig(loadConfig(configDirOption(raw))),
    modelsDir: o.modelsDir,
  });
  for (const kind of ['ai1', 'ai2'] as const) {
    const m = result.models[kind];
    const what = m.kind === 'kept' ? 'kept' : `${m.kind}, ${m.inputType} input`;
    const notes = [what, m.calibrated ? 'calibrated' : 'uncalibrated'];
    if (m.namesAdded) notes.push('pt.feature_names added');
    process.stderr.write(`${kind}: ${m.source} (${notes.join(', ')}; sha256 ${m.sha256.slice(0, 12)}…)\n`);
  }
  process.stdout.write(`${result.version}\n`);
  return 0;
}
