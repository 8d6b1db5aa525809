// CLI entry: parse, run, and turn any failure into one line `ERROR <ID>: <message>` with a non-zero exit.
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { installInterruptHandlers } from './onInterrupt.js';
import { isPtError, PtError } from '../core/ptError.js';
import { isDebug } from '../core/logger.js';
import { fsErrorFrom } from '../core/fsError.js';
import { logFailure } from './logFailure.js';

/** Runs pt with `argv` (as process.argv) and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  installInterruptHandlers();
  // Debug stacks name the TypeScript sources (dist/ ships its source maps), not dist/*.js.
  if (isDebug()) process.setSourceMapsEnabled(true);
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
    const usage = new PtError(
      'CORE_CLI_USAGE',
      `${error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')} (see pt --help)`,
      {
        source: 'cli',
        exitCode: 2,
      },
    );
    process.stderr.write(`ERROR ${usage.id}: ${usage.message}\n`);
    logFailure(usage);
    return usage.exitCode;
  }
  // An errno error that reached here is the environment's (disk, permissions, a missing file), not a bug.
  const wrapped = !isPtError(error);
  const ptError = isPtError(error)
    ? error
    : (fsErrorFrom(error) ??
      new PtError('CORE_INTERNAL_BUG', error instanceof Error ? error.message : String(error), { cause: error }));
  process.stderr.write(`ERROR ${ptError.id}: ${ptError.message}\n`);
  logFailure(ptError);
  if (isDebug()) process.stderr.write(`${causeChain(wrapped ? ptError.cause : ptError)}\n`);
  return ptError.exitCode;
}

/** The stack of `error` and of every cause under it: a wrapper's stack alone hides where it failed. */
function causeChain(error: unknown): string {
  const stacks: string[] = [];
  for (let cur = error; cur !== undefined && stacks.length < 10; cur = cur instanceof Error ? cur.cause : undefined)
    stacks.push(cur instanceof Error ? (cur.stack ?? `${cur.name}: ${cur.message}`) : String(cur));
  return stacks.join('\ncaused by: ');
}
