// Moves a group's CURRENT pointer (a promotion or a rollback) as one audited change: under the group's
// lock, read the version in force, write the new pointer atomically, append one audit entry.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { acquireFileLock } from '../../core/fileLock.js';
import { currentPointerPath, readCurrentModel, writeCurrentModel } from '../../ml/registry/index.js';
import { PtError, isPtError } from '../../core/ptError.js';
import { appendAudit } from '../audit/appendAudit.js';

export interface MoveCurrentModelInput {
  /** The registry folder (`models/`). */
  modelsDir: string;
  group: string;
  /** The version folder the pointer is to name (must exist). */
  version: string;
  /** The ops audit log (runbook_policy.audit_log_path). */
  auditPath: string;
  action: 'model.promote' | 'ops.rollback';
  reason: string | null;
  actor?: string;
  /** Further fields of the audit entry (a run id, the gate's checks, …). */
  details?: Record<string, unknown>;
}

export interface MovedCurrentModel {
  /** The version in force before (null when the group had no readable pointer). */
  before: string | null;
  after: string;
  /** SHA-256 of the audit line written. */
  sha256: string;
}

/** The version a pointer names, or null when there is none (missing, empty, or naming a folder that is gone). */
async function versionInForce(modelsDir: string, group: string): Promise<string | null> {
  try {
    return (await readCurrentModel(modelsDir, group)).version;
  } catch (e) {
    if (!isPtError(e)) throw e;
    if (e.id === 'CORE_MODEL_DANGLING') return (await readFile(currentPointerPath(modelsDir, group), 'utf8')).trim();
    if (e.id === 'CORE_MODEL_NOCURRENT') return null;
    throw e;
  }
}

/**
 * The one writer of `models/<group>/CURRENT` after its first creation: pt retrain's promotion and pt ops
 * rollback. The lock (`models/<group>/.current.lock-*`) makes read-before, write and audit one step
 * against another mover; a failure before the write leaves the pointer as it was, and the audit entry
 * is appended only after the pointer is durable.
 */
export async function moveCurrentModel(input: MoveCurrentModelInput): Promise<MovedCurrentModel> {
  const pointer = currentPointerPath(input.modelsDir, input.group);
  // A rollback moves a pointer that exists: a typo in the group must not pass for a rollback (and create a group).
  if (input.action === 'ops.rollback' && (await versionInForce(input.modelsDir, input.group)) === null)
    throw new PtError(
      'OPS_ROLLBACK_UNKNOWN',
      `model group ${input.group} has no CURRENT at ${pointer}: nothing to roll back (pt models list shows the groups)`,
      { source: 'ops', details: { group: input.group, pointer } },
    );
  await mkdir(dirname(pointer), { recursive: true });
  const lock = await acquireFileLock(dirname(pointer), 'current', { label: `model group ${input.group}` });
  try {
    const before = await versionInForce(input.modelsDir, input.group);
    const moved = await writeCurrentModel(input.modelsDir, input.group, input.version);
    const { sha256 } = await appendAudit(input.auditPath, {
      ...input.details,
      action: input.action,
      scope: `model:${input.group}`,
      reason: input.reason,
      before,
      after: moved.version,
      ...(input.actor ? { actor: input.actor } : {}),
      pointer: moved.pointer,
    });
    return { before, after: moved.version, sha256 };
  } finally {
    await lock.release();
  }
}
