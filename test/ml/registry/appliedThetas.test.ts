// Applied-θ records: signed apart from the version, newest verified one wins, any tampering refused, the version's SIGNATURE untouched.
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appliedThetaLabel,
  checkAppliedThetas,
  latestAppliedTheta,
  verifyModelVersion,
  writeAppliedTheta,
  writeModelVersion,
  type AppliedThetaFields,
} from '../../../src/ml/registry/index.js';
import { PtError } from '../../../src/core/ptError.js';
import { fakeArtefacts, flipByte, makeKeyPair, tempDir } from './registryFixtures.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let keys: { signingKey: ReturnType<typeof makeKeyPair>['privateKey']; env: NodeJS.ProcessEnv; localKeyDir: string };
let dir: string;
let version: string;

const fields = (theta1: number, theta2: number, run_id: string): AppliedThetaFields => ({
  theta1,
  theta2,
  old: { theta1: 0.7, theta2: 0.3, source: 'params.yaml' },
  proposed: { theta1: 0.6, theta2: 0.4 },
  reason: 'apply: test',
  improvement_ci: { lower: 0.01, upper: 0.1, level: 0.95, metric: 'annualised_mean_daily_return_difference' },
  oos_trades: 120,
  trades_min: 150,
  run_id,
  source: 'pt optimize',
});

beforeEach(async () => {
  tmp = await tempDir();
  keys = { signingKey: makeKeyPair().privateKey, env: {}, localKeyDir: join(tmp.path, '.pt', 'keys') };
  ({ dir, version } = await writeModelVersion(join(tmp.path, 'models'), fakeArtefacts(), { keys }));
});
afterEach(() => tmp.remove());

const refused = async (p: Promise<unknown>): Promise<PtError> => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PtError);
  expect((e as PtError).id).toBe('CORE_THETA_SIGNATURE');
  return e as PtError;
};

