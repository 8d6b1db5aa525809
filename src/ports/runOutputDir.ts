// The RunOutputDir port: a run's own output folder (pt bt run --out), refused when another run's
// files are there unless the caller asked to replace them.

/**
 * Makes `dir` ready for a run's outputs: an absent or empty folder is fine; a non-empty one is
 * refused (BT_OUT_EXISTS) unless `force`, which first removes the names in `ownNames` (and their
 * leftover temp files) and nothing else.
 */
export type PrepareRunOutputDir = (dir: string, ownNames: readonly string[], force: boolean) => Promise<void>;
