// The `coffer` command line: parses arguments and dispatches to the agent's commands.
import { Command, CommanderError } from 'commander';
import { registerAuditCommands } from '../audit/auditCommands.js';
import { registerFolderCommands } from '../folders/folderCommands.js';
import { registerKmsCommands } from '../kms/kmsCommands.js';
import { registerAgentCommand } from '../runtime/agentCommand.js';
import { registerStoreCommands } from '../store/storeCommands.js';
import { registerVaultCommands } from '../vault/vaultCommands.js';

function buildProgram(io: { out: (line: string) => void }): Command {
  const program = new Command('coffer')
    .description('Coffer: encrypted folder sync with an embedded S3-compatible store')
    .exitOverride()
    .enablePositionalOptions()
    .showHelpAfterError();

  registerStoreCommands(program, io);
  registerKmsCommands(program, io);
  registerAuditCommands(program, io);
  registerAgentCommand(program, io);
  registerFolderCommands(program, io);
  registerVaultCommands(program, io);

  return program;
}

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: readonly string[], io = { out: (line: string) => void process.stdout.write(`${line}\n`) }): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    process.stderr.write(`coffer: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
