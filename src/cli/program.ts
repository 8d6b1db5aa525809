// Builds the commander program from the command table; parsing has no side effects beyond calling actions.
import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { COMMANDS, type CommandSpec } from './commandTable.js';
import { PtError } from '../core/ptError.js';
import { unknownLogLevel } from '../core/logger.js';

export interface ProgramIo {
  writeOut: (text: string) => void;
  writeErr: (text: string) => void;
  /** Receives the runner's exit code. */
  onExit: (code: number) => void;
  /**
   * Runs a parsed command with its raw options; by default loads the command's runner from the table.
   * Tests pass their own to see what commander parsed without running anything.
   */
  dispatch?: (spec: CommandSpec, options: Record<string, unknown>) => Promise<number>;
}

function notImplemented(spec: CommandSpec): never {
  throw new PtError('CORE_CLI_NOTIMPL', `${spec.path.join(' ')} is not implemented yet`, {
    source: 'cli',
    exitCode: 2,
  });
}

/** package.json's version: two folders up from both src/cli/program.ts (tests) and dist/cli/program.js. */
export const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

async function loadAndRun(spec: CommandSpec, options: Record<string, unknown>): Promise<number> {
  if (!spec.load) notImplemented(spec);
  const run = await spec.load();
  return run(options);
}

function addCommand(parent: Command, spec: CommandSpec, name: string, io: ProgramIo): void {
  const cmd = parent.command(name).description(spec.summary);
  for (const a of spec.args ?? []) cmd.argument(a);
  for (const o of spec.options) {
    const option = new Option(o.flags, o.description);
    if (o.defaultValue !== undefined) option.default(o.defaultValue);
    cmd.addOption(option);
  }
  // Required options are checked in the action, not by commander's mandatory flag: commander checks
  // those before unknown options, so a typo (`--sourc csv`) read "required option '--source'".
  const required = spec.options
    .filter((o) => o.required)
    .map((o) => ({ flags: o.flags, key: new Option(o.flags).attributeName() }));
  // Program options are positional (so `--version <v>` can belong to a command); these hidden copies
  // keep `pt <cmd> … -c DIR` and `pt <cmd> --version` working as before.
  cmd.addOption(new Option('-c, --config-dir <dir>').hideHelp());
  if (!spec.options.some((o) => /(^|[\s,])--version\b/.test(o.flags))) {
    cmd.addOption(new Option('-V, --version').hideHelp());
    cmd.on('option:version', () => {
      io.writeOut(`${VERSION}\n`);
      throw new CommanderError(0, 'commander.version', VERSION);
    });
  }
  cmd.addHelpText(
    'after',
    `\nExample${spec.examples.length > 1 ? 's' : ''}:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}\n`,
  );
  // commander passes the declared arguments first, then the options.
  cmd.action(async (...received: unknown[]) => {
    const count = spec.args?.length ?? 0;
    const options = received[count] as Record<string, unknown>;
    const badLevel = unknownLogLevel();
    if (badLevel !== undefined)
      io.writeErr(`warning: LOG_LEVEL=${badLevel} is not DEBUG, INFO, WARN or ERROR; it is ignored\n`);
    for (const r of required)
      if (options[r.key] === undefined)
        throw new PtError('CORE_CLI_USAGE', `required option '${r.flags}' not specified`, { exitCode: 2 });
    const args = spec.args
      ? {
          args: received
            .slice(0, count)
            .flat()
            .filter((v): v is string => typeof v === 'string'),
        }
      : {};
    io.onExit(await (io.dispatch ?? loadAndRun)(spec, { ...parent.optsWithGlobals(), ...options, ...args }));
  });
}

function groupCommand(root: Command, path: string[]): Command {
  let node = root;
  for (const part of path) {
    const existing = node.commands.find((c) => c.name() === part);
    node = existing ?? node.command(part).description(`${part} commands`);
  }
  return node;
}

export function buildProgram(io: ProgramIo): Command {
  const program = new Command('pt')
    .description(
      'pt — ML-assisted pairs trading: data, features, labels, models, backtests and live signals for MetaTrader 5',
    )
    .version(VERSION, '-V, --version')
    .option('-c, --config-dir <dir>', 'config folder (default: PT_CONFIG_DIR or ./config)')
    .enablePositionalOptions()
    .exitOverride();
  program.addHelpText(
    'after',
    '\nExamples:\n  $ pt config validate\n  $ pt ingest --source synthetic --symbols SYNA,SYNB --timeframe 1h --from 2022-01-01 --to 2025-01-01\n  $ pt bt run --help\n',
  );
  for (const spec of COMMANDS) {
    const parent = groupCommand(program, spec.path.slice(0, -1));
    addCommand(parent, spec, spec.path[spec.path.length - 1]!, io);
  }
  // main.ts prints usage errors as one `ERROR CORE_CLI_USAGE` line, so commander's own copy is muted.
  const output = { writeOut: io.writeOut, writeErr: io.writeErr, outputError: () => {} };
  for (const c of allCommands(program)) c.exitOverride().configureOutput(output);
  return program;
}

function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}
