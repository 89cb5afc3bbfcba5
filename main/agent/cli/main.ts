// The `coffer` command line: parses arguments and dispatches to the agent's commands.
import { Command, CommanderError } from 'commander';
import { commandModulesFor, type CommandRegistrar } from './commandTable.js';

async function buildProgram(argv: readonly string[], io: { out: (line: string) => void }): Promise<Command> {
  const program = new Command('coffer')
    .description('Coffer: encrypted folder sync with an embedded S3-compatible store')
    .exitOverride()
    .enablePositionalOptions()
    .showHelpAfterError();
  const registrars: CommandRegistrar[] = await Promise.all(commandModulesFor(argv[2]).map((load) => load()));
  for (const register of registrars) register(program, io);
  return program;
}

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: readonly string[], io = { out: (line: string) => void process.stdout.write(`${line}\n`) }): Promise<number> {
  try {
    const program = await buildProgram(argv, io);
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    process.stderr.write(`coffer: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
