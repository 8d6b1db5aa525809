// Where pt monitor reads from: the bus's control, reopened after a failure, keeping the last good snapshot.
import { isPtError } from '../core/ptError.js';
import type { OpsControl } from '../ports/opsControl.js';
import { MonitorHistory } from './monitorHistory.js';
import type { MonitorSettings } from './monitorSettings.js';
import { loadMonitorState, type MonitorState } from './monitorState.js';

/** What the screen draws: the last good state, and whether the bus failed since. */
export interface MonitorFeed {
  /** Undefined until the first read succeeds. */
  state?: MonitorState;
  /** Set while the bus does not answer: the state shown is `lastGoodAtMs` old. */
  down?: { message: string; lastGoodAtMs?: number };
  history: MonitorHistory;
}

export interface MonitorSourceOptions {
  /** Opens the control (RedisOpsControl.open, or a FileOpsControl): called again after each failure. */
  open: () => Promise<OpsControl>;
  /** The bus as the banner names it: `Redis redis://…@host:6379` (redacted) or the ops folder. */
  label: string;
  kind: 'redis' | 'files';
  settings: MonitorSettings;
  now?: () => number;
}

export class MonitorSource {
  private control: OpsControl | undefined;
  private readonly now: () => number;
  readonly history = new MonitorHistory();
  private feed: MonitorFeed = { history: this.history };

  constructor(readonly o: MonitorSourceOptions) {
    this.now = o.now ?? Date.now;
  }

  /** One refresh: never throws; a failure keeps the last state and says the bus is down. */
  async poll(): Promise<MonitorFeed> {
    try {
      const state = await this.withControl((c) => loadMonitorState(c, this.o.settings, this.now()));
      this.history.record(state);
      this.feed = { state, history: this.history };
    } catch (e) {
      this.feed = {
        ...this.feed,
        down: {
          message: isPtError(e) ? `${e.id}: ${e.message}` : e instanceof Error ? e.message : String(e),
          ...(this.feed.state ? { lastGoodAtMs: this.feed.state.takenAtMs } : {}),
        },
      };
    }
    return this.feed;
  }

  /** Runs `fn` on the open control (opening it first); a failure closes it so the next call reconnects. */
  async withControl<T>(fn: (control: OpsControl) => Promise<T>): Promise<T> {
    try {
      this.control ??= await this.o.open();
      return await fn(this.control);
    } catch (e) {
      // A refusal (a resume guard, a bad flag) is an answer; anything else may be a dead connection.
      if (isPtError(e) && e.id !== 'OPS_BUS_DOWN') throw e;
      const c = this.control;
      this.control = undefined;
      await c?.close().catch(() => undefined);
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.control?.close().catch(() => undefined);
    this.control = undefined;
  }
}
