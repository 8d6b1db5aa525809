// What each sample is in one fold or walk-forward step: the codes of a fold's `roles` array.

/** Role codes; `none` marks samples a walk-forward step does not use (those after its test window). */
export const FOLD_ROLE = {
  none: 0,
  train: 1,
  valid: 2,
  test: 3,
  /** Meets the test block's purge window [block start − purgeBars, block end]. */
  purged: 4,
  /** Starts within embargoBars bars after the test block. */
  embargoed: 5,
  /** Dropped from train because it meets the validation set's purge window. */
  validPurged: 6,
  /** Starts within embargoBars bars after the validation set (only when validation follows the test block). */
  validEmbargoed: 7,
} as const;

export type FoldRole = (typeof FOLD_ROLE)[keyof typeof FOLD_ROLE];

/** Names of the role codes, as `--out-folds` writes them (index = code). */
export const FOLD_ROLE_NAMES = [
  'none',
  'train',
  'valid',
  'test',
  'purged',
  'embargoed',
  'valid_purged',
  'valid_embargoed',
] as const;

export type FoldRoleCounts = Record<Exclude<(typeof FOLD_ROLE_NAMES)[number], 'none'>, number>;

/** How many samples hold each role. */
export function countRoles(roles: Uint8Array): FoldRoleCounts {
  const c = new Float64Array(FOLD_ROLE_NAMES.length);
  for (let i = 0; i < roles.length; i++) c[roles[i]!]!++;
  return {
    train: c[FOLD_ROLE.train]!,
    valid: c[FOLD_ROLE.valid]!,
    test: c[FOLD_ROLE.test]!,
    purged: c[FOLD_ROLE.purged]!,
    embargoed: c[FOLD_ROLE.embargoed]!,
    valid_purged: c[FOLD_ROLE.validPurged]!,
    valid_embargoed: c[FOLD_ROLE.validEmbargoed]!,
  };
}
