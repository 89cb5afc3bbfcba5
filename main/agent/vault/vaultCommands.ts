// `coffer vault <subcommand>`, `coffer keys rotate` and `coffer keys rekey`: the client vault from the command line, flags and output.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { registerRekeyCommand } from '../keys/rekeyCommand.js';
import { viaAgent } from '../runtime/dataDirAccess.js';
import { existingPassphrase, terminalPrompt, type HiddenPrompt } from './passphraseInput.js';
import {
  changePassphrase,
  checkPassphrase,
  exportVaultBackup,
  importVaultBackup,
  initVault,
  recoverVaultFromKey,
  rotateVaultMasterKey,
  vaultStatus,
  type VaultCliContext,
} from './vaultActions.js';
import { recoveryKeyLines, statusLines, summaryText } from './vaultOutput.js';

export interface VaultCommandIo {
  out: (line: string) => void;
  /** Notes beside the output (default: stderr). */
  warn?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Asks for a passphrase with echo off (default: the terminal; fails without one). */
  prompt?: HiddenPrompt;
}

const DATA_DIR_HELP = 'the data directory holding vault.sqlite';

export function registerVaultCommands(program: Command, io: VaultCommandIo): void {
  const context = (dataDir: string): VaultCliContext => ({
    dataDir,
    input: { env: io.env ?? process.env, prompt: io.prompt ?? terminalPrompt() },
    warn: io.warn ?? ((line) => void process.stderr.write(`coffer: ${line}\n`)),
  });
  const print = (json: boolean, value: unknown, lines: string[]): void => {
    if (json) io.out(JSON.stringify(value));
    else for (const line of lines) io.out(line);
  };

  const vault = program
    .command('vault')
    .description(`the client vault: passphrase, recovery key, master keys and per-file keys (passphrases from COFFER_PASSPHRASE or a prompt)`);

  vault
    .command('init')
    .description('create the vault and print its recovery key, once')
    .requiredOption('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'print {"recoveryKey": …}', false)
    .action(async (opts: { dataDir: string; json: boolean }) => {
      const { file, recoveryKey } = await initVault(context(opts.dataDir));
      print(opts.json, { recoveryKey }, recoveryKeyLines(file, recoveryKey));
    });

  vault
    .command('unlock')
    .description('unlock the running agent\'s vault (with --check: only verify the passphrase, exit 0 or 1)')
    .requiredOption('--data-dir <dir>', DATA_DIR_HELP)
    .option('--check', 'only verify the passphrase; works without an agent', false)
    .option('--key-file <file>', 'unlock with a file holding the recovery key instead of the passphrase')
    .action(async (opts: { dataDir: string; check: boolean; keyFile?: string }) => {
      if (opts.check) {
        await checkPassphrase(context(opts.dataDir));
        return io.out('The passphrase opens the vault.');
      }
      // The key travels only over the agent's loopback control API, as a passphrase does.
      const request = opts.keyFile !== undefined ? { recoveryKey: readFileSync(opts.keyFile, 'utf8') } : { passphrase: await existingPassphrase(context(opts.dataDir).input) };
      const done = await viaAgent(opts.dataDir, 'vault.unlock', request);
      if (done === undefined) throw new Error('no agent is running for this data directory: the agent unlocks at start with COFFER_PASSPHRASE or COFFER_KEY_FILE, or use --check');
      io.out('The agent\'s vault is unlocked; folders that were waiting for it are starting.');
    });

  vault
    .command('lock')
    .description('lock the running agent\'s vault: keys are wiped from memory and folders that need them wait')
    .requiredOption('--data-dir <dir>', DATA_DIR_HELP)
    .action(async (opts: { dataDir: string }) => {
      const done = await viaAgent(opts.dataDir, 'vault.lock', {});
      if (done === undefined) throw new Error('no agent is running for this data directory (a vault at rest is always locked)');
      io.out('The agent\'s vault is locked.');
    });

  vault
    .command('passwd')
    .description('change the passphrase (old from COFFER_PASSPHRASE, new from COFFER_NEW_PASSPHRASE, or prompts); the recovery key stays')
    .requiredOption('--data-dir <dir>', DATA_DIR_HELP)
    .action(async (opts: { dataDir: string }) => {
      await changePassphrase(context(opts.dataDir));
      io.out('Passphrase changed. The recovery key is unchanged.');
    });

  vault
    .command('recover')
    .description('set up the vault on this machine from the recovery key, with a new passphrase')
    .requiredOption('--data-dir <dir>', DATA_DIR_HELP)
    .option('--recovery-key <key>', 'the recovery key (or set COFFER_RECOVERY_KEY, which stays out of the process list)')
    .action(async (opts: { dataDir: string; recoveryKey?: string }) => {
      const ctx = context(opts.dataDir);
      const key = opts.recoveryKey ?? ctx.input.env['COFFER_RECOVERY_KEY'];
      if (!key) throw new Error('--recovery-key: is required (or set COFFER_RECOVERY_KEY)');
      const { file } = await recoverVaultFromKey(ctx, key);
      io.out(`Recovered vault ${file}. It has no master key yet: it takes the keyring from the store when it first syncs.`);
    });

  vault
    .command('export')
    .description('write an encrypted backup of the whole vault (opens with the current passphrase or the recovery key)')
    .requiredOption('--data-dir <dir>', DATA_DIR_HELP)
    .requiredOption('--out <file>', 'the backup file to write (mode 0600)')
    .action(async (opts: { dataDir: string; out: string }) => {
      const summary = await exportVaultBackup(context(opts.dataDir), opts.out);
      io.out(`Wrote ${opts.out}: ${summaryText(summary)}.`);
    });

  vault
    .command('import')
    .description('restore the vault from a backup (passphrase from COFFER_PASSPHRASE or a prompt, or --recovery-key)')
    .requiredOption('--data-dir <dir>', DATA_DIR_HELP)
    .requiredOption('--in <file>', 'the backup file')
    .option('--recovery-key <key>', 'open the backup with the recovery key instead of the passphrase')
    .option('--force', 'replace an existing vault (stop any agent using it first)', false)
    .action(async (opts: { dataDir: string; in: string; force: boolean; recoveryKey?: string }) => {
      const { file, summary } = await importVaultBackup(context(opts.dataDir), opts.in, { force: opts.force, ...(opts.recoveryKey !== undefined ? { recoveryKey: opts.recoveryKey } : {}) });
      io.out(`Restored ${file} from ${opts.in}: ${summaryText(summary)}.`);
    });

  vault
    .command('status')
    .description('show whether a vault exists, its KDF cost, master key versions and counts (no passphrase, no secrets)')
    .requiredOption('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'print as JSON', false)
    .action((opts: { dataDir: string; json: boolean }) => {
      const status = vaultStatus(opts.dataDir);
      print(opts.json, status, statusLines(status));
    });

  const keys = program.command('keys').description('client key administration');
  keys
    .command('rotate')
    .description('add a new vault master key version and re-wrap every file key under it')
    .requiredOption('--data-dir <dir>', DATA_DIR_HELP)
    .option('--json', 'print {"id", "rewrapped", "previous"}', false)
    .action(async (opts: { dataDir: string; json: boolean }) => {
      const rotated = await rotateVaultMasterKey(context(opts.dataDir));
      print(opts.json, rotated, [`Rotated the vault master key: new version ${rotated.id}; re-wrapped ${rotated.rewrapped} file keys.`]);
    });
  registerRekeyCommand(keys, io);
}
