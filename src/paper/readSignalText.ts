// signal.json's text to a checked file, or why it is refused whole (a torn, invalid or impossible file).
import { validateSignalFile } from '../live/signal/validateSignalFile.js';
import type { SignalFile } from '../live/signal/signalTypes.js';
import { realInstantMs } from './realInstantMs.js';

/** The EA holds at most this many entries per file (PT_MAX_SIGNALS): a longer file is refused there too. */
export const MAX_SIGNALS = 32;

export type SignalRead = { ok: true; file: SignalFile } | { ok: false; error: string };

/**
 * What the EA's PtSignalReader accepts: exactly one JSON value that passes validateSignalFile (the schema and
 * each pair once), whose times name real instants and with at most MAX_SIGNALS entries.
 */
export function readSignalText(text: string): SignalRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
  try {
    validateSignalFile(value);
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  const impossible = impossibleTime(value);
  if (impossible !== undefined) return { ok: false, error: `${impossible} names no real instant` };
  if (value.signals.length > MAX_SIGNALS) return { ok: false, error: `more than ${MAX_SIGNALS} signals` };
  return { ok: true, file: value };
}

/** The path of the first time that matches the pattern but names no instant, if any. */
function impossibleTime(file: SignalFile): string | undefined {
  if (realInstantMs(file.generated_at) === undefined) return '/generated_at';
  for (const [i, s] of file.signals.entries()) {
    if (realInstantMs(s.bar_ts) === undefined) return `/signals/${i}/bar_ts`;
    if (s.expires_at !== null && realInstantMs(s.expires_at) === undefined) return `/signals/${i}/expires_at`;
  }
  return undefined;
}
