// Signals of the long-lived `pt live`: SIGTERM/SIGINT end it after the current bar, SIGHUP asks for a reload.
import { removeOwnTempsSync } from '../core/durableFs.js';

export type StopSignal = 'SIGTERM' | 'SIGINT';

export interface LiveSignalHandlers {
  /** The first SIGTERM or SIGINT: stop taking bars, finish the one in hand, flush, exit 0 (and wake a loop idle until its next bar). */
  onTerm?: (signal: StopSignal) => void;
  /** Each SIGHUP: re-read θ, ops flags, the CURRENT pointer and config before the next bar. */
  onReload?: () => void;
}

export interface LiveSignals {
  /** The stop signal received, once one came. */
  readonly stopRequested: StopSignal | undefined;
  /** Whether a SIGHUP came since the last call (several between two bars count as one reload). */
  takeReload(): boolean;
  /** Removes these handlers and gives back the ones they stood in for. */
  dispose(): void;
}

const STOPS: ReadonlyArray<[StopSignal, number]> = [
  ['SIGTERM', 143],
  ['SIGINT', 130],
];

/**
 * Installs the handlers of a long-lived loop in place of the one-shot commands' (which exit at once;
 * see cli/onInterrupt.ts): they are set aside and restored by dispose(). A stop is only recorded and
 * reported, so the loop ends between bars and exits 0; a second stop signal while the first is
 * pending exits at once (128 + signal number, own temp files removed) for a bar that hangs. A SIGHUP
 * is recorded and reported; the loop reloads between bars.
 */
export function onLiveSignals(handlers: LiveSignalHandlers = {}): LiveSignals {
  let stop: StopSignal | undefined;
  let reload = false;
  const saved = new Map<NodeJS.Signals, Array<(...args: unknown[]) => void>>();
  const mine = new Map<NodeJS.Signals, () => void>();
  for (const [signal, code] of STOPS)
    mine.set(signal, () => {
      if (stop !== undefined) {
        removeOwnTempsSync();
        process.exit(code);
      }
      stop = signal;
      handlers.onTerm?.(signal);
    });
  mine.set('SIGHUP', () => {
    reload = true;
    handlers.onReload?.();
  });
  for (const [signal, listener] of mine) {
    saved.set(signal, process.rawListeners(signal) as Array<(...args: unknown[]) => void>);
    process.removeAllListeners(signal);
    process.on(signal, listener);
  }
  let disposed = false;
  return {
    get stopRequested() {
      return stop;
    },
    takeReload() {
      const was = reload;
      reload = false;
      return was;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const [signal, listener] of mine) {
        process.off(signal, listener);
        for (const l of saved.get(signal) ?? []) process.on(signal, l);
      }
    },
  };
}
