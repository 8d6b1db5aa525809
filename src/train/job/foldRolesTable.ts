// The --out-folds table: every sample's role in every K-fold fold, walk-forward step and the final fit.
import { FOLD_ROLE, FOLD_ROLE_NAMES } from '../../cv/index.js';
import type { TableColumn } from '../../ports/tableWriter.js';
import type { KindPlan } from '../kindPlan.js';

/**
 * One row per (kind, scheme, fold, sample) whose role is not `none`: scheme `cv` (fold 1…K), `wf`
 * (step 1…S; samples after a step's test window are left out) and `final` (fold 1: the final fit's
 * train, valid and valid_purged). `row` is the sample's index in the kind's dataset; t0/t1 are UTC.
 */
export function foldRolesTable(plans: readonly KindPlan[]): TableColumn[] {
  const kind: string[] = [];
  const scheme: string[] = [];
  const fold: number[] = [];
  const row: number[] = [];
  const pairId: string[] = [];
  const t0: number[] = [];
  const t1: number[] = [];
  const y: number[] = [];
  const role: string[] = [];
  for (const plan of plans) {
    const { data } = plan;
    const finalRoles = new Uint8Array(data.y.length).fill(FOLD_ROLE.validPurged);
    for (const i of plan.final.train) finalRoles[i] = FOLD_ROLE.train;
    for (const i of plan.final.valid) finalRoles[i] = FOLD_ROLE.valid;
    const sets: Array<[string, Uint8Array[]]> = [
      ['cv', plan.kFold.folds.map((f) => f.roles)],
      ['wf', plan.walkForward.steps.map((s) => s.roles)],
      ['final', [finalRoles]],
    ];
    for (const [name, rolesOfFolds] of sets)
      rolesOfFolds.forEach((roles, f) => {
        for (let i = 0; i < roles.length; i++) {
          if (roles[i] === FOLD_ROLE.none) continue;
          kind.push(plan.kind);
          scheme.push(name);
          fold.push(f + 1);
          row.push(i);
          pairId.push(plan.pairIds[data.pair[i]!]!);
          t0.push(data.t0[i]!);
          t1.push(data.t1[i]!);
          y.push(data.y[i]!);
          role.push(FOLD_ROLE_NAMES[roles[i]!]!);
        }
      });
  }
  return [
    { name: 'kind', kind: 'varchar', values: kind },
    { name: 'scheme', kind: 'varchar', values: scheme },
    { name: 'fold', kind: 'double', values: fold },
    { name: 'row', kind: 'double', values: row },
    { name: 'pair_id', kind: 'varchar', values: pairId },
    { name: 't0', kind: 'timestamp', values: t0 },
    { name: 't1', kind: 'timestamp', values: t1 },
    { name: 'y', kind: 'double', values: y },
    { name: 'role', kind: 'varchar', values: role },
  ];
}
