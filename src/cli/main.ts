// CLI entry: parse, run, and turn any failure into one line `ERROR <ID>: <message>` with a non-zero exit.
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { isPtError, PtError } from '../core/ptError.js';
import { isDebug } from '../core/logger.js';

/** Runs pt with `argv` (as process.argv) and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  // `pt dq | head` closes stdout early: that is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  let exitCode = 0;
  const program = buildProgram({
    writeOut: (t) => process.stdout.write(t),
    writeErr: (t) => process.stderr.write(t),
    onExit: (code) => {
      exitCode = code;
    },
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version exit 0; a group named without its subcommand has shown its help and exits 2.
    if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version')
      return 0;
    if (error.code === 'commander.help') return 2;
    const message = error.message.replace(/^error: /, '');
    process.stderr.write(`ERROR CORE_CLI_USAGE: ${message} (see pt --help)\n`);
    return 2;
  }
  const ptError = isPtError(error)
    ? error
    : new PtError('CORE_INTERNAL_BUG', error instanceof Error ? error.message : String(error), { cause: error });
  process.stderr.write(`ERROR ${ptError.id}: ${ptError.message}\n`);
  if (isDebug()) {
    const stack =
      ptError.id === 'CORE_INTERNAL_BUG' && ptError.cause instanceof Error ? ptError.cause.stack : ptError.stack;
    process.stderr.write(`${stack ?? ''}\n`);
  }
  return ptError.exitCode;
}
