// One channel's deliveries: a bounded FIFO drained in the background, one request in flight, each
// bounded by a timeout; no retries (a receiver that is down would turn them into a storm). When the
// queue is full the oldest body is dropped: the newest says most about now.
import type { AlertOutcome } from '../observability/alertMetrics.js';
import type { AlertChannel } from '../ports/alerts.js';

export interface DeliveryStats {
  ok: number;
  failed: number;
  timeout: number;
  dropped: number;
}

/** Why a body never arrived: the receiver's answer or errno code, the timeout, a full queue, or close. */
export interface DeliveryFailure {
  outcome: AlertOutcome | 'dropped' | 'cancelled';
  why: string;
}

/** Hears how a body ended: nothing when it arrived, else the failure (once, whatever the cause). */
export type DeliveryDone = (failure?: DeliveryFailure) => void;

/** The counters of what happened to the bodies, per channel. */
export interface DeliveryEvents {
  outcome(channel: string, outcome: AlertOutcome): void;
  dropped(channel: string): void;
}

/**
 * What an error says without the request (the URL holds the secret): a status, an errno code, a
 * cause of a few plain words (fetch's `bad port`: nothing in it can be a host or path), else a name.
 */
export function safeReason(e: unknown): string {
  if (!(e instanceof Error)) return 'error';
  const cause = e.cause as { code?: unknown; message?: unknown } | undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string' && /^[a-z][a-z ]{0,39}$/i.test(cause.message)) return cause.message;
  return /^HTTP \d{3}$/.test(e.message) ? e.message : e.name;
}

export class DeliveryQueue {
  readonly stats: DeliveryStats = { ok: 0, failed: 0, timeout: 0, dropped: 0 };
  private readonly items: Array<{ body: object; done: DeliveryDone | undefined }> = [];
  private running = false;
  private waiters: Array<() => void> = [];

  constructor(
    readonly channel: AlertChannel,
    private readonly max: number,
    private readonly timeoutMs: number,
    private readonly closing: AbortSignal,
    private readonly events: DeliveryEvents,
  ) {}

  get length(): number {
    return this.items.length;
  }

  /** O(1) for the caller: the request goes out later, from the event loop; `done` hears whether it arrived. */
  push(body: object, done?: DeliveryDone): void {
    if (this.closing.aborted) {
      done?.({ outcome: 'cancelled', why: 'not sent: alerts already closed' });
      return;
    }
    if (this.items.length >= this.max) {
      this.items.shift()!.done?.({ outcome: 'dropped', why: `dropped: ${this.max} newer alerts queued` });
      this.stats.dropped++;
      this.events.dropped(this.channel.name);
    }
    this.items.push({ body, done });
    if (!this.running) {
      this.running = true;
      setImmediate(() => void this.drain());
    }
  }

  /** Resolves when the queue is empty and nothing is in flight. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Forgets what is queued (close). */
  clear(): void {
    for (const item of this.items.splice(0)) item.done?.({ outcome: 'cancelled', why: 'not sent before close' });
  }

  private async drain(): Promise<void> {
    try {
      for (let item = this.items.shift(); item !== undefined && !this.closing.aborted; item = this.items.shift()) {
        const timer = AbortSignal.timeout(this.timeoutMs);
        try {
          await this.channel.send(item.body, AbortSignal.any([timer, this.closing]));
          this.stats.ok++;
          this.events.outcome(this.channel.name, 'ok');
          item.done?.();
        } catch (e) {
          const outcome: AlertOutcome = timer.aborted ? 'timeout' : 'failed';
          this.stats[outcome]++;
          this.events.outcome(this.channel.name, outcome);
          item.done?.(
            outcome === 'timeout'
              ? { outcome, why: `timeout (no answer in ${this.timeoutMs} ms)` }
              : this.closing.aborted
                ? { outcome: 'cancelled', why: 'cancelled in flight at close' }
                : { outcome, why: safeReason(e) },
          );
        }
      }
    } finally {
      this.running = false;
      const w = this.waiters;
      this.waiters = [];
      for (const resolve of w) resolve();
    }
  }
}