describe('applied θ records', () => {
  it('none yet: undefined', async () => {
    expect(await latestAppliedTheta(dir, { keys })).toBeUndefined();
  });

  it('writes theta_<stamp>_<run>.json and its .sig; the newest verified record is the one in force', async () => {
    const a = await writeAppliedTheta(dir, fields(0.67, 0.33, 'run-a'), {
      keys,
      createdAt: new Date('2026-12-03T10:15:00.250Z'),
    });
    expect(a.file).toBe('theta_20261203T101500Z_run-a.json');
    await writeAppliedTheta(dir, fields(0.64, 0.36, 'run/b!'), { keys, createdAt: new Date('2026-12-04T08:00:00Z') });
    expect((await readdir(join(dir, 'applied'))).sort()).toEqual([
      'theta_20261203T101500Z_run-a.json',
      'theta_20261203T101500Z_run-a.json.sig',
      'theta_20261204T080000Z_runb.json',
      'theta_20261204T080000Z_runb.json.sig',
    ]);
    const latest = (await latestAppliedTheta(dir, { keys }))!;
    expect(latest.record).toMatchObject({
      schema: 'pt-applied-theta v1',
      version,
      theta1: 0.64,
      theta2: 0.36,
      decision: 'apply',
      run_id: 'run/b!',
      created_at: '2026-12-04T08:00:00.000Z',
      source: 'pt optimize',
      old: { theta1: 0.7, theta2: 0.3, source: 'params.yaml' },
    });
    expect(appliedThetaLabel(latest)).toBe('applied 20261204T080000Z (pt optimize run run/b!)');
  });

  it("leaves the version's SIGNATURE valid: the verifier skips applied/ but still flags other extras", async () => {
    const sigBefore = await readFile(join(dir, 'SIGNATURE'));
    await writeAppliedTheta(dir, fields(0.67, 0.33, 'r1'), { keys });
    expect(await readFile(join(dir, 'SIGNATURE'))).toEqual(sigBefore);
    expect((await verifyModelVersion(dir, { keys })).ok).toBe(true);
    await mkdir(join(dir, 'other'));
    expect(await verifyModelVersion(dir, { keys })).toEqual({
      ok: false,
      problems: [{ file: 'other', problem: 'extra' }],
    });
    await rm(join(dir, 'other'), { recursive: true });
    // a file named applied (not the folder) is still an extra
    await rename(join(dir, 'applied'), join(tmp.path, 'applied-moved'));
    await writeFile(join(dir, 'applied'), 'x');
    expect(await verifyModelVersion(dir, { keys })).toEqual({
      ok: false,
      problems: [{ file: 'applied', problem: 'extra' }],
    });
  });

  it('refuses a tampered record (one flipped byte) like a tampered model, naming it', async () => {
    const a = await writeAppliedTheta(dir, fields(0.67, 0.33, 'r1'), { keys });
    const text = await readFile(a.path, 'utf8');
    await writeFile(a.path, text.replace('"theta1": 0.67', '"theta1": 0.57'));
    const e = await refused(latestAppliedTheta(dir, { keys }));
    expect(e.message).toContain(`applied/${a.file}: digest`);
    await writeFile(a.path, text);
    expect((await latestAppliedTheta(dir, { keys }))!.record.theta1).toBe(0.67);
    await flipByte(`${a.path}.sig`, 100);
    await refused(latestAppliedTheta(dir, { keys }));
  });

  it('refuses a tampered older record too, rather than running on the newest as if nothing happened', async () => {
    const old = await writeAppliedTheta(dir, fields(0.67, 0.33, 'r1'), { keys, createdAt: new Date('2026-01-01') });
    await writeAppliedTheta(dir, fields(0.64, 0.36, 'r2'), { keys, createdAt: new Date('2026-02-01') });
    await flipByte(old.path, 20);
    await refused(latestAppliedTheta(dir, { keys }));
  });

  it('refuses a record without its signature, one signed by another key, and one copied from another version', async () => {
    const a = await writeAppliedTheta(dir, fields(0.67, 0.33, 'r1'), { keys });
    const sig = await readFile(`${a.path}.sig`);
    await rm(`${a.path}.sig`);
    expect((await checkAppliedThetas(dir, { keys })).problems).toEqual([
      { file: `applied/${a.file}`, problem: 'no_signature' },
    ]);
    await writeFile(`${a.path}.sig`, sig);
    const other = { ...keys, signingKey: makeKeyPair().privateKey };
    expect((await checkAppliedThetas(dir, { keys: other })).problems).toEqual([
      { file: `applied/${a.file}`, problem: 'key' },
    ]);
    // the same signed bytes under another version's folder
    const second = await writeModelVersion(join(tmp.path, 'models'), fakeArtefacts(2), { keys });
    await cp(join(dir, 'applied'), join(second.dir, 'applied'), { recursive: true });
    expect((await checkAppliedThetas(second.dir, { keys })).problems).toEqual([
      { file: `applied/${a.file}`, problem: 'version' },
    ]);
    // a record renamed: its signature names the old file name
    await rename(a.path, join(dir, 'applied', 'theta_20990101T000000Z_x.json'));
    await rename(`${a.path}.sig`, join(dir, 'applied', 'theta_20990101T000000Z_x.json.sig'));
    expect((await checkAppliedThetas(dir, { keys })).problems).toEqual([
      { file: 'applied/theta_20990101T000000Z_x.json', problem: 'signature' },
    ]);
  });

  it('ignores a signature without its record (a write cut between the two files) and dot files', async () => {
    const a = await writeAppliedTheta(dir, fields(0.67, 0.33, 'r1'), { keys });
    await writeFile(join(dir, 'applied', 'theta_20990101T000000Z_cut.json.sig'), 'partial');
    await writeFile(join(dir, 'applied', '.theta.lock-1-abc'), '{}');
    const latest = await latestAppliedTheta(dir, { keys });
    expect(latest?.file).toBe(a.file);
  });
});
