// moveCurrentModel: the pointer moves, each move is one chained audit entry naming before and after,
// and a move to a missing version changes nothing (no pointer write, no audit line).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCurrentModel } from '../../../src/ml/registry/index.js';
import { verifyAuditFile } from '../../../src/ops/audit/verifyAuditLog.js';
import { moveCurrentModel } from '../../../src/ops/model/moveCurrentModel.js';

const V1 = '20260101_0300_aaaaaaa';
const V2 = '20260201_0300_bbbbbbb';
let dir = '';
let modelsDir = '';
let auditPath = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-move-current-'));
  modelsDir = join(dir, 'models');
  auditPath = join(dir, 'data', 'ops', 'audit.jsonl');
  for (const v of [V1, V2]) mkdirSync(join(modelsDir, v), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const entries = () =>
  readFileSync(auditPath, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('moveCurrentModel', () => {
  it('points the group at each version in turn, one audit entry per move', async () => {
    const first = await moveCurrentModel({
      modelsDir,
      group: 'metals',
      version: V1,
      auditPath,
      action: 'model.promote',
      reason: 'first model',
      actor: 'cron',
    });
    expect(first).toMatchObject({ before: null, after: V1 });
    const second = await moveCurrentModel({
      modelsDir,
      group: 'metals',
      version: V2,
      auditPath,
      action: 'model.promote',
      reason: 'better',
      details: { run_id: 'r1', action: 'not this' },
    });
    expect(second).toMatchObject({ before: V1, after: V2 });
    const back = await moveCurrentModel({
      modelsDir,
      group: 'metals',
      version: V1,
      auditPath,
      action: 'ops.rollback',
      reason: null,
    });
    expect(back).toMatchObject({ before: V2, after: V1 });
    expect((await readCurrentModel(modelsDir, 'metals')).version).toBe(V1);
    const e = entries();
    expect(e.map((x) => [x.action, x.scope, x.before, x.after])).toEqual([
      ['model.promote', 'model:metals', null, V1],
      ['model.promote', 'model:metals', V1, V2],
      ['ops.rollback', 'model:metals', V2, V1],
    ]);
    expect(e[0]!.actor).toBe('cron');
    // Details ride along but never replace the entry's own fields.
    expect(e[1]!.run_id).toBe('r1');
    const lastLine = readFileSync(auditPath, 'utf8').trim().split('\n').at(-1)!;
    expect(createHash('sha256').update(lastLine).digest('hex')).toBe(back.sha256);
    expect((await verifyAuditFile(auditPath)).ok).toBe(true);
  });

  it('refuses a version folder that does not exist, leaving the pointer and the log as they were', async () => {
    await moveCurrentModel({ modelsDir, group: 'fx', version: V1, auditPath, action: 'model.promote', reason: null });
    await expect(
      moveCurrentModel({
        modelsDir,
        group: 'fx',
        version: '20260301_0300_ccccccc',
        auditPath,
        action: 'model.promote',
        reason: null,
      }),
    ).rejects.toMatchObject({ id: 'CORE_MODEL_NOTFOUND' });
    expect((await readCurrentModel(modelsDir, 'fx')).version).toBe(V1);
    expect(entries()).toHaveLength(1);
    // The lock is released on the way out.
    expect(existsSync(join(modelsDir, 'fx'))).toBe(true);
    await moveCurrentModel({ modelsDir, group: 'fx', version: V2, auditPath, action: 'model.promote', reason: null });
    expect(entries()).toHaveLength(2);
  });
});
