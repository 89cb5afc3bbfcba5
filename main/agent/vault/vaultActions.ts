// What each `coffer vault` and `coffer keys` command does to a data dir's vault; the commander wiring is in vaultCommands.ts.
import { existsSync } from 'node:fs';
import {
  createVault,
  importBackup,
  openVault,
  recoverVault,
  VaultExistsError,
  vaultPath,
  type BackupSummary,
  type KdfParams,
  type MasterKeyInfo,
  type Vault,
  type VaultOptions,
} from '../../core/keys/vault/index.js';
import { existingPassphrase, NEW_PASSPHRASE_ENV, newPassphrase, PASSPHRASE_ENV, type PassphraseInput } from './passphraseInput.js';
import { withVaultAudit } from './vaultAudit.js';

/** How the access history names what the command line does. */
export const CLI_PRINCIPAL = 'coffer-cli';

export interface VaultCliContext {
  dataDir: string;
  input: PassphraseInput;
  /** Notes for the user that are not the command's output (stderr). */
  warn: (line: string) => void;
  /** scrypt cost for new passphrases; default: calibrated on this machine. */
  kdf?: KdfParams;
}

async function withVaultOptions<T>(ctx: VaultCliContext, use: (options: VaultOptions) => Promise<T>): Promise<T> {
  return withVaultAudit(ctx.dataDir, ctx.input.env, ctx.warn, (onEvent) => use({ onEvent, principal: CLI_PRINCIPAL, ...(ctx.kdf ? { kdf: ctx.kdf } : {}) }));
}

/** Opens the vault (so a missing or damaged one is reported before any prompt), unlocks it with the passphrase, runs `use`, closes. */
async function withUnlockedVault<T>(ctx: VaultCliContext, use: (vault: Vault) => T | Promise<T>): Promise<T> {
  return withVaultOptions(ctx, async (options) => {
    const vault = openVault(ctx.dataDir, options);
    try {
      await vault.unlock(await existingPassphrase(ctx.input));
      return await use(vault);
    } finally {
      vault.close();
    }
  });
}

export async function initVault(ctx: VaultCliContext): Promise<{ file: string; recoveryKey: string }> {
  const file = vaultPath(ctx.dataDir);
  if (existsSync(file)) throw new VaultExistsError(file);
  const passphrase = await newPassphrase(ctx.input, PASSPHRASE_ENV);
  return withVaultOptions(ctx, async (options) => {
    const { vault, recoveryKey } = await createVault(ctx.dataDir, passphrase, options);
    vault.close();
    return { file, recoveryKey };
  });
}

/** Resolves when the passphrase opens the vault; WrongPassphraseError otherwise. */
export async function checkPassphrase(ctx: VaultCliContext): Promise<void> {
  await withUnlockedVault(ctx, () => undefined);
}

export async function changePassphrase(ctx: VaultCliContext): Promise<void> {
  await withVaultOptions(ctx, async (options) => {
    const vault = openVault(ctx.dataDir, options);
    try {
      const old = await existingPassphrase(ctx.input, 'Current vault passphrase: ');
      await vault.changePassphrase(old, await newPassphrase(ctx.input, NEW_PASSPHRASE_ENV));
    } finally {
      vault.close();
    }
  });
}

export async function recoverVaultFromKey(ctx: VaultCliContext, recoveryKey: string): Promise<{ file: string }> {
  const file = vaultPath(ctx.dataDir);
  if (existsSync(file)) throw new VaultExistsError(file);
  const passphrase = await newPassphrase(ctx.input, PASSPHRASE_ENV);
  return withVaultOptions(ctx, async (options) => {
    (await recoverVault(ctx.dataDir, recoveryKey, passphrase, options)).close();
    return { file };
  });
}

export async function exportVaultBackup(ctx: VaultCliContext, out: string): Promise<BackupSummary> {
  return withUnlockedVault(ctx, (vault) => vault.exportBackup(out));
}

export async function importVaultBackup(ctx: VaultCliContext, inFile: string, opts: { force: boolean; recoveryKey?: string }): Promise<{ file: string; summary: BackupSummary }> {
  const file = vaultPath(ctx.dataDir);
  if (!opts.force && existsSync(file)) throw new VaultExistsError(file);
  const secret = opts.recoveryKey !== undefined ? { recoveryKey: opts.recoveryKey } : { passphrase: await existingPassphrase(ctx.input, 'Passphrase of the backed-up vault: ') };
  return withVaultOptions(ctx, async (options) => {
    const vault = await importBackup(ctx.dataDir, inFile, secret, { ...options, force: opts.force });
    try {
      return { file, summary: { masterKeys: vault.masterKeys().length, fileKeys: vault.fileKeyCount(), credentials: vault.credentialIds().length, folders: vault.folders.list().length } };
    } finally {
      vault.close();
    }
  });
}

export async function rotateVaultMasterKey(ctx: VaultCliContext): Promise<{ id: string; rewrapped: number; previous: string | null }> {
  return withUnlockedVault(ctx, (vault) => {
    const previous = vault.masterKeys().at(-1)?.id ?? null;
    return { ...vault.rotateMasterKey(), previous };
  });
}

export interface VaultStatus {
  exists: boolean;
  file: string;
  kdf?: KdfParams;
  masterKeys?: MasterKeyInfo[];
  fileKeys?: number;
  credentials?: number;
  folders?: number;
}

/** What can be shown without the passphrase: no secrets, no prompt. */
export function vaultStatus(dataDir: string): VaultStatus {
  const file = vaultPath(dataDir);
  if (!existsSync(file)) return { exists: false, file };
  const vault = openVault(dataDir);
  try {
    return {
      exists: true,
      file,
      kdf: vault.kdfParams(),
      masterKeys: vault.masterKeys(),
      fileKeys: vault.fileKeyCount(),
      credentials: vault.credentialIds().length,
      folders: vault.folders.list().length,
    };
  } finally {
    vault.close();
  }
}
