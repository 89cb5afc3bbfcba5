// Which module registers each top-level command, so a run loads only the one it needs.
//
// `coffer store` runs for days: loading the sync engine and the AWS SDK it never calls would cost
// it about 17 MB of memory for its whole life. Help, a typo or no command at all load every module,
// so commander still lists them all and suggests the nearest name.
import type { Command } from 'commander';

export type CommandRegistrar = (program: Command, io: { out: (line: string) => void }) => void;
type Loader = () => Promise<CommandRegistrar>;

const store: Loader = async () => (await import('../store/storeCommands.js')).registerStoreCommands;
const kms: Loader = async () => (await import('../kms/kmsCommands.js')).registerKmsCommands;
const audit: Loader = async () => (await import('../audit/auditCommands.js')).registerAuditCommands;
const agent: Loader = async () => (await import('../runtime/agentCommand.js')).registerAgentCommand;
const folders: Loader = async () => (await import('../folders/folderCommands.js')).registerFolderCommands;
const vault: Loader = async () => (await import('../vault/vaultCommands.js')).registerVaultCommands;

/** Every loader, in the order help lists their commands. */
export const ALL_COMMAND_MODULES: readonly Loader[] = [store, kms, audit, agent, folders, vault];

/** Top-level command name -> the module that registers it (tested against what each module registers). */
export const COMMAND_MODULE: Readonly<Record<string, Loader>> = {
  store,
  kms,
  audit,
  agent,
  folder: folders,
  status: folders,
  'sync-now': folders,
  vault,
  keys: vault,
};

/** The modules to load for a command line whose first argument is `first`. */
export function commandModulesFor(first: string | undefined): readonly Loader[] {
  const one = first !== undefined && Object.hasOwn(COMMAND_MODULE, first) ? COMMAND_MODULE[first] : undefined;
  return one ? [one] : ALL_COMMAND_MODULES;
}
