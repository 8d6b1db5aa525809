// Parses a pt command line through the real commander program, in process, and hands back the raw
// option record a runner would get (table defaults applied) instead of running the command.
import { buildProgram } from '../../../src/cli/program.js';
import type { CommandSpec } from '../../../src/cli/commandTable.js';

export interface ParsedArgv {
  spec: CommandSpec;
  raw: Record<string, unknown>;
}

/** `argv` without node and script: `['bt', 'run', '--rule-only']`. */
export async function parseArgv(argv: string[]): Promise<ParsedArgv> {
  let parsed: ParsedArgv | undefined;
  const out: string[] = [];
  const program = buildProgram({
    writeOut: (t) => out.push(t),
    writeErr: (t) => out.push(t),
    onExit: () => {},
    dispatch: async (spec, raw) => {
      parsed = { spec, raw };
      return 0;
    },
  });
  await program.parseAsync(['node', 'pt', ...argv]);
  if (!parsed) throw new Error(`no command ran for ${argv.join(' ')}: ${out.join('')}`);
  return parsed;
}
