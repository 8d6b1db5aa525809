// pt serve's backtests: queued in this process and run one at a time (a backtest takes a core; the
// server keeps answering meanwhile). Each run writes to its own folder, named by its id.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { isPtError } from '../core/ptError.js';
import { ApiError } from './apiError.js';

export type BtRunStateName = 'queued' | 'running' | 'done' | 'failed';

export interface BtRunState {
  run_id: string;
  state: BtRunStateName;
  submitted_at: string;
  started_at?: string;
  finished_at?: string;
  submitted_by?: string;
  dir: string;
  backtest_run_id?: string;
  model_version?: string;
  period?: string;
  error?: { id: string; message: string };
}

/** What a finished job reports about itself. */
export interface BtJobOutcome {
  runId: string;
  modelVersion: string;
  period: string;
}

/** One backtest into `outDir`; its errors end up in the run's state. */
export type BtJob = (outDir: string) => Promise<BtJobOutcome>;

export const BT_RUN_ID_PATTERN = /^[0-9a-f]{12}$/;

export class BtQueue {
  private readonly runs = new Map<string, BtRunState>();
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  /** runsDir: the parent of the runs' folders; maxQueued: runs waiting (not the running one) before UI_API_BUSY. */
  constructor(
    private readonly runsDir: string,
    private readonly maxQueued = 8,
    private readonly now: () => Date = () => new Date(),
  ) {}

  submit(job: BtJob, submittedBy?: string): BtRunState {
    if (this.waiting >= this.maxQueued)
      throw new ApiError(
        429,
        'UI_API_BUSY',
        `${this.waiting} backtests are queued already; try again when one is done`,
      );
    const id = randomBytes(6).toString('hex');
    const state: BtRunState = {
      run_id: id,
      state: 'queued',
      submitted_at: this.now().toISOString(),
      ...(submittedBy ? { submitted_by: submittedBy } : {}),
      dir: join(this.runsDir, id),
    };
    this.runs.set(id, state);
    this.waiting++;
    this.tail = this.tail.then(() => this.run(state, job));
    return { ...state };
  }

  private async run(state: BtRunState, job: BtJob): Promise<void> {
    this.waiting--;
    state.state = 'running';
    state.started_at = this.now().toISOString();
    try {
      const r = await job(state.dir);
      Object.assign(state, { backtest_run_id: r.runId, model_version: r.modelVersion, period: r.period });
      state.state = 'done';
    } catch (e) {
      state.state = 'failed';
      state.error = isPtError(e)
        ? { id: e.id, message: e.message }
        : { id: 'UI_API_INTERNAL', message: e instanceof Error ? e.message : String(e) };
    }
    state.finished_at = this.now().toISOString();
  }

  get(id: string): BtRunState | undefined {
    const s = this.runs.get(id);
    return s ? { ...s } : undefined;
  }

  /** Resolves once every run submitted so far has ended (tests, shutdown). */
  async idle(): Promise<void> {
    let seen;
    do {
      seen = this.tail;
      await seen;
    } while (seen !== this.tail);
  }
}
