// The Git port over the git executable (node:child_process): plumbing only, so a proposal's branch, a merge
// commit or a rollback commit is made without a checkout, and a checked-out branch moves like a fast-forward.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PtError } from '../../core/ptError.js';
import type { GitFile, GitIdentity, GitMergeResult, GitPort } from '../../ports/git.js';

interface GitRun {
  code: number;
  stdout: Buffer;
  stderr: string;
}

const ZERO_OID = '0000000000000000000000000000000000000000';

function identityEnv(who: GitIdentity): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: who.name,
    GIT_AUTHOR_EMAIL: who.email,
    GIT_COMMITTER_NAME: who.name,
    GIT_COMMITTER_EMAIL: who.email,
  };
}

export class ExecGit implements GitPort {
  readonly repoDir: string;

  constructor(repoDir: string) {
    this.repoDir = resolve(repoDir);
  }

  /** Runs git in repoDir; `ok` lists the exit codes that are answers rather than failures. */
  private run(
    args: string[],
    o: { input?: Uint8Array | string; env?: Record<string, string>; ok?: number[] } = {},
  ): Promise<GitRun> {
    // A caller's GIT_DIR / GIT_INDEX_FILE (a hook, a script) must not redirect the workflow to another repository.
    const { GIT_DIR: _d, GIT_WORK_TREE: _w, GIT_INDEX_FILE: _i, ...inherited } = process.env;
    return new Promise((done, fail) => {
      const child = spawn('git', args, {
        cwd: this.repoDir,
        env: { ...inherited, LC_ALL: 'C', ...o.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e) =>
        fail(new PtError('OPS_CONFIG_GIT', `cannot run git: ${e.message}`, { source: 'git', cause: e })),
      );
      child.on('close', (code) => {
        const r = { code: code ?? -1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8').trim() };
        if (r.code === 0 || (o.ok ?? []).includes(r.code)) done(r);
        else
          fail(
            new PtError('OPS_CONFIG_GIT', `git ${args[0]} failed in ${this.repoDir}: ${r.stderr || `exit ${r.code}`}`, {
              source: 'git',
              details: { args, exit: r.code },
            }),
          );
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(o.input ?? '');
    });
  }

  private async text(args: string[], o: Parameters<ExecGit['run']>[1] = {}): Promise<string> {
    return (await this.run(args, o)).stdout.toString('utf8').trim();
  }

  async commonDir(): Promise<string> {
    return resolve(this.repoDir, await this.text(['rev-parse', '--git-common-dir']));
  }

  async resolve(ref: string): Promise<string | undefined> {
    const r = await this.run(['rev-parse', '-q', '--verify', `${ref}^{commit}`], { ok: [1, 128] });
    return r.code === 0 ? r.stdout.toString('utf8').trim() : undefined;
  }

  async listFiles(commit: string, dir: string): Promise<GitFile[]> {
    const r = await this.run(['ls-tree', '-r', '-z', '--full-tree', commit, '--', `${dir}/`]);
    const prefix = `${dir}/`;
    const files: GitFile[] = [];
    for (const rec of r.stdout.toString('utf8').split('\0')) {
      const m = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(rec);
      if (!m || m[2] !== 'blob' || !m[4]!.startsWith(prefix)) continue;
      files.push({ path: m[4]!.slice(prefix.length), blob: m[3]! });
    }
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async readBlob(blob: string): Promise<Buffer> {
    return (await this.run(['cat-file', 'blob', blob])).stdout;
  }

  async commitFolder(o: {
    base: string;
    dir: string;
    files: ReadonlyMap<string, Uint8Array>;
    parents: string[];
    message: string;
    author: GitIdentity;
  }): Promise<string> {
    // A private index: the repository's own index (and its checkout) stay as they are.
    const index = join(tmpdir(), `pt-git-index-${process.pid}-${randomBytes(6).toString('hex')}`);
    const env = { GIT_INDEX_FILE: index };
    try {
      await this.run(['read-tree', o.base], { env });
      await this.run(['rm', '-r', '-q', '--cached', '--ignore-unmatch', '--', o.dir], { env });
      let info = '';
      for (const [path, bytes] of o.files) {
        const blob = await this.text(['hash-object', '-w', '--stdin'], { input: bytes });
        info += `100644 ${blob}\t${o.dir}/${path}\n`;
      }
      if (info) await this.run(['update-index', '--add', '--index-info'], { env, input: info });
      const tree = await this.text(['write-tree'], { env });
      return await this.commitTree({ tree, parents: o.parents, message: o.message, author: o.author });
    } finally {
      await rm(index, { force: true });
    }
  }

  async mergeTrees(ours: string, theirs: string): Promise<GitMergeResult> {
    const r = await this.run(['merge-tree', '--write-tree', '--name-only', '--no-messages', ours, theirs], {
      ok: [1],
    });
    const lines = r.stdout.toString('utf8').split('\n').filter(Boolean);
    if (r.code === 0) return { tree: lines[0]! };
    return { conflicts: [...new Set(lines.slice(1))] };
  }

  async commitTree(o: { tree: string; parents: string[]; message: string; author: GitIdentity }): Promise<string> {
    return this.text(['commit-tree', o.tree, ...o.parents.flatMap((p) => ['-p', p]), '-F', '-'], {
      input: o.message,
      env: identityEnv(o.author),
    });
  }

  async treeOf(commit: string): Promise<string> {
    return this.text(['rev-parse', `${commit}^{tree}`]);
  }

  async moveBranch(branch: string, sha: string, expected: string | null): Promise<void> {
    const ref = `refs/heads/${branch}`;
    const head = await this.run(['symbolic-ref', '-q', 'HEAD'], { ok: [1] });
    const bare = (await this.text(['rev-parse', '--is-bare-repository'])) === 'true';
    const checkedOut = !bare && expected !== null && head.stdout.toString('utf8').trim() === ref;
    if (checkedOut) {
      // As a checkout would: the two-tree merge refuses to overwrite a local edit of a path that changes.
      await this.run(['update-index', '-q', '--refresh'], { ok: [1] });
      await this.run(['read-tree', '-m', '-u', expected, sha]);
    }
    try {
      await this.run(['update-ref', '-m', 'pt config', ref, sha, expected ?? ZERO_OID]);
    } catch (e) {
      if (checkedOut) await this.run(['read-tree', '-m', '-u', sha, expected]);
      throw e;
    }
  }

  async createTag(o: { name: string; sha: string; message: string; author: GitIdentity }): Promise<void> {
    await this.run(['tag', '-a', o.name, o.sha, '-F', '-'], { input: o.message, env: identityEnv(o.author) });
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return (await this.run(['merge-base', '--is-ancestor', ancestor, descendant], { ok: [1] })).code === 0;
  }
}
