// The RunOutputDir port: a run's own output folder (pt bt run --out), refused when another run's
// files are there unless the caller asked to replace them.

export interface RunOutputDir {
  /**
   * Before any work: an absent or empty folder is fine; a path that is not a folder, or a non-empty
   * folder without `force`, is refused (BT_OUT_EXISTS).
   */
  check(dir: string, force: boolean): Promise<void>;
  /** Just before writing (with `force`): removes the names in `ownNames`, and their leftover temp files, nothing else. */
  removeOwn(dir: string, ownNames: readonly string[]): Promise<void>;
}
