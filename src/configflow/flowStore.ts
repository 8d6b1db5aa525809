// Where the workflow's state lives: one JSON file per proposal and applied.json, in a folder of the git
// directory, written atomically; every change is made under one inter-process lock of that folder.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDirDurable, writeFileAtomic } from '../core/durableFs.js';
import { acquireFileLock } from '../core/fileLock.js';
import { PtError } from '../core/ptError.js';
import type { AppliedState, ConfigFlowContext, ConfigProposal } from './flowTypes.js';

export const PROPOSAL_ID = /^cfg-[1-9]\d*$/;

export async function stateDirOf(ctx: ConfigFlowContext): Promise<string> {
  return ctx.stateDir ?? join(await ctx.git.commonDir(), 'pt-config-workflow');
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export class FlowStore {
  private constructor(readonly dir: string) {}

  static async open(ctx: ConfigFlowContext): Promise<FlowStore> {
    const dir = await stateDirOf(ctx);
    await ensureDirDurable(join(dir, 'proposals'));
    return new FlowStore(dir);
  }

  /** Runs `fn` holding the workflow's lock: one change at a time, across processes (the CLI and pt serve). */
  async locked<T>(fn: () => Promise<T>): Promise<T> {
    const lock = await acquireFileLock(this.dir, 'configflow', { label: `config workflow ${this.dir}`, pollMs: 50 });
    try {
      return await fn();
    } finally {
      await lock.release();
    }
  }

  private proposalPath(id: string): string {
    return join(this.dir, 'proposals', `${id}.json`);
  }

  async proposal(id: string): Promise<ConfigProposal> {
    const p = PROPOSAL_ID.test(id) ? await readJson<ConfigProposal>(this.proposalPath(id)) : undefined;
    if (!p)
      throw new PtError('OPS_CONFIG_UNKNOWN', `no config proposal ${JSON.stringify(id)} (pt config audit lists them)`, {
        source: 'configflow',
        details: { id },
      });
    return p;
  }

  async proposals(): Promise<ConfigProposal[]> {
    const names = (await readdir(join(this.dir, 'proposals'))).filter((n) => /^cfg-\d+\.json$/.test(n));
    const out: ConfigProposal[] = [];
    for (const n of names) {
      const p = await readJson<ConfigProposal>(join(this.dir, 'proposals', n));
      if (p) out.push(p);
    }
    return out.sort((a, b) => Number(a.id.slice(4)) - Number(b.id.slice(4)));
  }

  /** The next free id; call it under the lock. */
  async nextId(): Promise<string> {
    const all = await this.proposals();
    return `cfg-${all.reduce((m, p) => Math.max(m, Number(p.id.slice(4))), 0) + 1}`;
  }

  async save(p: ConfigProposal): Promise<void> {
    await writeFileAtomic(this.proposalPath(p.id), `${JSON.stringify(p, null, 2)}\n`);
  }

  async applied(): Promise<AppliedState> {
    return (await readJson<AppliedState>(join(this.dir, 'applied.json'))) ?? { baseline_sha: null, versions: [] };
  }

  async saveApplied(s: AppliedState): Promise<void> {
    await writeFileAtomic(join(this.dir, 'applied.json'), `${JSON.stringify(s, null, 2)}\n`);
  }
}
