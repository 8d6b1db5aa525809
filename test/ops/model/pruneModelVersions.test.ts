// Pruning keeps the newest versions and never one some group has in force or the one it replaced
// (read from the audit log); group folders and other names are never touched.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moveCurrentModel } from '../../../src/ops/model/moveCurrentModel.js';
import { protectedVersions, pruneModelVersions } from '../../../src/ops/model/pruneModelVersions.js';

/** Versions a month apart, oldest first: v(0) = 2026-01, v(5) = 2026-06. */
const v = (i: number) => `2026${String(i + 1).padStart(2, '0')}01_0300_${String(i).repeat(7)}`;
let dir = '';
let modelsDir = '';
let auditPath = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-prune-'));
  modelsDir = join(dir, 'models');
  auditPath = join(dir, 'audit.jsonl');
  for (let i = 0; i < 6; i++) mkdirSync(join(modelsDir, v(i)), { recursive: true });
  mkdirSync(join(modelsDir, '.tmp-20260101_0300_9999999'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const left = () => readdirSync(modelsDir).sort();

describe('pruneModelVersions', () => {
  it('keeps the newest `keep` and the protected ones, oldest removed first', async () => {
    const removed = await pruneModelVersions(modelsDir, 2, new Set([v(1)]));
    expect(removed).toEqual([v(3), v(2), v(0)]);
    expect(left()).toEqual(['.tmp-20260101_0300_9999999', v(1), v(4), v(5)]);
  });

  it('protects every group in force and, from the audit log, the version each replaced', async () => {
    const move = (group: string, version: string) =>
      moveCurrentModel({ modelsDir, group, version, auditPath, action: 'model.promote', reason: null });
    await move('metals', v(0));
    await move('metals', v(1));
    await move('fx', v(2));
    await move('fx', v(3));
    // A rollback: v(1) replaced v(3) in fx; v(2) is no longer anyone's predecessor.
    await moveCurrentModel({ modelsDir, group: 'fx', version: v(1), auditPath, action: 'ops.rollback', reason: null });
    // A pointer written without an audit entry (pt quickstart): in force, predecessor unknown.
    mkdirSync(join(modelsDir, 'custom'));
    writeFileSync(join(modelsDir, 'custom', 'CURRENT'), `${v(4)}\n`);
    const keep = await protectedVersions(modelsDir, auditPath);
    expect(Object.fromEntries(keep)).toEqual({
      [v(1)]: 'in force for metals',
      [v(0)]: 'in force for metals before ' + v(1),
      [v(3)]: 'in force for fx before ' + v(1),
      [v(4)]: 'in force for custom',
    });
    const removed = await pruneModelVersions(modelsDir, 1, new Set(keep.keys()));
    expect(removed).toEqual([v(2)]);
    for (const g of ['metals', 'fx', 'custom']) expect(existsSync(join(modelsDir, g, 'CURRENT'))).toBe(true);
  });

  it('protects nothing beyond the pointers when there is no audit log', async () => {
    mkdirSync(join(modelsDir, 'metals'));
    writeFileSync(join(modelsDir, 'metals', 'CURRENT'), `${v(0)}\n`);
    expect([...(await protectedVersions(modelsDir, join(dir, 'none.jsonl'))).keys()]).toEqual([v(0)]);
  });
});
