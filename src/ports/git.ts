// The Git port: the few repository operations the config workflow needs (pt config propose … rollback),
// so the workflow holds the rules and the adapter alone runs git.

/** Who a commit or tag names (author and committer alike). */
export interface GitIdentity {
  name: string;
  email: string;
}

/** A file of a commit, its path relative to the folder listed. */
export interface GitFile {
  path: string;
  /** The blob's object id. */
  blob: string;
}

export type GitMergeResult = { tree: string } | { conflicts: string[] };

export interface GitPort {
  /** The repository's working folder (where its `config/` is checked out). */
  readonly repoDir: string;
  /** The shared git directory (`git rev-parse --git-common-dir`), absolute. */
  commonDir(): Promise<string>;
  /** The commit a ref names, or undefined when there is no such ref. */
  resolve(ref: string): Promise<string | undefined>;
  /** Every file (recursively) under `dir` in `commit`, sorted by path; empty when the folder is absent. */
  listFiles(commit: string, dir: string): Promise<GitFile[]>;
  readBlob(blob: string): Promise<Buffer>;
  /**
   * A new commit (not on any branch yet) whose tree is `base`'s with the folder `dir` replaced by
   * exactly `files` (path relative to `dir` → bytes), with `parents` as its parents.
   */
  commitFolder(o: {
    base: string;
    dir: string;
    files: ReadonlyMap<string, Uint8Array>;
    parents: string[];
    message: string;
    author: GitIdentity;
  }): Promise<string>;
  /** The three-way merge of two commits (their merge base found by git) as a tree, or the conflicting paths. */
  mergeTrees(ours: string, theirs: string): Promise<GitMergeResult>;
  commitTree(o: { tree: string; parents: string[]; message: string; author: GitIdentity }): Promise<string>;
  /** The tree of `commit` (the root tree) as an object id. */
  treeOf(commit: string): Promise<string>;
  /**
   * Points `refs/heads/<branch>` at `sha` only if it still points at `expected` (null: must not exist).
   * When that branch is checked out in `repoDir`, its index and working tree follow the move, and
   * the move is refused when a local edit there would be overwritten.
   */
  moveBranch(branch: string, sha: string, expected: string | null): Promise<void>;
  /** An annotated tag; refused when it exists. */
  createTag(o: { name: string; sha: string; message: string; author: GitIdentity }): Promise<void>;
  /** True when `ancestor` is `descendant` or one of its ancestors. */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
}
