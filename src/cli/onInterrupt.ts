// Ctrl-C or a stop: one ERROR line, no half-written output, the conventional exit code (128 + signal).
import { removeOwnTempsSync } from '../core/durableFs.js';
import { PtError } from '../core/ptError.js';

const SIGNALS: ReadonlyArray<[NodeJS.Signals, number]> = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
];

/** For one-shot commands: on SIGINT or SIGTERM, remove this process's temp files, say so, and exit. */
export function installInterruptHandlers(write: (text: string) => void = (t) => process.stderr.write(t)): void {
  for (const [signal, code] of SIGNALS) {
    process.once(signal, () => {
      const removed = removeOwnTempsSync();
      const e = new PtError(
        'CORE_CLI_SIGNAL',
        `interrupted by ${signal}; ${removed > 0 ? `${removed} unfinished output file(s) removed, ` : ''}finished outputs are kept`,
        { source: 'cli', exitCode: code },
      );
      write(`ERROR ${e.id}: ${e.message}\n`);
      process.exit(e.exitCode);
    });
  }
}
